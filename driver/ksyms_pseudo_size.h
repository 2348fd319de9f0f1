/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The size the kernel's own lookup gives a symbol that /proc/kallsyms
 * lists after the modules, where kallsyms itself lists none.
 */
#ifndef KSYMS_PSEUDO_SIZE_H
#define KSYMS_PSEUDO_SIZE_H

#include <linux/kallsyms.h>
#include <linux/types.h>

/* Scratch for ksyms_pseudo_kernel_size(): what sprint_symbol() writes. */
#define KSYMS_PSEUDO_SIZE_BUF	KSYM_SYMBOL_LEN

u64 ksyms_pseudo_kernel_size(u64 addr, const char *name, u32 namelen,
			     char *buf);

#endif /* KSYMS_PSEUDO_SIZE_H */
