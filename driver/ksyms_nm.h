/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * From /proc/kallsyms text to ELF symbols: line parsing, nm type letters,
 * kallsyms-style sizes.  Kernel-independent, like ksyms_elf.h.
 */
#ifndef KSYMS_NM_H
#define KSYMS_NM_H

#include <linux/elf.h>
#include <linux/types.h>

struct ksyms_kallsyms_line {
	const char *text;	/* the whole line, without its newline */
	u64 len;
	u64 addr;
	const char *name;
	u32 namelen;
	char type;
	bool in_module;	/* the line ends in "\t[module]" */
	/* The module's name without its brackets; empty for vmlinux. */
	const char *module;
	u32 modlen;
};

int ksyms_kallsyms_parse_line(const char *line, u64 len,
			      struct ksyms_kallsyms_line *out);
bool ksyms_nm_is_absolute(char type);
u32 ksyms_nm_kind(char type);
void ksyms_nm_to_sym(char type, u64 value, Elf64_Sym *sym);
void ksyms_nm_fill_sizes(Elf64_Sym *syms, const char *types, u64 count);

#endif /* KSYMS_NM_H */
