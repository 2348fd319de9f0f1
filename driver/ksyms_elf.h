/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout of the /dev/ksyms ELF image.  This file and ksyms_elf.c use nothing
 * of the kernel but its ELF and integer types, so the host tests compile them
 * as they are (tests/host/shim provides those headers in user space).
 *
 * The image starts as FreeBSD's: one 464-byte header block (ELF header, two
 * program headers, four section headers, the section names), the symbol
 * table at KSYMS_ELF_SYMTAB_OFFSET, the string table right after it.
 * Unlike FreeBSD, all STB_LOCAL symbols come first and sh_info is one past
 * the last of them, as the gABI requires.
 *
 * An extended image (objects, build IDs, typed sections) goes on after the
 * string table: the object table, the build ID notes, kallsyms' letters
 * and order, the full section names, a run of zero bytes that the PROGBITS
 * typed sections share, and the section header table.  Sections
 * 0 to 3 keep their indices and contents, and the header block keeps a
 * copy of FreeBSD's four section headers.  See docs/image-format.md.
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
	/* Extended images only, from here. */
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
	/* An extended image when any of these three is not 0. */
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

bool ksyms_elf_is_local(const Elf64_Sym *sym);

void ksyms_elf_chunker_init(struct ksyms_elf_chunker *c,
			    struct ksyms_typed_section *out, u64 cap,
			    u64 max_span);
/* Places [addr, end) of @kind; returns the ordinal of its section. */
u64 ksyms_elf_chunker_add(struct ksyms_elf_chunker *c, u32 kind, u64 addr,
			  u64 end);
void ksyms_elf_chunker_finish(struct ksyms_elf_chunker *c);
/*
 * The st_shndx for @sym of @kind: @first_shndx plus its section's ordinal,
 * or SHN_ABS for KSYMS_KIND_ABS, for an extent that wraps, and for a text
 * or data symbol wider than the chunker's span.
 */
u16 ksyms_elf_place(struct ksyms_elf_chunker *c, const Elf64_Sym *sym,
		    u32 kind, u64 first_shndx);

/*
 * Finds the GNU build ID note among @size bytes of notes (what
 * /sys/kernel/notes and /sys/module/NAME/notes/ hold); -ENOENT if none,
 * or if the notes are cut short.
 */
int ksyms_elf_find_build_id(const void *notes, u64 size, const u8 **id,
			    u32 *id_size);

/* Bytes of one note with a @name of @namesz bytes (NUL included). */
u64 ksyms_elf_note_size(u64 namesz, u64 descsz);
/* Writes one note at @at; returns where the next one goes. */
void *ksyms_elf_note_write(void *at, const char *name, u32 type,
			   const void *desc, u64 descsz);
/* Size of the whole image, or 0 when the layout cannot be represented. */
u64 ksyms_elf_image_size(const struct ksyms_elf_layout *layout);
void ksyms_elf_write_headers(void *image, const struct ksyms_elf_layout *layout,
			     u16 machine, u8 data);
/* The extended image's object table and build ID notes, for the caller. */
struct ksyms_object *ksyms_elf_objects(void *image,
				       const struct ksyms_elf_layout *layout);
void *ksyms_elf_build_ids(void *image, const struct ksyms_elf_layout *layout);
/* Writes the headers of typed sections [@first, @first + @n). */
void ksyms_elf_write_sections(void *image,
			      const struct ksyms_elf_layout *layout,
			      u64 first, const struct ksyms_typed_section *secs,
			      u64 n);
/* Writes the null symbol and the string table's leading NUL. */
void ksyms_elf_writer_init(struct ksyms_elf_writer *w, void *image,
			   const struct ksyms_elf_layout *layout);
int ksyms_elf_add(struct ksyms_elf_writer *w, const Elf64_Sym *sym,
		  const char *name, u64 namelen);
int ksyms_elf_add_object(struct ksyms_elf_writer *w,
			 const Elf64_Sym *locals, u64 nr_locals,
			 const Elf64_Sym *globals, u64 nr_globals,
			 const char *strtab, u64 strtab_size);
/* True when every slot the layout promised has been written. */
bool ksyms_elf_writer_complete(const struct ksyms_elf_writer *w);

/* Where the next object goes in an extended image being written. */
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

/* The headers written, the writer ready, the cursor at the first object. */
void ksyms_elf_cursor_init(struct ksyms_elf_cursor *at, void *image,
			   const struct ksyms_elf_layout *layout);
/*
 * Adds one symbol of the current object, in kallsyms order, with the
 * letter /proc/kallsyms prints for it.
 */
int ksyms_elf_cursor_add(struct ksyms_elf_cursor *at, const Elf64_Sym *sym,
			 const char *name, u64 namelen, char letter);
/*
 * ksyms_elf_add_object() for the current object, with its letters in the
 * same order as its symbols (locals, then globals) and its kallsyms order
 * as a bitmap (bit i set: the i-th symbol in kallsyms order is global).
 */
int ksyms_elf_cursor_add_object(struct ksyms_elf_cursor *at,
				const Elf64_Sym *locals, u64 nr_locals,
				const Elf64_Sym *globals, u64 nr_globals,
				const char *strtab, u64 strtab_size,
				const char *letters, const u8 *order);
/* The st_shndx base of the next object's typed sections. */
u64 ksyms_elf_cursor_shndx(const struct ksyms_elf_cursor *at);
/*
 * Starts the next object's record, before its symbols are added: @name
 * and where its symbols start.  NULL if the layout has no room for it.
 */
struct ksyms_object *ksyms_elf_object_begin(struct ksyms_elf_cursor *at,
					    const char *name);
/*
 * Ends it, after its symbols: their counts, its typed sections (whose
 * headers this writes) and its build ID, in the record and as a note.
 * -ENOSPC if the layout has no room for them.
 */
int ksyms_elf_object_end(struct ksyms_elf_cursor *at, struct ksyms_object *obj,
			 const struct ksyms_typed_section *secs, u64 nr_secs,
			 const u8 *build_id, u32 build_id_size);
/*
 * An image written earlier through a cursor (a snapshot's), to copy
 * objects from: the image and the layout it was written for.
 */
struct ksyms_elf_source {
	const void *image;
	const struct ksyms_elf_layout *layout;
};

/*
 * What object @index of @from needs of a new image's layout (its symbols,
 * names, record, note and typed sections), for adding up layouts.
 */
void ksyms_elf_object_needs(const struct ksyms_elf_source *from, u64 index,
			    struct ksyms_elf_layout *needs);
/*
 * Appends object @index of @from as the next object: its record, symbols,
 * names, letters, order, typed sections and build ID, with every index
 * moved to where they land now.  Writes the same bytes as adding the
 * object's symbols again would.  -ENOSPC if the layout has no room for it.
 */
int ksyms_elf_cursor_copy_object(struct ksyms_elf_cursor *at,
				 const struct ksyms_elf_source *from,
				 u64 index);
/* Bytes of an object's build ID note; 0 when it has none. */
u64 ksyms_elf_build_id_note_size(u32 build_id_size);

/* The symbol and string tables of an image this file wrote. */
struct ksyms_elf_tables {
	const Elf64_Sym *syms;
	u64 nr_syms;
	u64 nr_locals;		/* sh_info: the null symbol and every local */
	const char *strtab;
	u64 strtab_size;
};

/*
 * Finds them through the image's own headers; -EINVAL if they do not lie
 * inside its @size bytes.
 */
int ksyms_elf_find_tables(const void *image, u64 size,
			  struct ksyms_elf_tables *tables);

#endif /* KSYMS_ELF_H */
