// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fills an image object by object: with each object's symbols (through
 * the writer) go its kallsyms letters and order bits, its record in
 * .ksyms.objects, its build ID note and its typed sections' headers.  The
 * cursor knows where the next of each goes.
 */
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "ksyms_elf.h"
#include "ksyms_elf_internal.h"

/**
 * ksyms_elf_cursor_init() - start filling an image, object by object
 * @at: the cursor
 * @image: the image, its headers written
 * @layout: its counts
 */
void ksyms_elf_cursor_init(struct ksyms_elf_cursor *at, void *image,
			   const struct ksyms_elf_layout *layout)
{
	at->image = image;
	at->layout = layout;
	ksyms_elf_writer_init(&at->w, image, layout);
	at->next_section = 0;
	at->next_object = ksyms_elf_section(image, layout, KSYMS_SHN_OBJECTS);
	at->next_build_id = ksyms_elf_build_ids(image, layout);
	/* Worked out once: every symbol of every object writes both. */
	at->letters = ksyms_elf_section(image, layout, KSYMS_SHN_KALLSYMS);
	at->order = (u8 *)at->letters + ksyms_elf_nr_syms(layout);
	at->next_order = 0;
}

/* The order bitmap starts zeroed (ksyms_elf_write_headers()). */
static void ksyms_elf_order_add(struct ksyms_elf_cursor *at, bool global)
{
	u64 bit = at->next_order++;

	if (global)
		at->order[bit / 8] |= 1U << (bit % 8);
}

/**
 * ksyms_elf_order_append() - append bits of a kallsyms order bitmap
 * @at: the cursor
 * @order: the bitmap
 * @first: the first bit to take
 * @nbits: how many
 *
 * Whole bytes go at once when both sides start on one.
 */
void ksyms_elf_order_append(struct ksyms_elf_cursor *at, const u8 *order,
			    u64 first, u64 nbits)
{
	u64 i = 0, bit;

	if (at->next_order % 8 == 0 && first % 8 == 0) {
		memcpy(at->order + at->next_order / 8, order + first / 8,
		       nbits / 8);
		i = nbits / 8 * 8;
		at->next_order += i;
	}
	for (; i < nbits; i++) {
		bit = first + i;
		ksyms_elf_order_add(at, order[bit / 8] & (1U << (bit % 8)));
	}
}

/**
 * ksyms_elf_cursor_add() - add one symbol of the current object
 * @at: the cursor
 * @sym: the symbol, in kallsyms order; its st_name is replaced
 * @name: its name, not NUL-terminated
 * @namelen: the name's length
 * @letter: the letter /proc/kallsyms prints for it
 *
 * Return: 0, or -ENOSPC if the layout has no room for it.
 */
int ksyms_elf_cursor_add(struct ksyms_elf_cursor *at, const Elf64_Sym *sym,
			 const char *name, u64 namelen, char letter)
{
	bool local = ksyms_elf_is_local(sym);
	u64 slot = local ? at->w.next_local : at->w.next_global;
	int err = ksyms_elf_add(&at->w, sym, name, namelen);

	if (err)
		return err;
	at->letters[slot] = letter;
	ksyms_elf_order_add(at, !local);
	return 0;
}

/**
 * ksyms_elf_cursor_add_object() - add the current object's symbols at once
 * @at: the cursor
 * @locals: its locals
 * @nr_locals: how many
 * @globals: its other symbols
 * @nr_globals: how many
 * @strtab: its names, which the symbols' st_name index
 * @strtab_size: their bytes
 * @letters: its kallsyms letters, locals first, as its symbols are
 * @order: its kallsyms order: bit i set when the i-th symbol in kallsyms
 *	order is global
 *
 * Return: 0, or -ENOSPC if the layout has no room for them.
 */
int ksyms_elf_cursor_add_object(struct ksyms_elf_cursor *at,
				const Elf64_Sym *locals, u64 nr_locals,
				const Elf64_Sym *globals, u64 nr_globals,
				const char *strtab, u64 strtab_size,
				const char *letters, const u8 *order)
{
	u64 first_local = at->w.next_local;
	u64 first_global = at->w.next_global;
	int err;

	err = ksyms_elf_add_object(&at->w, locals, nr_locals, globals,
				   nr_globals, strtab, strtab_size);
	if (err)
		return err;
	if (nr_locals)
		memcpy(at->letters + first_local, letters, nr_locals);
	if (nr_globals)
		memcpy(at->letters + first_global, letters + nr_locals,
		       nr_globals);
	ksyms_elf_order_append(at, order, 0, nr_locals + nr_globals);
	return 0;
}

/**
 * ksyms_elf_cursor_shndx() - the next object's first typed section
 * @at: the cursor
 *
 * Return: the section index its symbols' st_shndx start from.
 */
