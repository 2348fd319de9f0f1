/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout of the /dev/ksyms ELF image.  This file and ksyms_elf.c use nothing
 * of the kernel but its ELF and integer types, so the host tests compile them
 * as they are (tests/host/shim provides those headers in user space).
 *
 * The image is FreeBSD's: one 464-byte header block (ELF header, two empty
 * PT_LOAD headers, four section headers, the section names), the symbol
 * table at KSYMS_ELF_SYMTAB_OFFSET, the string table right after it, no
 * padding at the end.  Unlike FreeBSD, all STB_LOCAL symbols come first and
 * sh_info is one past the last of them, as the gABI requires; see
 * docs/image-format.md.
 */
#ifndef KSYMS_ELF_H
#define KSYMS_ELF_H

#include <linux/elf.h>
#include <linux/types.h>

/* Two gABI names the kernel's <linux/elf.h> lacks. */
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
	KSYMS_SHN_COUNT,
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
/* Size of the whole image, or 0 when the layout cannot be represented. */
u64 ksyms_elf_image_size(const struct ksyms_elf_layout *layout);
void ksyms_elf_write_headers(void *image, const struct ksyms_elf_layout *layout,
			     u16 machine, u8 data);
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
