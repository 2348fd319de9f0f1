/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_VMLINUX_H
#define KSYMS_VMLINUX_H

#include <linux/elf.h>
#include <linux/kernel.h>
#include <linux/types.h>

#include "ksyms_buildid.h"
#include "ksyms_elf.h"

/*
 * vmlinux's symbols as ELF symbols, split by binding: syms[0, nr_locals)
 * are STB_LOCAL, the rest follow.  st_name indexes strtab, which has no
 * leading NUL of its own.  vmlinux's typed sections are the image's first,
 * so st_shndx is final.
 */
struct ksyms_vmlinux {
	Elf64_Sym *syms;
	u64 nr_locals;
	u64 nr_globals;
	char *strtab;
	u64 strtab_size;
	/* kallsyms' letters, in the order of syms, and its own order. */
	char *letters;
	u8 *order;		/* bit i: the i-th in kallsyms order is global */
	struct ksyms_typed_section *sections;
	u64 nr_sections;
	u64 zero_size;		/* its largest PROGBITS section */
	u64 nobits_size;	/* its largest NOBITS section */
	struct ksyms_build_id build_id;
};

/* What the table holds in memory. */
static inline u64 ksyms_vmlinux_bytes(const struct ksyms_vmlinux *vml)
{
	u64 nr = vml->nr_locals + vml->nr_globals;

	return nr * (sizeof(*vml->syms) + 1) + DIV_ROUND_UP(nr, 8) +
	       vml->strtab_size + vml->nr_sections * sizeof(*vml->sections);
}

/*
 * vmlinux's symbols in kallsyms order, as read from /proc/kallsyms or
 * restored from the kept form: typed and bound by their letters
 * (ksyms_nm_to_sym()), st_name set, sizes and sections not yet.
 */
struct ksyms_vmlinux_reader {
	Elf64_Sym *syms;
	char *types;
	u64 nr_syms;
	u64 cap_syms;
	u64 cap_types;
	char *strtab;
	u64 strtab_size;
	u64 cap_strtab;
	bool seen_address;
};

int ksyms_vmlinux_load(struct ksyms_vmlinux **out);
int ksyms_vmlinux_assemble(struct ksyms_vmlinux_reader *r,
			   const struct ksyms_build_id *id,
			   struct ksyms_vmlinux **out);
void ksyms_vmlinux_free(struct ksyms_vmlinux *vml);

#endif /* KSYMS_VMLINUX_H */
