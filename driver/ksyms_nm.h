/* SPDX-License-Identifier: GPL-2.0 */
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

/* Parses one line without its newline; -EINVAL if it is not kallsyms'. */
int ksyms_kallsyms_parse_line(const char *line, u64 len,
			      struct ksyms_kallsyms_line *out);
bool ksyms_nm_is_absolute(char type);
/*
 * The typed section (enum ksyms_elf_kind) whose flags make nm print
 * @type's letter, or KSYMS_KIND_ABS: absolute and weak symbols (nm prints
 * A and W or V for those whatever the section) and letters no section
 * gives.
 */
u32 ksyms_nm_kind(char type);
/* A symbol whose binding and type follow nm's letter; st_name and st_size 0. */
void ksyms_nm_to_sym(char type, u64 value, Elf64_Sym *sym);
/*
 * Sets st_size to the distance to the next higher address, as kallsyms
 * reports it, for symbols in kallsyms (address) order; 0 for absolute
 * symbols, for the last one and wherever the order is broken.
 */
void ksyms_nm_fill_sizes(Elf64_Sym *syms, const char *types, u64 count);

#endif /* KSYMS_NM_H */
