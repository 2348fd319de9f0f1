# SPDX-License-Identifier: BSD-2-Clause
# What `cmake --install` puts under the prefix: the command and its man
# page, libksyms (shared and static), its headers, ksyms.pc, and the CMake
# package a consumer's find_package(ksyms) reads:
#   ksyms::ksyms         the shared library
#   ksyms::ksyms_static  the static one (where libelf's pkg-config file is
#                        found: a static link needs libelf)
include(CMakePackageConfigHelpers)

set(KSYMS_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/ksyms")

install(TARGETS ksyms RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
set_target_properties(ksyms_shared PROPERTIES EXPORT_NAME ksyms)
install(TARGETS ksyms_shared EXPORT ksymsTargets
	LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS ksyms_static EXPORT ksymsStaticTargets
	ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY libksyms/include/ksyms
	DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/include/ksyms/version.h"
	DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ksyms)
install(FILES ksyms/ksyms.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# The .pc file finds the prefix from its own place (${pcfiledir}), so that
# `cmake --install --prefix DIR` gives a correct one without reconfiguring.
file(RELATIVE_PATH KSYMS_PC_TO_PREFIX
	"/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(libksyms/ksyms.pc.in ksyms.pc @ONLY)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/ksyms.pc"
	DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The package files are relocatable the same way: they find the prefix from
# their own place.
install(EXPORT ksymsTargets NAMESPACE ksyms::
	DESTINATION "${KSYMS_CMAKE_DIR}")
install(EXPORT ksymsStaticTargets NAMESPACE ksyms::
	DESTINATION "${KSYMS_CMAKE_DIR}")
configure_package_config_file(cmake/ksymsConfig.cmake.in
	"${CMAKE_CURRENT_BINARY_DIR}/ksymsConfig.cmake"
	INSTALL_DESTINATION "${KSYMS_CMAKE_DIR}")
# 0.x: a minor version may change the API, so only the same one is taken.
write_basic_package_version_file(
	"${CMAKE_CURRENT_BINARY_DIR}/ksymsConfigVersion.cmake"
	COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/ksymsConfig.cmake"
	"${CMAKE_CURRENT_BINARY_DIR}/ksymsConfigVersion.cmake"
	DESTINATION "${KSYMS_CMAKE_DIR}")
