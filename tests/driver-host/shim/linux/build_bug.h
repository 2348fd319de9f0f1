/* SPDX-License-Identifier: GPL-2.0-only */
/* Host shim for the kernel's <linux/build_bug.h>: static_assert. */
#ifndef KSYMS_HOST_SHIM_LINUX_BUILD_BUG_H
#define KSYMS_HOST_SHIM_LINUX_BUILD_BUG_H

#include <assert.h>

#endif
