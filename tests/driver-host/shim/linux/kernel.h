/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host shim for the kernel's <linux/kernel.h>: ARRAY_SIZE.  System headers
 * (<sys/sysinfo.h>) include the uapi one for struct sysinfo, so pass that
 * on too.
 */
#ifndef KSYMS_HOST_SHIM_LINUX_KERNEL_H
#define KSYMS_HOST_SHIM_LINUX_KERNEL_H

#include_next <linux/kernel.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#endif
