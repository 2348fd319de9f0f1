// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copies an object from the image of an earlier snapshot into the image
 * being written: its symbols and names, letters, order bits, typed
 * sections and build ID, with every index moved to where they land now.
 * A module that did not change is not read from the kernel again.
 */
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "ksyms_elf.h"
#include "ksyms_elf_internal.h"

static const struct ksyms_object *
ksyms_elf_source_object(const struct ksyms_elf_source *from, u64 index)
{
	const struct ksyms_object *objects =
		ksyms_elf_section(from->image, from->layout, KSYMS_SHN_OBJECTS);

	return objects + index;
}

static const Elf64_Sym *
ksyms_elf_source_syms(const struct ksyms_elf_source *from)
{
	return ksyms_elf_section(from->image, from->layout, KSYMS_SHN_SYMTAB);
}

static const char *ksyms_elf_source_strtab(const struct ksyms_elf_source *from)
{
	return ksyms_elf_section(from->image, from->layout, KSYMS_SHN_STRTAB);
}

/* Widens [*lo, *last] to the st_name values of @n symbols. */
static void ksyms_elf_names_span(const Elf64_Sym *syms, u64 n, u64 *lo,
				 u64 *last)
{
	u64 i;

	for (i = 0; i < n; i++) {
		if (syms[i].st_name < *lo)
			*lo = syms[i].st_name;
		if (syms[i].st_name > *last)
			*last = syms[i].st_name;
	}
}

/*
 * An object's names lie together in the string table, since its symbols
 * were added one after another: [*first, *first + *size).
 */
static void ksyms_elf_object_names(const struct ksyms_elf_source *from,
				   const struct ksyms_object *obj, u64 *first,
				   u64 *size)
{
	const Elf64_Sym *syms = ksyms_elf_source_syms(from);
	const char *strtab = ksyms_elf_source_strtab(from);
	u64 lo = U64_MAX, last = 0;

	ksyms_elf_names_span(syms + obj->first_local, obj->nr_locals, &lo,
			     &last);
	ksyms_elf_names_span(syms + obj->first_global, obj->nr_globals, &lo,
			     &last);
	*first = 0;
	*size = 0;
	if (lo > last)
		return;
	*first = lo;
	*size = last - lo + strnlen(strtab + last,
				    from->layout->strtab_size - last) + 1;
}

/**
 * ksyms_elf_object_needs() - what copying an object takes of a layout
 * @from: the image to copy from
 * @index: the object's index in its object table
 * @needs: set to its symbols, names, record, note and typed sections, as
 *	a layout to add up with others
 */
void ksyms_elf_object_needs(const struct ksyms_elf_source *from, u64 index,
			    struct ksyms_elf_layout *needs)
{
	const struct ksyms_object *obj = ksyms_elf_source_object(from, index);
	const Elf64_Shdr *shdr = ksyms_elf_shdrs(from->image, from->layout);
	u64 first_str, i;

	memset(needs, 0, sizeof(*needs));
	needs->nr_locals = obj->nr_locals;
	needs->nr_globals = obj->nr_globals;
	ksyms_elf_object_names(from, obj, &first_str, &needs->strtab_size);
	needs->nr_objects = 1;
	needs->build_ids_size =
		ksyms_elf_build_id_note_size(obj->build_id_size);
	needs->nr_sections = obj->nr_sections;
	for (i = obj->first_section;
	     i < obj->first_section + obj->nr_sections; i++) {
		u64 *largest = shdr[i].sh_type == SHT_NOBITS ?
			       &needs->nobits_size : &needs->zero_size;

		if (shdr[i].sh_size > *largest)
			*largest = shdr[i].sh_size;
	}
}

/* Moves st_shndx of the @n symbols at @syms from one section run to another. */
static void ksyms_elf_move_shndx(Elf64_Sym *syms, u64 n, u64 old_first,
				 u64 nr_secs, u64 new_first)
{
	u64 i;

	for (i = 0; i < n; i++)
		if (syms[i].st_shndx >= old_first &&
		    syms[i].st_shndx < old_first + nr_secs)
			syms[i].st_shndx += new_first - old_first;
}

