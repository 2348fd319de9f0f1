/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every ksyms selftest includes: the kernel's kselftest harness (from
 * the kernel tree, -I$(KSFT_DIR)) and the shared helpers.
 */
#ifndef KSYMS_TEST_H
#define KSYMS_TEST_H

/*
 * -Wextra finds things in the harness itself, in its functions and in what
 * its macros expand to in every test: unused parameters (the SIGALRM
 * handler's ucontext, TEST()'s variant) and a local that setjmp() may
 * clobber (TEST_F()).  They are the harness's, not ours.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#include "ksyms_util.h"

#endif /* KSYMS_TEST_H */
