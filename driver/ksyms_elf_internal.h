/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the ksyms_elf_*.c files share and the rest of the driver has no
 * use for: where each part of an image lies, and the steps that writing a
 * new object and copying one from an earlier image have in common.
 */
#ifndef KSYMS_ELF_INTERNAL_H
#define KSYMS_ELF_INTERNAL_H

#include <linux/elf.h>
#include <linux/types.h>

#include "ksyms_elf.h"

#define KSYMS_ELF_NOTE_ALIGN	4

/* @align is a power of two. */
static inline u64 ksyms_elf_align(u64 x, u64 align)
{
	return (x + align - 1) & ~(align - 1);
}

static inline u64 ksyms_elf_nr_syms(const struct ksyms_elf_layout *layout)
{
	return layout->nr_locals + layout->nr_globals;
}

/* Where the parts of an image lie, for one layout. */
struct ksyms_elf_plan {
	u64 offset[KSYMS_SHN_FIRST_TYPED];	/* by section index */
	u64 size[KSYMS_SHN_FIRST_TYPED];
	u64 zero;		/* the zero run the PROGBITS typed sections read */
	u64 shoff;		/* the section header table */
	u64 shnum;
	u64 end;		/* the image's size */
};

/* ksyms_elf_layout.c */
void ksyms_elf_plan_image(const struct ksyms_elf_layout *layout,
			  struct ksyms_elf_plan *plan);
void ksyms_elf_write_table(Elf64_Shdr *shdr, char *names, u16 nr,
			   const struct ksyms_elf_layout *layout,
			   const struct ksyms_elf_plan *plan);
void *ksyms_elf_section(const void *image,
			const struct ksyms_elf_layout *layout, u16 shndx);
Elf64_Shdr *ksyms_elf_shdrs(const void *image,
			    const struct ksyms_elf_layout *layout);
void ksyms_elf_write_sections(void *image,
			      const struct ksyms_elf_layout *layout,
			      u64 first, const struct ksyms_typed_section *secs,
			      u64 n);
struct ksyms_typed_section ksyms_elf_section_of(const Elf64_Shdr *shdr);

/* ksyms_elf_headers.c */
void ksyms_elf_write_header_block(void *image,
				  const struct ksyms_elf_layout *layout,
				  u16 machine, u8 data);

/* ksyms_elf_writer.c */
int ksyms_elf_append(struct ksyms_elf_writer *w,
		     const Elf64_Sym *locals, u64 nr_locals,
		     const Elf64_Sym *globals, u64 nr_globals,
		     const char *strtab, u64 strtab_size, u64 old_base);

/* ksyms_elf_cursor.c */
void ksyms_elf_order_append(struct ksyms_elf_cursor *at, const u8 *order,
			    u64 first, u64 nbits);
int ksyms_elf_object_room(const struct ksyms_elf_cursor *at, u64 nr_secs,
			  u32 build_id_size);
void ksyms_elf_object_close(struct ksyms_elf_cursor *at,
			    struct ksyms_object *obj, u64 nr_secs,
			    const u8 *build_id, u32 build_id_size);

/* ksyms_elf_notes.c */
void *ksyms_elf_note_write(void *at, const char *name, u32 type,
			   const void *desc, u64 descsz);

#endif /* KSYMS_ELF_INTERNAL_H */
