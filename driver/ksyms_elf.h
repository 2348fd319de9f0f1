/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Layout of the /dev/ksyms ELF image.  This file and ksyms_elf_*.c use
 * nothing of the kernel but its ELF and integer types, so the host tests
 * compile them as they are (tests/driver-host/shim provides those headers in
 * user space).
 *
 * The image starts as FreeBSD's: one 464-byte header block (ELF header, two
 * program headers, four section headers, the section names), the symbol
 * table at KSYMS_ELF_SYMTAB_OFFSET, the string table right after it.
 * Unlike FreeBSD, all STB_LOCAL symbols come first and sh_info is one past
 * the last of them, as the gABI requires.
 *
 * The object table, the build ID notes, kallsyms' letters and order, the
 * full section names, a run of zero bytes that the PROGBITS typed sections
 * share, and the section header table go on after the string table.
 * Sections 0 to 3 keep their indices and contents, and the header block
 * keeps a copy of FreeBSD's four section headers.  See
 * docs/image-format.md.
 *
 * ksyms_elf_layout.c places the parts, ksyms_elf_headers.c writes the
 * headers, ksyms_elf_chunker.c groups symbols into typed sections,
 * ksyms_elf_writer.c fills the symbol and string tables,
 * ksyms_elf_cursor.c adds objects, ksyms_elf_copy.c copies objects from an
 * earlier image, ksyms_elf_notes.c writes and finds build ID notes and
 * ksyms_elf_reader.c finds the tables of a finished image.
 */
#ifndef KSYMS_ELF_H
#define KSYMS_ELF_H

#include <linux/elf.h>
#include <linux/types.h>

#include <linux/ksyms.h>

/* gABI and GNU names the kernel's <linux/elf.h> lacks. */
#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID	3
#endif
#ifndef ELF64_ST_INFO
#define ELF64_ST_INFO(bind, type)	(((bind) << 4) + ((type) & 0xf))
#endif
#ifndef STV_DEFAULT
#define STV_DEFAULT	0
#endif

enum ksyms_elf_section {
	KSYMS_SHN_NULL,
	KSYMS_SHN_SYMTAB,
	KSYMS_SHN_STRTAB,
	KSYMS_SHN_SHSTRTAB,
	KSYMS_SHN_COUNT,	/* FreeBSD's sections */
	KSYMS_SHN_OBJECTS = KSYMS_SHN_COUNT,
	KSYMS_SHN_BUILD_IDS,
	KSYMS_SHN_KALLSYMS,
	KSYMS_SHN_FIRST_TYPED,
};

/*
 * What a typed section says a symbol is: nm's t, r, d and b come from
 * these sections' flags.
 */
enum ksyms_elf_kind {
	KSYMS_KIND_TEXT,
	KSYMS_KIND_RODATA,
	KSYMS_KIND_DATA,
	KSYMS_KIND_BSS,
	KSYMS_NR_KINDS,
	KSYMS_KIND_ABS = KSYMS_NR_KINDS,	/* in no section: SHN_ABS */
};

/* One typed section: addresses [addr, addr + size) of one object. */
struct ksyms_typed_section {
	u64 addr;
	u64 size;
	u32 kind;
};

enum ksyms_elf_segment {
	KSYMS_PHDR_TEXT,
	KSYMS_PHDR_DATA,
	KSYMS_PHDR_COUNT,
};

#define KSYMS_ELF_PHOFF		sizeof(Elf64_Ehdr)
#define KSYMS_ELF_SHOFF		(KSYMS_ELF_PHOFF + \
				 KSYMS_PHDR_COUNT * sizeof(Elf64_Phdr))
#define KSYMS_ELF_SHSTRTAB_OFFSET \
				(KSYMS_ELF_SHOFF + \
				 KSYMS_SHN_COUNT * sizeof(Elf64_Shdr))
/* "\0.symtab\0.strtab\0.shstrtab\0\0", as FreeBSD writes it */
#define KSYMS_ELF_SHSTRTAB_SIZE	28
#define KSYMS_ELF_SYMTAB_ALIGN	8
#define KSYMS_ELF_SYMTAB_OFFSET	464

/* Counts that fix every offset in the image. */
struct ksyms_elf_layout {
	u64 nr_locals;		/* STB_LOCAL symbols, the null symbol included */
	u64 nr_globals;		/* symbols of every other binding */
	u64 strtab_size;	/* bytes, the leading NUL included */
	u64 nr_objects;		/* records of .ksyms.objects */
	u64 build_ids_size;	/* bytes of .note.gnu.build-id */
	u64 nr_sections;	/* typed sections */
	u64 zero_size;		/* the largest PROGBITS typed section */
	u64 nobits_size;	/* the largest NOBITS typed section */
};

/*
 * The widest typed section the driver makes, unless one NOBITS symbol is
 * wider: the zero run all PROGBITS sections share is as long as the
 * longest of them.
 */
#define KSYMS_ELF_SECTION_SPAN	(256 * 1024)

/*
 * Groups symbols into typed sections no wider than @max_span bytes, or one
 * symbol's extent when that is wider.  Each kind has a section open at a
 * time, so symbols can come in any order of kinds, in one pass; addresses
 * out of order within a kind only make more sections.  With @out NULL it
 * only counts.
 */
