/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_MODULE_SIZES_H
#define KSYMS_MODULE_SIZES_H

#include <linux/types.h>

#include "ksyms_elf.h"

struct mod_kallsyms;

/*
 * One module's symbol addresses, sorted within each kind, for the kinds
 * that have a symbol of ELF size 0: what its size is measured against.
 */
struct ksyms_module_sizes {
	u64 *values;			/* the caller's */
	unsigned int cap;		/* entries @values has room for */
	unsigned int start[KSYMS_NR_KINDS + 1];	/* each kind's run */
};

void ksyms_module_sizes_index(struct ksyms_module_sizes *sizes,
			      const struct mod_kallsyms *ks);
u64 ksyms_module_sizes_gap(const struct ksyms_module_sizes *sizes,
			   u32 kind, u64 value);

#endif /* KSYMS_MODULE_SIZES_H */
