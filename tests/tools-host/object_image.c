/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The image of object_image.h, built as tests/tools-host/
 * extended_image_test.cpp builds its images: lay out, place each object's
 * symbols in typed sections, then write them object by object.
 */
#include "object_image.h"

#include "ksyms_elf.h"
#include "ksyms_nm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test_symbol {
	const char *name;
	char letter;	/* kallsyms' */
	u64 address;
	u64 size;
};

struct test_object {
	const char *name;
	const struct test_symbol *symbols;
	size_t nr_symbols;
	const u8 *build_id;
	u32 build_id_size;
};

static const struct test_symbol vmlinux_symbols[] = {
	{ "_stext", 'T', 0xffffffff81000000ull, 0x100 },
	{ "local_fn", 't', 0xffffffff81000100ull, 0x100 },
	{ "init_task", 'D', 0xffffffff81600000ull, 0x1000 },
};
static const u8 vmlinux_build_id[] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23,
	0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67,
};
static const struct test_symbol ext9_symbols[] = {
	{ "ext9_helper", 't', 0xffffffffc0000000ull, 0x80 },
	{ "ext9_exported", 'T', 0xffffffffc0000080ull, 0x80 },
};
static const u8 ext9_build_id[] = { 0xde, 0xad, 0xbe, 0xef };
static const struct test_symbol bare_symbols[] = {
	{ "bare_fn", 't', 0xffffffffc0100000ull, 0x20 },
};

#define NR(array) (sizeof(array) / sizeof((array)[0]))
#define MAX_SYMBOLS 3	/* the most any object above has */

static const struct test_object objects[] = {
	{ "vmlinux", vmlinux_symbols, NR(vmlinux_symbols), vmlinux_build_id,
	  sizeof(vmlinux_build_id) },
	{ "ext9", ext9_symbols, NR(ext9_symbols), ext9_build_id,
	  sizeof(ext9_build_id) },
	{ "bare", bare_symbols, NR(bare_symbols), NULL, 0 },
};

/* One object's symbols, placed in its typed sections. */
struct placed {
	Elf64_Sym syms[MAX_SYMBOLS];
	struct ksyms_typed_section sections[MAX_SYMBOLS + 1];
	u64 nr_sections;
};

static void place(const struct test_object *o, struct ksyms_elf_layout *layout,
		  struct placed *p)
{
	struct ksyms_elf_chunker c;

	ksyms_elf_chunker_init(&c, p->sections, NR(p->sections),
			       KSYMS_ELF_SECTION_SPAN);
	for (size_t i = 0; i < o->nr_symbols; i++) {
		const struct test_symbol *s = &o->symbols[i];
		Elf64_Sym *sym = &p->syms[i];

		ksyms_nm_to_sym(s->letter, s->address, sym);
		sym->st_size = s->size;
		sym->st_shndx = ksyms_elf_place(&c, sym,
						ksyms_nm_kind(s->letter),
						KSYMS_SHN_FIRST_TYPED +
						layout->nr_sections);
		if (ksyms_elf_is_local(sym))
			layout->nr_locals++;
		else
			layout->nr_globals++;
		layout->strtab_size += strlen(s->name) + 1;
	}
	ksyms_elf_chunker_finish(&c);
	p->nr_sections = c.nr;
	layout->nr_sections += c.nr;
	if (c.zero_size > layout->zero_size)
		layout->zero_size = c.zero_size;
	if (c.nobits_size > layout->nobits_size)
		layout->nobits_size = c.nobits_size;
	layout->build_ids_size += ksyms_elf_build_id_note_size(o->build_id_size);
}

static int write_objects(void *image, const struct ksyms_elf_layout *layout,
			 const struct placed *placed)
{
	struct ksyms_elf_cursor at;

	ksyms_elf_write_headers(image, layout, EM_X86_64, ELFDATA2LSB);
	ksyms_elf_cursor_init(&at, image, layout);
	for (size_t k = 0; k < NR(objects); k++) {
		const struct test_object *o = &objects[k];
		struct ksyms_object *record =
			ksyms_elf_object_begin(&at, o->name);

		if (!record)
			return EINVAL;
		for (size_t i = 0; i < o->nr_symbols; i++) {
			const struct test_symbol *s = &o->symbols[i];

			if (ksyms_elf_cursor_add(&at, &placed[k].syms[i],
						 s->name, strlen(s->name),
						 s->letter))
				return EINVAL;
		}
		if (ksyms_elf_object_end(&at, record, placed[k].sections,
					 placed[k].nr_sections, o->build_id,
					 o->build_id_size))
			return EINVAL;
	}
	return ksyms_elf_writer_complete(&at.w) ? 0 : EINVAL;
}

int ksyms_test_write_object_image(const char *path)
{
	struct ksyms_elf_layout layout = {
		.nr_locals = 1, .strtab_size = 1, .nr_objects = NR(objects),
	};
	struct placed placed[NR(objects)];
	void *image;
	size_t size;
	FILE *file;
	int err;

	memset(placed, 0, sizeof(placed));
	for (size_t k = 0; k < NR(objects); k++)
		place(&objects[k], &layout, &placed[k]);
	size = ksyms_elf_image_size(&layout);
	image = calloc(1, size);
	if (!image)
		return ENOMEM;
	err = write_objects(image, &layout, placed);
	if (!err) {
		file = fopen(path, "wb");
		if (!file)
			err = errno;
		else if (fwrite(image, 1, size, file) != size)
			err = EIO;
		if (file && fclose(file) && !err)
			err = EIO;
	}
	free(image);
	return err;
}