/* The symbols, names, letters and order bits of @old, moved to @at. */
static int ksyms_elf_copy_symbols(struct ksyms_elf_cursor *at,
				  const struct ksyms_elf_source *from,
				  const struct ksyms_object *old, u64 shndx)
{
	const struct ksyms_elf_layout *old_layout = from->layout;
	const char *old_letters = ksyms_elf_section(from->image, old_layout,
						    KSYMS_SHN_KALLSYMS);
	const u8 *old_order = (const u8 *)old_letters +
			      ksyms_elf_nr_syms(old_layout);
	const Elf64_Sym *old_syms = ksyms_elf_source_syms(from);
	u64 first_local = at->w.next_local;
	u64 first_global = at->w.next_global;
	u64 first_str, str_size, old_bit;
	int err;

	/* Objects before it took their symbols from both regions in turn. */
	old_bit = old->first_local - 1 + old->first_global -
		  old_layout->nr_locals;
	ksyms_elf_object_names(from, old, &first_str, &str_size);
	err = ksyms_elf_append(&at->w, old_syms + old->first_local,
			       old->nr_locals, old_syms + old->first_global,
			       old->nr_globals,
			       ksyms_elf_source_strtab(from) + first_str,
			       str_size, first_str);
	if (err)
		return err;
	ksyms_elf_move_shndx(&at->w.symtab[first_local], old->nr_locals,
			     old->first_section, old->nr_sections, shndx);
	ksyms_elf_move_shndx(&at->w.symtab[first_global], old->nr_globals,
			     old->first_section, old->nr_sections, shndx);
	memcpy(at->letters + first_local, old_letters + old->first_local,
	       old->nr_locals);
	memcpy(at->letters + first_global, old_letters + old->first_global,
	       old->nr_globals);
	ksyms_elf_order_append(at, old_order, old_bit,
			       old->nr_locals + old->nr_globals);
	return 0;
}

/**
 * ksyms_elf_cursor_copy_object() - append an object of an earlier image
 * @at: the cursor
 * @from: the image to copy from
 * @index: the object's index in its object table
 *
 * Appends it as the next object: its record, symbols, names, letters,
 * order, typed sections and build ID, with every index moved to where
 * they land now.  Writes the same bytes as adding the object's symbols
 * again would.
 *
 * Return: 0, -EINVAL if @from has no object @index, or -ENOSPC if the
 * layout has no room for it.
 */
int ksyms_elf_cursor_copy_object(struct ksyms_elf_cursor *at,
				 const struct ksyms_elf_source *from,
				 u64 index)
{
	const struct ksyms_object *old;
	const Elf64_Shdr *old_shdr;
	struct ksyms_object *obj;
	u64 shndx, i;
	int err;

	if (index >= from->layout->nr_objects)
		return -EINVAL;
	old = ksyms_elf_source_object(from, index);
	old_shdr = ksyms_elf_shdrs(from->image, from->layout) +
		   old->first_section;

	obj = ksyms_elf_object_begin(at, old->name);
	if (!obj)
		return -ENOSPC;
	obj->flags = old->flags;
	err = ksyms_elf_object_room(at, old->nr_sections, old->build_id_size);
	if (err)
		return err;
	shndx = ksyms_elf_cursor_shndx(at);
	err = ksyms_elf_copy_symbols(at, from, old, shndx);
	if (err)
		return err;
	for (i = 0; i < old->nr_sections; i++) {
		struct ksyms_typed_section sec =
			ksyms_elf_section_of(&old_shdr[i]);

		ksyms_elf_write_sections(at->image, at->layout,
					 at->next_section + i, &sec, 1);
	}
	obj->base = old->base;
	obj->size = old->size;
	ksyms_elf_object_close(at, obj, old->nr_sections, old->build_id,
			       old->build_id_size);
	return 0;
}
