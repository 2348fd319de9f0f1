// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where each part of a /dev/ksyms image lies.  One table describes the
 * sections in the order their bytes follow the header block; their
 * offsets, their names in .shstrtab, e_shnum and their section headers
 * all come from it, so a new section is one more row.  The typed
 * sections' headers are written here too, since their names and offsets
 * come from the same places.
 */
#include <linux/build_bug.h>
#include <linux/elf.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

#include "ksyms_elf.h"
#include "ksyms_elf_internal.h"

#define KSYMS_ELF_OBJECTS_ALIGN	8
#define KSYMS_ELF_ZERO_ALIGN	8
#define KSYMS_ELF_SHDR_ALIGN	8
/* e_shnum and st_shndx must stay below the reserved indices. */
#define KSYMS_ELF_MAX_SECTIONS	(SHN_LORESERVE - KSYMS_SHN_FIRST_TYPED)

/* A section between the header block and the zero run. */
struct ksyms_elf_part {
	const char *name;
	u16 shndx;		/* fixed: readers find sections 1 to 3 by it */
	u32 type;
	u64 flags;
	u64 align;		/* sh_addralign, and of the file offset */
	u64 entsize;
	u16 link;
	u64 (*size)(const struct ksyms_elf_layout *layout);
};

static u64 ksyms_elf_symtab_size(const struct ksyms_elf_layout *layout)
{
	return ksyms_elf_nr_syms(layout) * sizeof(Elf64_Sym);
}

static u64 ksyms_elf_strtab_size(const struct ksyms_elf_layout *layout)
{
	return layout->strtab_size;
}

static u64 ksyms_elf_objects_size(const struct ksyms_elf_layout *layout)
{
	return layout->nr_objects * sizeof(struct ksyms_object);
}

static u64 ksyms_elf_build_ids_size(const struct ksyms_elf_layout *layout)
{
	return layout->build_ids_size;
}

/*
 * A letter for every symbol, then a bit of kallsyms' order for each but
 * the null symbol.
 */
static u64 ksyms_elf_kallsyms_size(const struct ksyms_elf_layout *layout)
{
	return ksyms_elf_nr_syms(layout) +
	       ksyms_elf_align(ksyms_elf_nr_syms(layout) - 1, 8) / 8;
}

static u64 ksyms_elf_shstrtab_size(const struct ksyms_elf_layout *layout);

/*
 * In file order.  .shstrtab comes last: FreeBSD's copy of it is in the
 * header block, and the full one did not fit there.  FreeBSD leaves its
 * sh_addralign 0, which the gABI reads as "none".
 */
static const struct ksyms_elf_part ksyms_elf_parts[] = {
	{
		.name = ".symtab", .shndx = KSYMS_SHN_SYMTAB,
		.type = SHT_SYMTAB, .align = KSYMS_ELF_SYMTAB_ALIGN,
		.entsize = sizeof(Elf64_Sym), .link = KSYMS_SHN_STRTAB,
		.size = ksyms_elf_symtab_size,
	},
	{
		.name = ".strtab", .shndx = KSYMS_SHN_STRTAB,
		.type = SHT_STRTAB, .align = 1,
		.size = ksyms_elf_strtab_size,
	},
	{
		.name = ".ksyms.objects", .shndx = KSYMS_SHN_OBJECTS,
		.type = SHT_PROGBITS, .align = KSYMS_ELF_OBJECTS_ALIGN,
		.entsize = sizeof(struct ksyms_object),
		.size = ksyms_elf_objects_size,
	},
	{
		.name = ".note.gnu.build-id", .shndx = KSYMS_SHN_BUILD_IDS,
		.type = SHT_NOTE, .align = KSYMS_ELF_NOTE_ALIGN,
		.size = ksyms_elf_build_ids_size,
	},
	{
		.name = ".ksyms.kallsyms", .shndx = KSYMS_SHN_KALLSYMS,
		.type = SHT_PROGBITS, .align = 1,
		.size = ksyms_elf_kallsyms_size,
	},
	{
		.name = ".shstrtab", .shndx = KSYMS_SHN_SHSTRTAB,
		.type = SHT_STRTAB, .align = 0,
		.size = ksyms_elf_shstrtab_size,
	},
};

/* Section 0 and the typed sections have no row. */
static_assert(1 + ARRAY_SIZE(ksyms_elf_parts) == KSYMS_SHN_FIRST_TYPED);

/* The typed sections: nm reads each kind's letter from its type and flags. */
static const struct {
	const char *name;
	u32 type;
	u64 flags;
} ksyms_elf_kinds[KSYMS_NR_KINDS] = {
	[KSYMS_KIND_TEXT] = { ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR },
	[KSYMS_KIND_RODATA] = { ".rodata", SHT_PROGBITS, SHF_ALLOC },
	[KSYMS_KIND_DATA] = { ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE },
	[KSYMS_KIND_BSS] = { ".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE },
};

/*
 * The sh_name of section @shndx, or with KSYMS_SHN_FIRST_TYPED where the
 * typed sections' names start.  The names lie in section index order
 * after the leading NUL; FreeBSD's end in a second NUL (its array of them
 * is a string literal), and the names after them keep it.
 */
static u32 ksyms_elf_name_offset(u16 shndx)
{
	u32 at = shndx > KSYMS_SHN_SHSTRTAB ? 2 : 1;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ksyms_elf_parts); i++)
		if (ksyms_elf_parts[i].shndx < shndx)
			at += strlen(ksyms_elf_parts[i].name) + 1;
	return at;
}

