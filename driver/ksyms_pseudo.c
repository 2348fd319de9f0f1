// SPDX-License-Identifier: GPL-2.0-only
/*
 * The objects /proc/kallsyms lists after the modules; see ksyms_pseudo.h.
 *
 * Their symbols are typed and bound by their letters as vmlinux's are.
 * kallsyms gives no sizes here and lists BPF programs in the order they
 * were loaded, not by address, so a symbol's size is the size the
 * kernel's own lookup gives it (ksyms_pseudo_size.c: a BPF program's
 * JIT-ed length), or else the distance to the next one above it of the
 * same kind in its object, as for a module symbol with no size of its
 * own: 0 for the last, and past a typed section's span.
 */
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "ksyms_debug.h"
#include "ksyms_kallsyms.h"
#include "ksyms_nm.h"
#include "ksyms_pseudo.h"
#include "ksyms_pseudo_size.h"

/**
 * ksyms_pseudo_read() - Read the lines /proc/kallsyms lists after the modules
 * @modules: kallsyms positions the modules' symbol tables take
 * @out: set to the lines read, on success
 *
 * Reads only their text, which is all ksyms_pseudo_equal() compares: an
 * open whose cached image is still current parses nothing.
 * ksyms_pseudo_parse() makes objects and symbols of it.
 *
 * Context: Process context; may sleep.
 * Return: 0, or the error of ksyms_kallsyms_read_tail() (-EINVAL, -ENOMEM
 * or -ENXIO).  Free *@out with ksyms_pseudo_free().
 */
int ksyms_pseudo_read(u64 modules, struct ksyms_pseudo **out)
{
	struct ksyms_pseudo *pseudo = ksyms_kzalloc(sizeof(*pseudo));
	int err;

	if (!pseudo)
		return -ENOMEM;
	err = ksyms_kallsyms_read_tail(modules, &pseudo->text,
				       &pseudo->text_size);
	if (err) {
		ksyms_kfree(pseudo);
		return err;
	}
	*out = pseudo;
	return 0;
}

/**
 * ksyms_pseudo_equal() - Whether two reads of the lines found the same
 * @a: one read, parsed or not
 * @b: another
 *
 * Compares the text byte for byte: nothing tells the driver when these
 * objects come or go, so this is how an open knows whether the cached
 * image still shows them.
 *
 * Return: True if the text of @a and @b is the same.
 */
bool ksyms_pseudo_equal(const struct ksyms_pseudo *a,
			const struct ksyms_pseudo *b)
{
	return a->text_size == b->text_size &&
	       (!a->text_size || !memcmp(a->text, b->text, a->text_size));
}

/* What a pass over the lines does with one; @starts: a new object's first. */
typedef int (*ksyms_pseudo_line_fn)(struct ksyms_pseudo *pseudo,
				    const struct ksyms_kallsyms_line *l,
				    u64 line, bool starts);

/*
 * Calls @fn on each line of the text; returns how many there are, or the
 * first error.  A line starts an object when its name in brackets is not
 * the line before's.
 */
static s64 ksyms_pseudo_each_line(struct ksyms_pseudo *pseudo,
				  ksyms_pseudo_line_fn fn)
{
	const char *text = pseudo->text, *module = NULL;
	u64 start = 0, line = 0, i;
	struct ksyms_kallsyms_line l;
	u32 modlen = 0;
	int err;

	for (i = 0; i < pseudo->text_size; i++) {
		bool starts;

		if (text[i] != '\n')
			continue;
		err = ksyms_kallsyms_parse_line(text + start, i - start, &l);
		if (!err && !l.in_module)
			err = -EINVAL;
		if (err)
			return err;
		starts = !module || l.modlen != modlen ||
			 memcmp(l.module, module, modlen);
		err = fn(pseudo, &l, line++, starts);
		if (err)
			return err;
		module = l.module;
		modlen = l.modlen;
		start = i + 1;
	}
	return line;
}

static int ksyms_pseudo_count(struct ksyms_pseudo *pseudo,
			      const struct ksyms_kallsyms_line *l, u64 line,
			      bool starts)
{
	pseudo->nr_objects += starts;
	return 0;
}

/* The symbols, their letters and their objects. */
static int ksyms_pseudo_fill(struct ksyms_pseudo *pseudo,
			     const struct ksyms_kallsyms_line *l, u64 line,
			     bool starts)
{
	struct ksyms_pseudo_object *obj;
	Elf64_Sym *sym = &pseudo->syms[line];

	if (starts) {
		obj = &pseudo->objects[pseudo->nr_objects++];
		memcpy(obj->name, l->module,
		       min_t(u32, l->modlen, sizeof(obj->name) - 1));
		obj->first = line;
	}
	pseudo->objects[pseudo->nr_objects - 1].nr++;
	ksyms_nm_to_sym(l->type, l->addr, sym);
	sym->st_name = l->name - pseudo->text;
	pseudo->namelen[line] = l->namelen;
	pseudo->letters[line] = l->type;
	return 0;
}

