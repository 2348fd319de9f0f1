/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A name index over one image's symbol table, for the NetBSD lookups
 * (KIOCGVALUE, KIOCGSYMBOL): a hash table whose chains hold symbol indices
 * in image order.  Kernel-independent like ksyms_elf.h: the caller hands
 * in the memory, so the host tests build and fuzz it as it is.
 */
#ifndef KSYMS_NAMES_H
#define KSYMS_NAMES_H

#include <linux/elf.h>
#include <linux/types.h>

struct ksyms_names {
	const Elf64_Sym *syms;
	u32 nr_syms;
	const char *strtab;
	u64 strtab_size;
	u32 nr_buckets;		/* a power of two */
	u32 longest;		/* bytes in the longest name, NUL not counted */
	u32 *start;		/* nr_buckets + 1 offsets into order[] */
	u32 *order;		/* named symbols, grouped by bucket */
};

u64 ksyms_names_bytes(u64 nr_syms);
int ksyms_names_build(struct ksyms_names *names, void *mem,
		      const Elf64_Sym *syms, u64 nr_syms,
		      const char *strtab, u64 strtab_size);

enum ksyms_names_scope {
	KSYMS_NAMES_GLOBAL,	/* global and weak symbols only */
	KSYMS_NAMES_ANY,	/* those first, then the first local */
};

s64 ksyms_names_find(const struct ksyms_names *names, const char *name,
		     enum ksyms_names_scope scope);

#endif /* KSYMS_NAMES_H */
