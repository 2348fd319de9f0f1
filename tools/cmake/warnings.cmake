# SPDX-License-Identifier: BSD-2-Clause
# Warnings for every target; -Werror only where asked (CI: tests/run.sh),
# so that a user's newer or older compiler with a new warning still builds.
option(KSYMS_WERROR "treat compiler warnings as errors (CI)" OFF)
add_compile_options(-Wall -Wextra)
if(KSYMS_WERROR)
	add_compile_options(-Werror)
endif()
