/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host shim for the kernel's <linux/errno.h>: EINVAL, ENOSPC, ...
 *
 * glibc's <bits/errno.h> itself includes <linux/errno.h> to get the E*
 * numbers from the uapi headers; this file is found first, so it must pass
 * that on (#include_next) before anything else, or errno.h would end up
 * with no constants at all.
 */
#include_next <linux/errno.h>

#ifndef KSYMS_HOST_SHIM_LINUX_ERRNO_H
#define KSYMS_HOST_SHIM_LINUX_ERRNO_H

#include <errno.h>

#endif