u64 ksyms_elf_cursor_shndx(const struct ksyms_elf_cursor *at)
{
	return KSYMS_SHN_FIRST_TYPED + at->next_section;
}

/**
 * ksyms_elf_object_begin() - start the next object's record
 * @at: the cursor
 * @name: the object's name; cut to fit the record
 *
 * Before its symbols are added: the record notes where they start.
 *
 * Return: the record, or NULL if the layout has no room for it.
 */
struct ksyms_object *ksyms_elf_object_begin(struct ksyms_elf_cursor *at,
					    const char *name)
{
	struct ksyms_object *obj = at->next_object;
	struct ksyms_object *objects =
		ksyms_elf_section(at->image, at->layout, KSYMS_SHN_OBJECTS);
	size_t len = strnlen(name, sizeof(obj->name) - 1);

	if ((u64)(obj - objects) >= at->layout->nr_objects)
		return NULL;
	at->next_object++;
	memset(obj, 0, sizeof(*obj));
	memcpy(obj->name, name, len);
	obj->first_local = at->w.next_local;
	obj->first_global = at->w.next_global;
	obj->first_section = ksyms_elf_cursor_shndx(at);
	return obj;
}

static void ksyms_elf_object_span(struct ksyms_object *obj,
				  const struct ksyms_typed_section *secs,
				  u64 n)
{
	u64 lo = U64_MAX, hi = 0, i;

	for (i = 0; i < n; i++) {
		if (secs[i].addr < lo)
			lo = secs[i].addr;
		if (secs[i].addr + secs[i].size > hi)
			hi = secs[i].addr + secs[i].size;
	}
	if (n) {
		obj->base = lo;
		obj->size = hi - lo;
	}
}

/**
 * ksyms_elf_object_room() - whether an object's sections and note fit
 * @at: the cursor
 * @nr_secs: the object's typed sections
 * @build_id_size: bytes of its build ID
 *
 * Return: 0, or -ENOSPC if the layout has no room for them.
 */
int ksyms_elf_object_room(const struct ksyms_elf_cursor *at, u64 nr_secs,
			  u32 build_id_size)
{
	const struct ksyms_elf_layout *layout = at->layout;
	u64 note = ksyms_elf_build_id_note_size(build_id_size);
	char *notes_end = (char *)ksyms_elf_build_ids(at->image, layout) +
			  layout->build_ids_size;

	if (nr_secs > layout->nr_sections - at->next_section ||
	    build_id_size > KSYMS_OBJECT_BUILD_ID_MAX ||
	    note > (u64)(notes_end - (char *)at->next_build_id))
		return -ENOSPC;
	return 0;
}

/**
 * ksyms_elf_object_close() - finish an object's record
 * @at: the cursor
 * @obj: the record
 * @nr_secs: the object's typed sections, their headers written
 * @build_id: its build ID
 * @build_id_size: its bytes; 0 for none
 *
 * Counts its symbols and sections into the record and writes its build
 * ID there and as a note.  ksyms_elf_object_room() said they fit.
 */
void ksyms_elf_object_close(struct ksyms_elf_cursor *at,
			    struct ksyms_object *obj, u64 nr_secs,
			    const u8 *build_id, u32 build_id_size)
{
	obj->nr_locals = at->w.next_local - obj->first_local;
	obj->nr_globals = at->w.next_global - obj->first_global;
	obj->nr_sections = nr_secs;
	at->next_section += nr_secs;
	if (build_id_size) {
		memcpy(obj->build_id, build_id, build_id_size);
		obj->build_id_size = build_id_size;
		at->next_build_id = ksyms_elf_note_write(at->next_build_id,
							 "GNU", NT_GNU_BUILD_ID,
							 build_id,
							 build_id_size);
	}
}

/**
 * ksyms_elf_object_end() - finish the current object, after its symbols
 * @at: the cursor
 * @obj: its record, from ksyms_elf_object_begin()
 * @secs: its typed sections
 * @nr_secs: how many
 * @build_id: its build ID
 * @build_id_size: its bytes; 0 for none
 *
 * Writes the sections' headers, and the counts and build ID in the record
 * and as a note.
 *
 * Return: 0, or -ENOSPC if the layout has no room for them.
 */
int ksyms_elf_object_end(struct ksyms_elf_cursor *at, struct ksyms_object *obj,
			 const struct ksyms_typed_section *secs, u64 nr_secs,
			 const u8 *build_id, u32 build_id_size)
{
	int err = ksyms_elf_object_room(at, nr_secs, build_id_size);

	if (err)
		return err;
	ksyms_elf_object_span(obj, secs, nr_secs);
	ksyms_elf_write_sections(at->image, at->layout, at->next_section, secs,
				 nr_secs);
	ksyms_elf_object_close(at, obj, nr_secs, build_id, build_id_size);
	return 0;
}
