/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/ksyms: a read-only ELF image of the running kernel's symbol table.
 *
 * The ioctls are FreeBSD's (sys/ksyms.h), encoded with Linux's _IOR so the
 * numbers follow each ABI's size_t and pointer width: a 32-bit process on a
 * 64-bit kernel gets its own, smaller, command numbers and correct answers.
 */
#ifndef _UAPI_LINUX_KSYMS_H
#define _UAPI_LINUX_KSYMS_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KSYMS_PATH	"/dev/ksyms"

/* Exact size in bytes of this descriptor's snapshot (size_t). */
#define KIOCGSIZE	_IOR('l', 1, __kernel_size_t)
/* Address of the snapshot mapped read-only into the caller at open (void *). */
#define KIOCGADDR	_IOR('l', 2, void *)

#endif /* _UAPI_LINUX_KSYMS_H */
