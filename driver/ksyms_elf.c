// SPDX-License-Identifier: GPL-2.0
/*
 * Builds the /dev/ksyms ELF image: the FreeBSD header block and a symbol
 * table with locals first.  Kernel-independent; see ksyms_elf.h.
 */
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "ksyms_elf.h"

static const char ksyms_elf_shstrtab[KSYMS_ELF_SHSTRTAB_SIZE] =
	"\0.symtab\0.strtab\0.shstrtab\0";

#define KSYMS_SHNAME_SYMTAB	1
#define KSYMS_SHNAME_STRTAB	9
#define KSYMS_SHNAME_SHSTRTAB	17

bool ksyms_elf_is_local(const Elf64_Sym *sym)
{
	return ELF64_ST_BIND(sym->st_info) == STB_LOCAL;
}

static u64 ksyms_elf_symtab_size(const struct ksyms_elf_layout *layout)
{
	return (layout->nr_locals + layout->nr_globals) * sizeof(Elf64_Sym);
}

u64 ksyms_elf_image_size(const struct ksyms_elf_layout *layout)
{
	/*
	 * sh_info (one past the last local) and st_name are Elf64_Words; the
	 * global count only has to keep the sums below 2^62.
	 */
	const u64 max_locals = U32_MAX;
	const u64 max_syms = 1ULL << 56;
	const u64 max_str = (u64)U32_MAX + 1;

	if (layout->nr_locals < 1 || layout->strtab_size < 1 ||
	    layout->nr_locals > max_locals || layout->nr_globals > max_syms ||
	    layout->strtab_size > max_str)
		return 0;
	return KSYMS_ELF_SYMTAB_OFFSET + ksyms_elf_symtab_size(layout) +
	       layout->strtab_size;
}

static void ksyms_elf_write_ehdr(Elf64_Ehdr *ehdr, u16 machine, u8 data)
{
	memset(ehdr, 0, sizeof(*ehdr));
	memcpy(ehdr->e_ident, ELFMAG, SELFMAG);
	ehdr->e_ident[EI_CLASS] = ELFCLASS64;
	ehdr->e_ident[EI_DATA] = data;
	ehdr->e_ident[EI_VERSION] = EV_CURRENT;
	ehdr->e_ident[EI_OSABI] = ELFOSABI_NONE;
	ehdr->e_type = ET_EXEC;
	ehdr->e_machine = machine;
	ehdr->e_version = EV_CURRENT;
	ehdr->e_phoff = KSYMS_ELF_PHOFF;
	ehdr->e_shoff = KSYMS_ELF_SHOFF;
	ehdr->e_ehsize = sizeof(Elf64_Ehdr);
	ehdr->e_phentsize = sizeof(Elf64_Phdr);
	ehdr->e_phnum = KSYMS_PHDR_COUNT;
	ehdr->e_shentsize = sizeof(Elf64_Shdr);
	ehdr->e_shnum = KSYMS_SHN_COUNT;
	ehdr->e_shstrndx = KSYMS_SHN_SHSTRTAB;
}

/*
 * FreeBSD's two program headers, empty but for their flags.  They are
 * PT_NULL rather than FreeBSD's PT_LOAD: a loadable segment that claims to
 * be executable yet holds nothing is an error to eu-elflint, and nothing
 * in the image is to be loaded.
 */
static void ksyms_elf_write_phdrs(Elf64_Phdr *phdr)
{
	memset(phdr, 0, KSYMS_PHDR_COUNT * sizeof(*phdr));
	phdr[KSYMS_PHDR_TEXT].p_type = PT_NULL;
	phdr[KSYMS_PHDR_TEXT].p_flags = PF_R | PF_X;
	phdr[KSYMS_PHDR_DATA].p_type = PT_NULL;
	phdr[KSYMS_PHDR_DATA].p_flags = PF_R | PF_W | PF_X;
}

static void ksyms_elf_write_shdrs(Elf64_Shdr *shdr,
				  const struct ksyms_elf_layout *layout)
{
	Elf64_Shdr *symtab = &shdr[KSYMS_SHN_SYMTAB];
	Elf64_Shdr *strtab = &shdr[KSYMS_SHN_STRTAB];
	Elf64_Shdr *shstrtab = &shdr[KSYMS_SHN_SHSTRTAB];

	memset(shdr, 0, KSYMS_SHN_COUNT * sizeof(*shdr));

	symtab->sh_name = KSYMS_SHNAME_SYMTAB;
	symtab->sh_type = SHT_SYMTAB;
	symtab->sh_offset = KSYMS_ELF_SYMTAB_OFFSET;
	symtab->sh_size = ksyms_elf_symtab_size(layout);
	symtab->sh_link = KSYMS_SHN_STRTAB;
	symtab->sh_info = layout->nr_locals;
	symtab->sh_addralign = KSYMS_ELF_SYMTAB_ALIGN;
	symtab->sh_entsize = sizeof(Elf64_Sym);

	strtab->sh_name = KSYMS_SHNAME_STRTAB;
	strtab->sh_type = SHT_STRTAB;
	strtab->sh_offset = symtab->sh_offset + symtab->sh_size;
	strtab->sh_size = layout->strtab_size;
	strtab->sh_addralign = 1;

	/* FreeBSD leaves sh_addralign 0 here; the gABI reads 0 as "none". */
	shstrtab->sh_name = KSYMS_SHNAME_SHSTRTAB;
	shstrtab->sh_type = SHT_STRTAB;
	shstrtab->sh_offset = KSYMS_ELF_SHSTRTAB_OFFSET;
	shstrtab->sh_size = KSYMS_ELF_SHSTRTAB_SIZE;
}

