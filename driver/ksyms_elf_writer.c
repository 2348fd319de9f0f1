// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fills the symbol and string tables of an image whose headers are
 * written: each symbol into the local or the global region by its
 * binding, so that objects keep their order within each, and its name
 * after the last.
 */
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "ksyms_elf.h"
#include "ksyms_elf_internal.h"

/**
 * ksyms_elf_is_local() - whether a symbol goes among the locals
 * @sym: the symbol
 *
 * Return: true for STB_LOCAL.
 */
bool ksyms_elf_is_local(const Elf64_Sym *sym)
{
	return ELF64_ST_BIND(sym->st_info) == STB_LOCAL;
}

/**
 * ksyms_elf_writer_init() - start filling an image's tables
 * @w: the writer
 * @image: the image, its headers written
 * @layout: its counts
 *
 * Writes the null symbol and the string table's leading NUL.
 */
void ksyms_elf_writer_init(struct ksyms_elf_writer *w, void *image,
			   const struct ksyms_elf_layout *layout)
{
	w->symtab = ksyms_elf_section(image, layout, KSYMS_SHN_SYMTAB);
	w->next_local = 1;
	w->end_local = layout->nr_locals;
	w->next_global = layout->nr_locals;
	w->end_global = layout->nr_locals + layout->nr_globals;
	w->strtab = ksyms_elf_section(image, layout, KSYMS_SHN_STRTAB);
	w->next_str = 1;
	w->end_str = layout->strtab_size;
	memset(&w->symtab[0], 0, sizeof(w->symtab[0]));
	w->strtab[0] = '\0';
}

static Elf64_Sym *ksyms_elf_take_slot(struct ksyms_elf_writer *w, bool local)
{
	if (local)
		return w->next_local < w->end_local ?
		       &w->symtab[w->next_local++] : NULL;
	return w->next_global < w->end_global ?
	       &w->symtab[w->next_global++] : NULL;
}

/**
 * ksyms_elf_add() - add one symbol
 * @w: the writer
 * @sym: the symbol; its st_name is replaced
 * @name: its name, not NUL-terminated
 * @namelen: the name's length
 *
 * Return: 0, or -ENOSPC if the layout has no room for it.
 */
int ksyms_elf_add(struct ksyms_elf_writer *w, const Elf64_Sym *sym,
		  const char *name, u64 namelen)
{
	Elf64_Sym *slot;

	if (namelen >= w->end_str - w->next_str)
		return -ENOSPC;
	slot = ksyms_elf_take_slot(w, ksyms_elf_is_local(sym));
	if (!slot)
		return -ENOSPC;
	*slot = *sym;
	slot->st_name = w->next_str;
	memcpy(w->strtab + w->next_str, name, namelen);
	w->strtab[w->next_str + namelen] = '\0';
	w->next_str += namelen + 1;
	return 0;
}

/*
 * Copies @count symbols whose names start at @old_base of their string
 * table to where the names were copied, @new_base of the image's.
 */
static void ksyms_elf_copy_rebased(Elf64_Sym *dst, const Elf64_Sym *src,
				   u64 count, u64 old_base, u64 new_base)
{
	/* st_name is 32 bits: the shift wraps as it does. */
	u32 shift = (u32)(new_base - old_base);
	u64 i;

	if (!count)	/* src may be NULL then */
		return;
	memcpy(dst, src, count * sizeof(*dst));
	if (!shift)
		return;
	for (i = 0; i < count; i++)
		dst[i].st_name += shift;
}

/**
 * ksyms_elf_append() - add a whole object's symbols and names
 * @w: the writer
 * @locals: its locals
 * @nr_locals: how many
 * @globals: its other symbols
 * @nr_globals: how many
 * @strtab: its names, which the symbols' st_name index from @old_base on
 * @strtab_size: their bytes
 * @old_base: the st_name of @strtab's first byte
 *
 * Return: 0, or -ENOSPC if the layout has no room for them.
 */
int ksyms_elf_append(struct ksyms_elf_writer *w,
		     const Elf64_Sym *locals, u64 nr_locals,
		     const Elf64_Sym *globals, u64 nr_globals,
		     const char *strtab, u64 strtab_size, u64 old_base)
{
	u64 new_base = w->next_str;

	if (nr_locals > w->end_local - w->next_local ||
	    nr_globals > w->end_global - w->next_global ||
	    strtab_size > w->end_str - w->next_str)
		return -ENOSPC;
	if (strtab_size)
		memcpy(w->strtab + new_base, strtab, strtab_size);
	w->next_str += strtab_size;
	ksyms_elf_copy_rebased(&w->symtab[w->next_local], locals, nr_locals,
			       old_base, new_base);
	w->next_local += nr_locals;
	ksyms_elf_copy_rebased(&w->symtab[w->next_global], globals, nr_globals,
			       old_base, new_base);
	w->next_global += nr_globals;
	return 0;
}

/**
 * ksyms_elf_add_object() - add a whole object's symbols, split by binding
 * @w: the writer
 * @locals: its locals
 * @nr_locals: how many
 * @globals: its other symbols
 * @nr_globals: how many
 * @strtab: its names, which the symbols' st_name index
 * @strtab_size: their bytes
 *
 * No name is checked against @strtab_size here: the caller built both.
 *
 * Return: 0, or -ENOSPC if the layout has no room for them.
 */
int ksyms_elf_add_object(struct ksyms_elf_writer *w,
			 const Elf64_Sym *locals, u64 nr_locals,
			 const Elf64_Sym *globals, u64 nr_globals,
			 const char *strtab, u64 strtab_size)
{
	return ksyms_elf_append(w, locals, nr_locals, globals, nr_globals,
				strtab, strtab_size, 0);
}

/**
 * ksyms_elf_writer_complete() - whether the tables are full
 * @w: the writer
 *
 * Return: true when every slot the layout promised has been written.
 */
bool ksyms_elf_writer_complete(const struct ksyms_elf_writer *w)
{
	return w->next_local == w->end_local &&
	       w->next_global == w->end_global && w->next_str == w->end_str;
}