static u32 ksyms_elf_kind_name_offset(u32 kind)
{
	u32 at = ksyms_elf_name_offset(KSYMS_SHN_FIRST_TYPED);
	u32 k;

	for (k = 0; k < kind; k++)
		at += strlen(ksyms_elf_kinds[k].name) + 1;
	return at;
}

static u64 ksyms_elf_shstrtab_size(const struct ksyms_elf_layout *layout)
{
	(void)layout;	/* the names are the same in every image */
	return ksyms_elf_kind_name_offset(KSYMS_NR_KINDS);
}

/**
 * ksyms_elf_plan_image() - place every part of an image
 * @layout: the image's counts
 * @plan: filled with each section's offset and size, the zero run's
 *	offset, the section header table's offset and count, and the size
 *
 * The sections follow FreeBSD's header block in the order of the table,
 * each at its alignment; the zero run and the section header table end
 * the image.
 */
void ksyms_elf_plan_image(const struct ksyms_elf_layout *layout,
			  struct ksyms_elf_plan *plan)
{
	u64 at = KSYMS_ELF_SHSTRTAB_OFFSET + KSYMS_ELF_SHSTRTAB_SIZE;
	size_t i;

	memset(plan, 0, sizeof(*plan));
	for (i = 0; i < ARRAY_SIZE(ksyms_elf_parts); i++) {
		const struct ksyms_elf_part *part = &ksyms_elf_parts[i];

		at = ksyms_elf_align(at, part->align ? part->align : 1);
		plan->offset[part->shndx] = at;
		plan->size[part->shndx] = part->size(layout);
		at += plan->size[part->shndx];
	}
	plan->zero = ksyms_elf_align(at, KSYMS_ELF_ZERO_ALIGN);
	plan->shoff = ksyms_elf_align(plan->zero + layout->zero_size,
				      KSYMS_ELF_SHDR_ALIGN);
	plan->shnum = KSYMS_SHN_FIRST_TYPED + layout->nr_sections;
	plan->end = plan->shoff + plan->shnum * sizeof(Elf64_Shdr);
}

/**
 * ksyms_elf_image_size() - bytes of the image a layout describes
 * @layout: the image's counts
 *
 * Return: the size, or 0 when the layout cannot be represented.
 */
u64 ksyms_elf_image_size(const struct ksyms_elf_layout *layout)
{
	/*
	 * sh_info (one past the last local) and st_name are Elf64_Words; the
	 * other counts only have to keep the sums below 2^62.
	 */
	const u64 max_locals = U32_MAX;
	const u64 max_syms = 1ULL << 56;
	const u64 max_str = (u64)U32_MAX + 1;
	const u64 max_bytes = 1ULL << 56;
	struct ksyms_elf_plan plan;

	if (layout->nr_locals < 1 || layout->strtab_size < 1 ||
	    layout->nr_locals > max_locals || layout->nr_globals > max_syms ||
	    layout->strtab_size > max_str ||
	    layout->nr_sections > KSYMS_ELF_MAX_SECTIONS ||
	    layout->nr_objects > max_syms ||
	    layout->build_ids_size > max_bytes ||
	    layout->build_ids_size % KSYMS_ELF_NOTE_ALIGN ||
	    layout->zero_size > max_bytes ||
	    layout->nobits_size > max_bytes)
		return 0;
	ksyms_elf_plan_image(layout, &plan);
	return plan.end;
}

/**
 * ksyms_elf_write_table() - write section headers and their names
 * @shdr: section 0's header
 * @names: the .shstrtab the headers are written for
 * @nr: the sections to write: %KSYMS_SHN_COUNT for FreeBSD's, or
 *	%KSYMS_SHN_FIRST_TYPED for all but the typed ones, whose names then
 *	go in too
 * @layout: the image's counts
 * @plan: where its parts lie
 *
 * The bytes around the names stay as they were: the caller zeroed them.
 */