struct ksyms_pseudo_rank {
	u64 addr;
	u32 kind;
	u32 index;
};

static int ksyms_pseudo_rank_cmp(const void *a, const void *b)
{
	const struct ksyms_pseudo_rank *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return 0;
}

/*
 * Sizes @obj's symbols as the comment at the top says; @buf is scratch for
 * ksyms_pseudo_kernel_size().
 */
static void ksyms_pseudo_sizes(struct ksyms_pseudo *pseudo,
			       const struct ksyms_pseudo_object *obj,
			       struct ksyms_pseudo_rank *rank, char *buf)
{
	u64 i, j;

	for (i = 0; i < obj->nr; i++) {
		rank[i].addr = pseudo->syms[obj->first + i].st_value;
		rank[i].kind = ksyms_nm_kind(pseudo->letters[obj->first + i]);
		rank[i].index = i;
	}
	sort(rank, obj->nr, sizeof(*rank), ksyms_pseudo_rank_cmp, NULL);
	for (i = 0; i < obj->nr; i++) {
		Elf64_Sym *sym = &pseudo->syms[obj->first + rank[i].index];

		if (rank[i].kind >= KSYMS_NR_KINDS)
			continue;
		for (j = i + 1; j < obj->nr && rank[j].kind == rank[i].kind &&
		     rank[j].addr == rank[i].addr; j++)
			;
		if (j < obj->nr && rank[j].kind == rank[i].kind &&
		    rank[j].addr - rank[i].addr <= KSYMS_ELF_SECTION_SPAN)
			sym->st_size = rank[j].addr - rank[i].addr;
	}
	for (i = obj->first; i < obj->first + obj->nr; i++) {
		Elf64_Sym *sym = &pseudo->syms[i];
		u64 size = ksyms_pseudo_kernel_size(sym->st_value,
						    pseudo->text + sym->st_name,
						    pseudo->namelen[i], buf);

		if (size && size <= KSYMS_ELF_SECTION_SPAN)
			sym->st_size = size;
	}
}

/* Counts @obj's needs into the layout, as ksyms_pseudo_write() places. */
static void ksyms_pseudo_measure(struct ksyms_pseudo *pseudo,
				 struct ksyms_pseudo_object *obj)
{
	struct ksyms_elf_layout *needs = &pseudo->needs;
	struct ksyms_elf_chunker c;
	u64 i;

	ksyms_elf_chunker_init(&c, NULL, 0, KSYMS_ELF_SECTION_SPAN);
	for (i = obj->first; i < obj->first + obj->nr; i++) {
		const Elf64_Sym *sym = &pseudo->syms[i];

		if (ksyms_elf_is_local(sym))
			needs->nr_locals++;
		else
			needs->nr_globals++;
		needs->strtab_size += pseudo->namelen[i] + 1;
		ksyms_elf_place(&c, sym, ksyms_nm_kind(pseudo->letters[i]), 0);
	}
	ksyms_elf_chunker_finish(&c);
	obj->nr_sections = c.nr;
	needs->nr_sections += c.nr;
	needs->zero_size = max(needs->zero_size, c.zero_size);
	needs->nobits_size = max(needs->nobits_size, c.nobits_size);
}

static int ksyms_pseudo_alloc(struct ksyms_pseudo *pseudo, u64 nr_syms)
{
	pseudo->objects = ksyms_kvmalloc_array(pseudo->nr_objects,
					       sizeof(*pseudo->objects));
	pseudo->syms = ksyms_kvmalloc_array(nr_syms, sizeof(*pseudo->syms));
	pseudo->namelen = ksyms_kvmalloc_array(nr_syms,
					       sizeof(*pseudo->namelen));
	pseudo->letters = ksyms_kvmalloc_array(nr_syms, 1);
	if (!pseudo->objects || !pseudo->syms || !pseudo->namelen ||
	    !pseudo->letters)
		return -ENOMEM;
	memset(pseudo->objects, 0,
	       pseudo->nr_objects * sizeof(*pseudo->objects));
	return 0;
}

/**
 * ksyms_pseudo_parse() - Make objects and symbols of the lines read
 * @pseudo: from ksyms_pseudo_read(), not yet parsed
 *
 * Each run of lines with one name in brackets becomes one object, its
 * name cut to fit an object record.  Its symbols are typed and bound by
 * their letters and sized as the comment at the top of this file says;
 * then the typed sections they need are counted, and what all of it adds
 * to an image's layout is summed in @pseudo->needs.  The symbols' st_name
 * is the offset of their name in @pseudo->text.
 *
 * Context: Process context; may sleep.
 * Return: 0 (also when there are no lines), -EINVAL if a line is not
 * kallsyms' or names no object, or -ENOMEM.  On error, @pseudo may hold
 * part of the result: ksyms_pseudo_free() frees it all.
 */
