/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host shim for the kernel's <linux/elf.h>: the ELF types and constants come
 * from glibc's <elf.h>.  The uapi /usr/include/linux/elf.h must never be
 * pulled in next to it (the two define the same types and macros), so this
 * file does not #include_next.
 */
#ifndef KSYMS_HOST_SHIM_LINUX_ELF_H
#define KSYMS_HOST_SHIM_LINUX_ELF_H

#include <elf.h>

#include <linux/types.h>

#endif
