# SPDX-License-Identifier: BSD-2-Clause
# The version lives in the repository's VERSION file alone: the CMake
# project, ksyms.pc, the package's ksymsConfigVersion.cmake and
# <ksyms/version.h> (ksyms_version(), ksyms::version) all take it from here.
# Included before project(), which is given KSYMS_VERSION.
set(KSYMS_VERSION_FILE "${CMAKE_CURRENT_LIST_DIR}/../../VERSION")
file(STRINGS "${KSYMS_VERSION_FILE}" KSYMS_VERSION LIMIT_COUNT 1)
if(NOT KSYMS_VERSION MATCHES "^([0-9]+)\\.([0-9]+)\\.([0-9]+)$")
	message(FATAL_ERROR
		"${KSYMS_VERSION_FILE}: \"${KSYMS_VERSION}\" is not MAJOR.MINOR.PATCH")
endif()
# A new VERSION configures again.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
	"${KSYMS_VERSION_FILE}")