int ksyms_pseudo_parse(struct ksyms_pseudo *pseudo)
{
	struct ksyms_pseudo_rank *rank;
	u64 i, most = 0, first_section = 0;
	s64 nr_syms;
	int err;

	if (!pseudo->text_size)
		return 0;
	nr_syms = ksyms_pseudo_each_line(pseudo, ksyms_pseudo_count);
	if (nr_syms < 0)
		return nr_syms;
	err = ksyms_pseudo_alloc(pseudo, nr_syms);
	if (err)
		return err;
	pseudo->nr_objects = 0;
	nr_syms = ksyms_pseudo_each_line(pseudo, ksyms_pseudo_fill);
	if (nr_syms < 0)
		return nr_syms;

	for (i = 0; i < pseudo->nr_objects; i++)
		most = max(most, pseudo->objects[i].nr);
	/* The ranks, then the scratch ksyms_pseudo_kernel_size() needs. */
	rank = ksyms_kvmalloc_array(most * sizeof(*rank) +
				    KSYMS_PSEUDO_SIZE_BUF, 1);
	if (!rank)
		return -ENOMEM;
	for (i = 0; i < pseudo->nr_objects; i++) {
		ksyms_pseudo_sizes(pseudo, &pseudo->objects[i], rank,
				   (char *)(rank + most));
		ksyms_pseudo_measure(pseudo, &pseudo->objects[i]);
	}
	ksyms_kvfree(rank);

	pseudo->sections = ksyms_kvmalloc_array(max_t(u64, 1,
						      pseudo->needs.nr_sections),
						sizeof(*pseudo->sections));
	if (!pseudo->sections)
		return -ENOMEM;
	for (i = 0; i < pseudo->nr_objects; i++) {
		pseudo->objects[i].sections = pseudo->sections + first_section;
		first_section += pseudo->objects[i].nr_sections;
	}
	pseudo->needs.nr_objects = pseudo->nr_objects;
	return 0;
}

static int ksyms_pseudo_write_object(struct ksyms_pseudo *pseudo,
				     struct ksyms_pseudo_object *obj,
				     struct ksyms_elf_cursor *at)
{
	struct ksyms_object *record = ksyms_elf_object_begin(at, obj->name);
	u64 shndx = ksyms_elf_cursor_shndx(at), i;
	struct ksyms_elf_chunker c;
	int err;

	if (!record)
		return -ENOSPC;
	record->flags = KSYMS_OBJECT_PSEUDO;
	ksyms_elf_chunker_init(&c, obj->sections, obj->nr_sections,
			       KSYMS_ELF_SECTION_SPAN);
	for (i = obj->first; i < obj->first + obj->nr; i++) {
		Elf64_Sym sym = pseudo->syms[i];
		char letter = pseudo->letters[i];

		sym.st_shndx = ksyms_elf_place(&c, &sym, ksyms_nm_kind(letter),
					       shndx);
		err = ksyms_elf_cursor_add(at, &sym,
					   pseudo->text + sym.st_name,
					   pseudo->namelen[i], letter);
		if (err)
			return err;
	}
	ksyms_elf_chunker_finish(&c);
	return ksyms_elf_object_end(at, record, obj->sections, c.nr, NULL, 0);
}

/**
 * ksyms_pseudo_write() - Append the parsed objects to an image
 * @pseudo: parsed by ksyms_pseudo_parse()
 * @at: where the image is written, after the modules
 *
 * Writes each object's record, marked KSYMS_OBJECT_PSEUDO and with no
 * build ID, its symbols and its typed sections.  The image's layout must
 * include @pseudo->needs.
 *
 * Context: Any context; allocates nothing.
 * Return: 0, or -ENOSPC if the layout has no room for them.
 */
int ksyms_pseudo_write(struct ksyms_pseudo *pseudo,
		       struct ksyms_elf_cursor *at)
{
	u64 i;
	int err;

	for (i = 0; i < pseudo->nr_objects; i++) {
		err = ksyms_pseudo_write_object(pseudo, &pseudo->objects[i],
						at);
		if (err)
			return err;
	}
	return 0;
}

/**
 * ksyms_pseudo_free() - Free a read, parsed, partly parsed or not
 * @pseudo: from ksyms_pseudo_read(), or NULL
 *
 * Context: Process context (it may free vmalloc memory).
 */
void ksyms_pseudo_free(struct ksyms_pseudo *pseudo)
{
	if (!pseudo)
		return;
	ksyms_kvfree(pseudo->text);
	ksyms_kvfree(pseudo->syms);
	ksyms_kvfree(pseudo->namelen);
	ksyms_kvfree(pseudo->letters);
	ksyms_kvfree(pseudo->objects);
	ksyms_kvfree(pseudo->sections);
	ksyms_kfree(pseudo);
}
