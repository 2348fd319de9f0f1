// SPDX-License-Identifier: GPL-2.0-only
/*
 * Finds the symbol and string tables of a finished image through its own
 * headers, checking each against the image's size before it is trusted.
 */
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/types.h>

#include "ksyms_elf.h"

static bool ksyms_elf_within(u64 offset, u64 len, u64 size)
{
	return offset <= size && len <= size - offset;
}

/**
 * ksyms_elf_find_tables() - the symbol and string tables of an image
 * @image: an image this code wrote
 * @size: its bytes
 * @tables: set to its tables
 *
 * Return: 0, or -EINVAL if they do not lie inside @size bytes.
 */
int ksyms_elf_find_tables(const void *image, u64 size,
			  struct ksyms_elf_tables *tables)
{
	const char *base = image;
	const Elf64_Ehdr *ehdr = image;
	const Elf64_Shdr *shdr, *symtab, *strtab;

	if (size < sizeof(*ehdr) || ehdr->e_shnum < KSYMS_SHN_COUNT ||
	    ehdr->e_shentsize != sizeof(*shdr) ||
	    !ksyms_elf_within(ehdr->e_shoff, ehdr->e_shnum * sizeof(*shdr),
			      size) || ehdr->e_shoff % sizeof(u64))
		return -EINVAL;
	shdr = (const Elf64_Shdr *)(base + ehdr->e_shoff);
	symtab = &shdr[KSYMS_SHN_SYMTAB];
	strtab = &shdr[KSYMS_SHN_STRTAB];
	if (symtab->sh_type != SHT_SYMTAB || strtab->sh_type != SHT_STRTAB ||
	    symtab->sh_entsize != sizeof(Elf64_Sym) ||
	    symtab->sh_size % sizeof(Elf64_Sym) ||
	    symtab->sh_offset % KSYMS_ELF_SYMTAB_ALIGN ||
	    !ksyms_elf_within(symtab->sh_offset, symtab->sh_size, size) ||
	    !ksyms_elf_within(strtab->sh_offset, strtab->sh_size, size) ||
	    symtab->sh_info > symtab->sh_size / sizeof(Elf64_Sym))
		return -EINVAL;
	tables->syms = (const Elf64_Sym *)(base + symtab->sh_offset);
	tables->nr_syms = symtab->sh_size / sizeof(Elf64_Sym);
	tables->nr_locals = symtab->sh_info;
	tables->strtab = base + strtab->sh_offset;
	tables->strtab_size = strtab->sh_size;
	return 0;
}