void ksyms_elf_write_headers(void *image, const struct ksyms_elf_layout *layout,
			     u16 machine, u8 data)
{
	char *base = image;

	memset(base, 0, KSYMS_ELF_SYMTAB_OFFSET);
	ksyms_elf_write_ehdr((Elf64_Ehdr *)base, machine, data);
	ksyms_elf_write_phdrs((Elf64_Phdr *)(base + KSYMS_ELF_PHOFF));
	ksyms_elf_write_shdrs((Elf64_Shdr *)(base + KSYMS_ELF_SHOFF), layout);
	memcpy(base + KSYMS_ELF_SHSTRTAB_OFFSET, ksyms_elf_shstrtab,
	       KSYMS_ELF_SHSTRTAB_SIZE);
}

void ksyms_elf_writer_init(struct ksyms_elf_writer *w, void *image,
			   const struct ksyms_elf_layout *layout)
{
	char *base = image;

	w->symtab = (Elf64_Sym *)(base + KSYMS_ELF_SYMTAB_OFFSET);
	w->next_local = 1;
	w->end_local = layout->nr_locals;
	w->next_global = layout->nr_locals;
	w->end_global = layout->nr_locals + layout->nr_globals;
	w->strtab = base + KSYMS_ELF_SYMTAB_OFFSET +
		    ksyms_elf_symtab_size(layout);
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

static void ksyms_elf_copy_rebased(Elf64_Sym *dst, const Elf64_Sym *src,
				   u64 count, u64 str_base)
{
	u64 i;

	if (!count)	/* src may be NULL then */
		return;
	memcpy(dst, src, count * sizeof(*dst));
	if (!str_base)
		return;
	for (i = 0; i < count; i++)
		dst[i].st_name += str_base;
}

/*
 * Appends a whole object whose symbols are already split by binding and
 * whose st_name values index @strtab.  No name is checked against
 * @strtab_size here: the caller built both.
 */
int ksyms_elf_add_object(struct ksyms_elf_writer *w,
			 const Elf64_Sym *locals, u64 nr_locals,
			 const Elf64_Sym *globals, u64 nr_globals,
			 const char *strtab, u64 strtab_size)
{
	u64 str_base = w->next_str;

	if (nr_locals > w->end_local - w->next_local ||
	    nr_globals > w->end_global - w->next_global ||
	    strtab_size > w->end_str - w->next_str)
		return -ENOSPC;
	if (strtab_size)
		memcpy(w->strtab + str_base, strtab, strtab_size);
	w->next_str += strtab_size;
	ksyms_elf_copy_rebased(&w->symtab[w->next_local], locals, nr_locals,
			       str_base);
	w->next_local += nr_locals;
	ksyms_elf_copy_rebased(&w->symtab[w->next_global], globals, nr_globals,
			       str_base);
	w->next_global += nr_globals;
	return 0;
}

bool ksyms_elf_writer_complete(const struct ksyms_elf_writer *w)
{
	return w->next_local == w->end_local &&
	       w->next_global == w->end_global && w->next_str == w->end_str;
}

static bool ksyms_elf_within(u64 offset, u64 len, u64 size)
{
	return offset <= size && len <= size - offset;
}

int ksyms_elf_find_tables(const void *image, u64 size,
			  struct ksyms_elf_tables *tables)
{
	const char *base = image;
	const Elf64_Ehdr *ehdr = image;
	const Elf64_Shdr *shdr, *symtab, *strtab;

	if (size < sizeof(*ehdr) || ehdr->e_shnum < KSYMS_SHN_COUNT ||
	    ehdr->e_shentsize != sizeof(*shdr) ||
	    !ksyms_elf_within(ehdr->e_shoff, ehdr->e_shnum * sizeof(*shdr),
			      size) || ehdr->e_shoff % sizeof(u64))
		return -EINVAL;
	shdr = (const Elf64_Shdr *)(base + ehdr->e_shoff);
	symtab = &shdr[KSYMS_SHN_SYMTAB];
	strtab = &shdr[KSYMS_SHN_STRTAB];
	if (symtab->sh_type != SHT_SYMTAB || strtab->sh_type != SHT_STRTAB ||
	    symtab->sh_entsize != sizeof(Elf64_Sym) ||
	    symtab->sh_size % sizeof(Elf64_Sym) ||
	    symtab->sh_offset % KSYMS_ELF_SYMTAB_ALIGN ||
	    !ksyms_elf_within(symtab->sh_offset, symtab->sh_size, size) ||
	    !ksyms_elf_within(strtab->sh_offset, strtab->sh_size, size) ||
	    symtab->sh_info > symtab->sh_size / sizeof(Elf64_Sym))
		return -EINVAL;
	tables->syms = (const Elf64_Sym *)(base + symtab->sh_offset);
	tables->nr_syms = symtab->sh_size / sizeof(Elf64_Sym);
	tables->nr_locals = symtab->sh_info;
	tables->strtab = base + strtab->sh_offset;
	tables->strtab_size = strtab->sh_size;
	return 0;
}