void ksyms_elf_write_table(Elf64_Shdr *shdr, char *names, u16 nr,
			   const struct ksyms_elf_layout *layout,
			   const struct ksyms_elf_plan *plan)
{
	size_t i;
	u32 kind;

	for (i = 0; i < ARRAY_SIZE(ksyms_elf_parts); i++) {
		const struct ksyms_elf_part *part = &ksyms_elf_parts[i];
		Elf64_Shdr *sh = &shdr[part->shndx];

		if (part->shndx >= nr)
			continue;
		sh->sh_name = ksyms_elf_name_offset(part->shndx);
		sh->sh_type = part->type;
		sh->sh_flags = part->flags;
		sh->sh_offset = plan->offset[part->shndx];
		sh->sh_size = plan->size[part->shndx];
		sh->sh_link = part->link;
		sh->sh_addralign = part->align;
		sh->sh_entsize = part->entsize;
		memcpy(names + sh->sh_name, part->name,
		       strlen(part->name) + 1);
	}
	/* The gABI's rule: one past the last local. */
	shdr[KSYMS_SHN_SYMTAB].sh_info = layout->nr_locals;
	if (nr < KSYMS_SHN_FIRST_TYPED)
		return;
	for (kind = 0; kind < KSYMS_NR_KINDS; kind++)
		memcpy(names + ksyms_elf_kind_name_offset(kind),
		       ksyms_elf_kinds[kind].name,
		       strlen(ksyms_elf_kinds[kind].name) + 1);
}

/**
 * ksyms_elf_section() - where one of the sections before the typed ones lies
 * @image: an image written for @layout
 * @layout: its counts
 * @shndx: the section, below %KSYMS_SHN_FIRST_TYPED
 *
 * @image is const because images copied from are; the caller knows
 * whether it may write.
 *
 * Return: the section's first byte.
 */
void *ksyms_elf_section(const void *image,
			const struct ksyms_elf_layout *layout, u16 shndx)
{
	struct ksyms_elf_plan plan;

	ksyms_elf_plan_image(layout, &plan);
	return (char *)image + plan.offset[shndx];
}

/**
 * ksyms_elf_build_ids() - where an image's build ID notes go
 * @image: an image written for @layout
 * @layout: its counts
 *
 * Return: the first byte of .note.gnu.build-id.
 */
void *ksyms_elf_build_ids(void *image, const struct ksyms_elf_layout *layout)
{
	return ksyms_elf_section(image, layout, KSYMS_SHN_BUILD_IDS);
}

/**
 * ksyms_elf_shdrs() - an image's section header table
 * @image: an image written for @layout
 * @layout: its counts
 *
 * Return: section 0's header.
 */
Elf64_Shdr *ksyms_elf_shdrs(const void *image,
			    const struct ksyms_elf_layout *layout)
{
	struct ksyms_elf_plan plan;

	ksyms_elf_plan_image(layout, &plan);
	return (Elf64_Shdr *)((char *)image + plan.shoff);
}

static void ksyms_elf_write_section(Elf64_Shdr *shdr,
				    const struct ksyms_elf_layout *layout,
				    const struct ksyms_elf_plan *plan,
				    const struct ksyms_typed_section *sec)
{
	u32 kind = sec->kind < KSYMS_NR_KINDS ? sec->kind : KSYMS_KIND_DATA;

	memset(shdr, 0, sizeof(*shdr));
	shdr->sh_name = ksyms_elf_kind_name_offset(kind);
	shdr->sh_type = ksyms_elf_kinds[kind].type;
	shdr->sh_flags = ksyms_elf_kinds[kind].flags;
	shdr->sh_addr = sec->addr;
	/* PROGBITS read the zero run; NOBITS start where it ends. */
	shdr->sh_offset = shdr->sh_type == SHT_NOBITS ?
			  plan->zero + layout->zero_size : plan->zero;
	shdr->sh_size = sec->size;
	shdr->sh_addralign = 1;
}

/**
 * ksyms_elf_write_sections() - write the headers of typed sections
 * @image: an image written for @layout
 * @layout: its counts
 * @first: the first section's ordinal among the typed sections
 * @secs: the sections
 * @n: how many
 */
void ksyms_elf_write_sections(void *image,
			      const struct ksyms_elf_layout *layout,
			      u64 first, const struct ksyms_typed_section *secs,
			      u64 n)
{
	struct ksyms_elf_plan plan;
	Elf64_Shdr *shdr;
	u64 i;

	ksyms_elf_plan_image(layout, &plan);
	shdr = (Elf64_Shdr *)((char *)image + plan.shoff) +
	       KSYMS_SHN_FIRST_TYPED + first;
	for (i = 0; i < n; i++)
		ksyms_elf_write_section(&shdr[i], layout, &plan, &secs[i]);
}

/**
 * ksyms_elf_section_of() - the typed section a header was written for
 * @shdr: a typed section's header
 *
 * Return: what ksyms_elf_write_sections() was given for @shdr.
 */
struct ksyms_typed_section ksyms_elf_section_of(const Elf64_Shdr *shdr)
{
	struct ksyms_typed_section sec = {
		.addr = shdr->sh_addr,
		.size = shdr->sh_size,
		.kind = KSYMS_KIND_DATA,
	};
	u32 kind;

	for (kind = 0; kind < KSYMS_NR_KINDS; kind++)
		if (shdr->sh_name == ksyms_elf_kind_name_offset(kind))
			sec.kind = kind;
	return sec;
}