struct ksyms_elf_chunker {
	struct ksyms_typed_section *out;
	u64 cap;
	u64 max_span;
	u64 nr;			/* sections opened so far */
	u64 zero_size;		/* as in the layout, for these sections */
	u64 nobits_size;
	bool open[KSYMS_NR_KINDS];
	u64 ordinal[KSYMS_NR_KINDS];
	struct ksyms_typed_section cur[KSYMS_NR_KINDS];
};

/*
 * Fills an image front to back.  Each symbol lands in the local or the
 * global region by its binding, so objects keep their order within each.
 */
struct ksyms_elf_writer {
	Elf64_Sym *symtab;
	u64 next_local;
	u64 end_local;
	u64 next_global;
	u64 end_global;
	char *strtab;
	u64 next_str;
	u64 end_str;
};

/* Where the next object goes in an image being written. */
struct ksyms_elf_cursor {
	void *image;
	const struct ksyms_elf_layout *layout;
	struct ksyms_elf_writer w;
	u64 next_section;		/* ordinal among the typed sections */
	struct ksyms_object *next_object;
	void *next_build_id;		/* in .note.gnu.build-id */
	char *letters;			/* .ksyms.kallsyms' letters */
	u8 *order;			/* and its order bitmap */
	u64 next_order;			/* bit of .ksyms.kallsyms' order */
};

/*
 * An image written earlier through a cursor (a snapshot's), to copy
 * objects from: the image and the layout it was written for.
 */
struct ksyms_elf_source {
	const void *image;
	const struct ksyms_elf_layout *layout;
};

/* The symbol and string tables of an image this code wrote. */
struct ksyms_elf_tables {
	const Elf64_Sym *syms;
	u64 nr_syms;
	u64 nr_locals;		/* sh_info: the null symbol and every local */
	const char *strtab;
	u64 strtab_size;
};

/* ksyms_elf_layout.c */
u64 ksyms_elf_image_size(const struct ksyms_elf_layout *layout);
void *ksyms_elf_build_ids(void *image, const struct ksyms_elf_layout *layout);

/* ksyms_elf_headers.c */
void ksyms_elf_write_headers(void *image, const struct ksyms_elf_layout *layout,
			     u16 machine, u8 data);

/* ksyms_elf_chunker.c */
void ksyms_elf_chunker_init(struct ksyms_elf_chunker *c,
			    struct ksyms_typed_section *out, u64 cap,
			    u64 max_span);
u64 ksyms_elf_chunker_add(struct ksyms_elf_chunker *c, u32 kind, u64 addr,
			  u64 end);
void ksyms_elf_chunker_finish(struct ksyms_elf_chunker *c);
u16 ksyms_elf_place(struct ksyms_elf_chunker *c, const Elf64_Sym *sym,
		    u32 kind, u64 first_shndx);

/* ksyms_elf_writer.c */
bool ksyms_elf_is_local(const Elf64_Sym *sym);
void ksyms_elf_writer_init(struct ksyms_elf_writer *w, void *image,
			   const struct ksyms_elf_layout *layout);
int ksyms_elf_add(struct ksyms_elf_writer *w, const Elf64_Sym *sym,
		  const char *name, u64 namelen);
int ksyms_elf_add_object(struct ksyms_elf_writer *w,
			 const Elf64_Sym *locals, u64 nr_locals,
			 const Elf64_Sym *globals, u64 nr_globals,
			 const char *strtab, u64 strtab_size);
bool ksyms_elf_writer_complete(const struct ksyms_elf_writer *w);

/* ksyms_elf_cursor.c */
void ksyms_elf_cursor_init(struct ksyms_elf_cursor *at, void *image,
			   const struct ksyms_elf_layout *layout);
int ksyms_elf_cursor_add(struct ksyms_elf_cursor *at, const Elf64_Sym *sym,
			 const char *name, u64 namelen, char letter);
int ksyms_elf_cursor_add_object(struct ksyms_elf_cursor *at,
				const Elf64_Sym *locals, u64 nr_locals,
				const Elf64_Sym *globals, u64 nr_globals,
				const char *strtab, u64 strtab_size,
				const char *letters, const u8 *order);
u64 ksyms_elf_cursor_shndx(const struct ksyms_elf_cursor *at);
struct ksyms_object *ksyms_elf_object_begin(struct ksyms_elf_cursor *at,
					    const char *name);
int ksyms_elf_object_end(struct ksyms_elf_cursor *at, struct ksyms_object *obj,
			 const struct ksyms_typed_section *secs, u64 nr_secs,
			 const u8 *build_id, u32 build_id_size);

/* ksyms_elf_copy.c */
void ksyms_elf_object_needs(const struct ksyms_elf_source *from, u64 index,
			    struct ksyms_elf_layout *needs);
int ksyms_elf_cursor_copy_object(struct ksyms_elf_cursor *at,
				 const struct ksyms_elf_source *from,
				 u64 index);

/* ksyms_elf_notes.c */
u64 ksyms_elf_build_id_note_size(u32 build_id_size);
int ksyms_elf_find_build_id(const void *notes, u64 size, const u8 **id,
			    u32 *id_size);

/* ksyms_elf_reader.c */
int ksyms_elf_find_tables(const void *image, u64 size,
			  struct ksyms_elf_tables *tables);

#endif /* KSYMS_ELF_H */
