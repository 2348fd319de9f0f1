// SPDX-License-Identifier: GPL-2.0-only
/*
 * The headers of a /dev/ksyms image: FreeBSD's 464-byte header block, and
 * after the string table the zeroed parts, the full .shstrtab and the
 * section header table, each at the place ksyms_elf_layout.c gives it.
 */
#include <linux/elf.h>
#include <linux/string.h>
#include <linux/types.h>

#include "ksyms_elf.h"
#include "ksyms_elf_internal.h"

static void ksyms_elf_write_ehdr(Elf64_Ehdr *ehdr,
				 const struct ksyms_elf_plan *plan,
				 u16 machine, u8 data)
{
	memcpy(ehdr->e_ident, ELFMAG, SELFMAG);
	ehdr->e_ident[EI_CLASS] = ELFCLASS64;
	ehdr->e_ident[EI_DATA] = data;
	ehdr->e_ident[EI_VERSION] = EV_CURRENT;
	ehdr->e_ident[EI_OSABI] = ELFOSABI_NONE;
	ehdr->e_type = ET_EXEC;
	ehdr->e_machine = machine;
	ehdr->e_version = EV_CURRENT;
	ehdr->e_phoff = KSYMS_ELF_PHOFF;
	ehdr->e_shoff = plan->shoff;
	ehdr->e_ehsize = sizeof(Elf64_Ehdr);
	ehdr->e_phentsize = sizeof(Elf64_Phdr);
	ehdr->e_phnum = KSYMS_PHDR_COUNT;
	ehdr->e_shentsize = sizeof(Elf64_Shdr);
	ehdr->e_shnum = plan->shnum;
	ehdr->e_shstrndx = KSYMS_SHN_SHSTRTAB;
}

/*
 * FreeBSD's two program headers, empty but for their flags.  They are
 * PT_NULL rather than FreeBSD's PT_LOAD: a loadable segment that claims to
 * be executable yet holds nothing is an error to eu-elflint, and nothing
 * in the image is to be loaded.
 *
 * With typed sections the second one is a PT_LOAD over the zero run and
 * the NOBITS sections after it: the gABI wants every SHF_ALLOC section in
 * a loadable segment, and SHF_ALLOC is what makes nm type a symbol from
 * its section.  Its contents are zeros; see docs/image-format.md.
 */
static void ksyms_elf_write_phdrs(Elf64_Phdr *phdr,
				  const struct ksyms_elf_layout *layout,
				  const struct ksyms_elf_plan *plan)
{
	Elf64_Phdr *data = &phdr[KSYMS_PHDR_DATA];

	phdr[KSYMS_PHDR_TEXT].p_type = PT_NULL;
	phdr[KSYMS_PHDR_TEXT].p_flags = PF_R | PF_X;
	data->p_type = PT_NULL;
	data->p_flags = PF_R | PF_W | PF_X;
	if (layout->nr_sections) {
		data->p_type = PT_LOAD;
		data->p_offset = plan->zero;
		data->p_filesz = layout->zero_size;
		data->p_memsz = layout->zero_size + layout->nobits_size;
	}
}

/**
 * ksyms_elf_write_header_block() - write FreeBSD's 464-byte header block
 * @image: the image, at least %KSYMS_ELF_SYMTAB_OFFSET bytes
 * @layout: the image's counts
 * @machine: e_machine
 * @data: EI_DATA, the byte order
 *
 * The ELF header, the program headers and a copy of sections 0 to 3's
 * headers, with .shstrtab at FreeBSD's names right after them.  A reader
 * that takes the section headers at 176, as from FreeBSD's image, finds
 * the symbol and string tables.  Writes [0, %KSYMS_ELF_SYMTAB_OFFSET) and
 * nothing else.
 */
void ksyms_elf_write_header_block(void *image,
				  const struct ksyms_elf_layout *layout,
				  u16 machine, u8 data)
{
	char *base = image;
	Elf64_Shdr *shdr = (Elf64_Shdr *)(base + KSYMS_ELF_SHOFF);
	struct ksyms_elf_plan plan;

	ksyms_elf_plan_image(layout, &plan);
	memset(base, 0, KSYMS_ELF_SYMTAB_OFFSET);
	ksyms_elf_write_ehdr((Elf64_Ehdr *)base, &plan, machine, data);
	ksyms_elf_write_phdrs((Elf64_Phdr *)(base + KSYMS_ELF_PHOFF), layout,
			      &plan);
	ksyms_elf_write_table(shdr, base + KSYMS_ELF_SHSTRTAB_OFFSET,
			      KSYMS_SHN_COUNT, layout, &plan);
	shdr[KSYMS_SHN_SHSTRTAB].sh_offset = KSYMS_ELF_SHSTRTAB_OFFSET;
	shdr[KSYMS_SHN_SHSTRTAB].sh_size = KSYMS_ELF_SHSTRTAB_SIZE;
}

/**
 * ksyms_elf_write_headers() - write everything of an image but its contents
 * @image: the image, ksyms_elf_image_size() bytes
 * @layout: the image's counts
 * @machine: e_machine
 * @data: EI_DATA, the byte order
 *
 * The header block, and from the end of the string table on: zeros (the
 * tables to fill, the zero run), the full .shstrtab and the section header
 * table but for the typed sections' headers, which
 * ksyms_elf_object_end() writes.  The symbol and string tables are the
 * writer's.
 */
void ksyms_elf_write_headers(void *image, const struct ksyms_elf_layout *layout,
			     u16 machine, u8 data)
{
	char *base = image;
	struct ksyms_elf_plan plan;
	char *names;
	u64 tail;

	ksyms_elf_plan_image(layout, &plan);
	ksyms_elf_write_header_block(image, layout, machine, data);
	tail = plan.offset[KSYMS_SHN_STRTAB] + plan.size[KSYMS_SHN_STRTAB];
	memset(base + tail, 0, plan.end - tail);
	names = base + plan.offset[KSYMS_SHN_SHSTRTAB];
	ksyms_elf_write_table((Elf64_Shdr *)(base + plan.shoff), names,
			      KSYMS_SHN_FIRST_TYPED, layout, &plan);
}
