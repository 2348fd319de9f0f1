/* SPDX-License-Identifier: GPL-2.0-only */
/* Host shim for the kernel's <linux/string.h>: memcpy, memset, strlen... */
#ifndef KSYMS_HOST_SHIM_LINUX_STRING_H
#define KSYMS_HOST_SHIM_LINUX_STRING_H

#include <string.h>

#endif
