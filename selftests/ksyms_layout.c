// SPDX-License-Identifier: GPL-2.0-only
/*
 * The layout of the /dev/ksyms image (docs/image-format.md): FreeBSD's
 * 464-byte header block (ELF header, two program headers, FreeBSD's four
 * section headers, their names), .symtab at 464 with all locals first,
 * .strtab, then the extended image: the object table, the build ID notes,
 * the full section names, the zero run the typed sections share and the
 * section header table, which ends the file.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ksyms_test.h"

/* Header fields of every width, compared as what they are: unsigned. */
#define EXPECT_U64(expected, seen) \
	EXPECT_EQ((uint64_t)(expected), (uint64_t)(seen))

FIXTURE(image) {
	struct ksu_image img;
	size_t ioc_size;
	struct stat st;
};

FIXTURE_SETUP(image)
{
	int fd;

	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("open %s: %s", ksu_dev_path(), strerror(-fd));
	ASSERT_EQ(0, ioctl(fd, KIOCGSIZE, &self->ioc_size))
		TH_LOG("KIOCGSIZE: %s", strerror(errno));
	ASSERT_EQ(0, fstat(fd, &self->st));
	ASSERT_EQ(0, ksu_image_from_fd(&self->img, fd))
		TH_LOG("%s", self->img.err);
	close(fd);
}

FIXTURE_TEARDOWN(image)
{
	ksu_image_free(&self->img);
}

/* e_machine and EI_DATA of this (64-bit) program: the host's. */
static int own_elf_header(Elf64_Ehdr *eh)
{
	int fd = open("/proc/self/exe", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, eh, sizeof(*eh));
	close(fd);
	return n == sizeof(*eh) ? 0 : -1;
}

TEST_F(image, elf_header)
{
	const Elf64_Ehdr *eh = self->img.ehdr;
	Elf64_Ehdr own;
	int i;

	ASSERT_EQ(0, own_elf_header(&own));
	ASSERT_EQ(0, memcmp(eh->e_ident, ELFMAG, SELFMAG));
	EXPECT_U64(ELFCLASS64, eh->e_ident[EI_CLASS]);
	EXPECT_U64(own.e_ident[EI_DATA], eh->e_ident[EI_DATA]);
	EXPECT_U64(EV_CURRENT, eh->e_ident[EI_VERSION]);
	/* Linux: ELFOSABI_NONE like vmlinux, where FreeBSD says 9 */
	EXPECT_U64(ELFOSABI_NONE, eh->e_ident[EI_OSABI]);
	EXPECT_U64(0, eh->e_ident[EI_ABIVERSION]);
	for (i = EI_PAD; i < EI_NIDENT; i++) {
		EXPECT_U64(0, eh->e_ident[i]) TH_LOG("e_ident[%d]", i);
	}
	EXPECT_U64(ET_EXEC, eh->e_type);
	EXPECT_U64(own.e_machine, eh->e_machine);
	EXPECT_U64(EV_CURRENT, eh->e_version);
	EXPECT_U64(0, eh->e_entry);
	EXPECT_U64(64, eh->e_phoff);
	/* the section header table ends the file, 8-aligned */
	EXPECT_U64(self->img.size,
		   eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr));
	EXPECT_U64(0, eh->e_shoff % 8);
	EXPECT_LT((uint64_t)KSU_HDR_SIZE, eh->e_shoff);
	EXPECT_U64(0, eh->e_flags);
	EXPECT_U64(64, eh->e_ehsize);
	EXPECT_U64(56, eh->e_phentsize);
	EXPECT_U64(2, eh->e_phnum);
	EXPECT_U64(64, eh->e_shentsize);
	/* FreeBSD's four, objects, build IDs, kallsyms, typed sections */
	EXPECT_LT((uint64_t)KSU_SHN_FIRST_TYPED, eh->e_shnum);
	EXPECT_GT((uint64_t)SHN_LORESERVE, eh->e_shnum);
	EXPECT_U64(3, eh->e_shstrndx);
}

/*
 * FreeBSD's "text" program header carries only its flags; it is PT_NULL
 * rather than FreeBSD's PT_LOAD (eu-elflint rejects an empty loadable
 * segment that claims to be executable).  The "data" one, with FreeBSD's
 * flags, is the PT_LOAD over the zero run and the NOBITS sections: the
 * gABI wants every SHF_ALLOC section in a loadable segment.
 */
TEST_F(image, program_headers)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(self->img.data + 64);
	const unsigned char *zero = self->img.data + ph[1].p_offset;
	uint64_t i, nonzero = 0;

	EXPECT_U64(PT_NULL, ph[0].p_type);
	EXPECT_U64(PF_R | PF_X, ph[0].p_flags);
	EXPECT_U64(0, ph[0].p_offset);
	EXPECT_U64(0, ph[0].p_filesz);
	EXPECT_U64(0, ph[0].p_memsz);

	EXPECT_U64(PT_LOAD, ph[1].p_type);
	EXPECT_U64(PF_R | PF_W | PF_X, ph[1].p_flags);
	EXPECT_U64(0, ph[1].p_vaddr);
	EXPECT_U64(0, ph[1].p_paddr);
	EXPECT_U64(0, ph[1].p_align);
	EXPECT_LE(ph[1].p_filesz, ph[1].p_memsz);
	ASSERT_LE(ph[1].p_offset + ph[1].p_filesz, self->img.ehdr->e_shoff);
	EXPECT_LT(0UL, ph[1].p_filesz);
	for (i = 0; i < ph[1].p_filesz; i++)
		nonzero += zero[i] != 0;
	EXPECT_U64(0, nonzero);
	ksft_print_msg("zero run: %llu bytes, NOBITS up to %llu more\n",
		       (unsigned long long)ph[1].p_filesz,
		       (unsigned long long)(ph[1].p_memsz - ph[1].p_filesz));
}

/*
 * The header block still holds FreeBSD's four section headers, so a
 * reader that reads them at 176 instead of e_shoff finds the same tables;
 * the real table starts with the same four, .shstrtab grown.
 */
TEST_F(image, freebsd_section_headers_kept)
{
	const struct ksu_image *img = &self->img;
	const Elf64_Shdr *old = (const Elf64_Shdr *)(img->data + 176);
	const Elf64_Shdr *sh = img->shdr;
	const char *names;

	EXPECT_EQ(0, memcmp(&old[0], &sh[0], 3 * sizeof(*sh)));
	EXPECT_U64(KSU_SHSTRTAB_OFFSET, old[3].sh_offset);
	EXPECT_U64(KSU_SHSTRTAB_SIZE, old[3].sh_size);
	EXPECT_U64(0, old[3].sh_addralign);
	EXPECT_U64(17, sh[3].sh_name);
	EXPECT_U64(SHT_STRTAB, sh[3].sh_type);
	EXPECT_LT((uint64_t)KSU_SHSTRTAB_SIZE, sh[3].sh_size);
	ASSERT_LE(sh[3].sh_offset + sh[3].sh_size, img->size);
	names = (const char *)img->data + sh[3].sh_offset;
	EXPECT_EQ(0, memcmp(names, img->data + KSU_SHSTRTAB_OFFSET,
			    KSU_SHSTRTAB_SIZE));
	EXPECT_EQ('\0', names[sh[3].sh_size - 1]);
}

/* What each section after FreeBSD's four is. */
TEST_F(image, extended_sections)
{
	const struct ksu_image *img = &self->img;
	const Elf64_Shdr *sh = img->shdr;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(img->data + 64) + 1;
	const char *names = (const char *)img->data + sh[3].sh_offset;
	size_t i, kinds[4] = { 0 };

	EXPECT_STREQ(".ksyms.objects", names + sh[KSU_SHN_OBJECTS].sh_name);
	EXPECT_U64(SHT_PROGBITS, sh[KSU_SHN_OBJECTS].sh_type);
	EXPECT_U64(0, sh[KSU_SHN_OBJECTS].sh_flags);
	EXPECT_U64(sizeof(struct ksyms_object), sh[KSU_SHN_OBJECTS].sh_entsize);
	EXPECT_U64(0, sh[KSU_SHN_OBJECTS].sh_size % sizeof(struct ksyms_object));
	EXPECT_U64(8, sh[KSU_SHN_OBJECTS].sh_addralign);
	EXPECT_U64(0, sh[KSU_SHN_OBJECTS].sh_offset % 8);
	EXPECT_STREQ(".note.gnu.build-id",
		     names + sh[KSU_SHN_BUILD_IDS].sh_name);
	EXPECT_U64(SHT_NOTE, sh[KSU_SHN_BUILD_IDS].sh_type);
	EXPECT_U64(4, sh[KSU_SHN_BUILD_IDS].sh_addralign);
	EXPECT_STREQ(".ksyms.kallsyms", names + sh[KSU_SHN_KALLSYMS].sh_name);
	EXPECT_U64(SHT_PROGBITS, sh[KSU_SHN_KALLSYMS].sh_type);
	EXPECT_U64(0, sh[KSU_SHN_KALLSYMS].sh_flags);
	/* a letter a symbol, then a bit a symbol but the null one */
	EXPECT_U64(img->nsyms + (img->nsyms - 1 + 7) / 8,
		   sh[KSU_SHN_KALLSYMS].sh_size);

	for (i = KSU_SHN_FIRST_TYPED; i < img->ehdr->e_shnum; i++) {
		const char *name = names + sh[i].sh_name;
		uint64_t flags = sh[i].sh_flags;

		if (!strcmp(name, ".text")) {
			kinds[0]++;
			EXPECT_U64(SHF_ALLOC | SHF_EXECINSTR, flags);
		} else if (!strcmp(name, ".rodata")) {
			kinds[1]++;
			EXPECT_U64(SHF_ALLOC, flags);
		} else if (!strcmp(name, ".data")) {
			kinds[2]++;
			EXPECT_U64(SHF_ALLOC | SHF_WRITE, flags);
		} else if (!strcmp(name, ".bss")) {
			kinds[3]++;
			EXPECT_U64(SHF_ALLOC | SHF_WRITE, flags);
			EXPECT_U64(SHT_NOBITS, sh[i].sh_type);
			EXPECT_U64(ph->p_offset + ph->p_filesz, sh[i].sh_offset);
			EXPECT_LE(sh[i].sh_size, ph->p_memsz - ph->p_filesz);
			continue;
		} else {
			EXPECT_TRUE(false)
				TH_LOG("section %zu is \"%s\"", i, name);
			continue;
		}
		/* PROGBITS: all read the zero run */
		EXPECT_U64(SHT_PROGBITS, sh[i].sh_type);
		EXPECT_U64(ph->p_offset, sh[i].sh_offset);
		EXPECT_LE(sh[i].sh_size, ph->p_filesz);
	}
	ksft_print_msg("typed sections: %zu text, %zu rodata, %zu data, %zu bss\n",
		       kinds[0], kinds[1], kinds[2], kinds[3]);
	EXPECT_LT(0UL, kinds[0]);
	EXPECT_LT(0UL, kinds[1]);
	EXPECT_LT(0UL, kinds[2]);
	EXPECT_LT(0UL, kinds[3]);
}

TEST_F(image, section_headers)
{
	const struct ksu_image *img = &self->img;
	const Elf64_Shdr *sh = img->shdr;
	static const Elf64_Shdr zero;
	uint64_t symsz;
	size_t i;

	ASSERT_EQ(0, memcmp(&sh[0], &zero, sizeof(zero)))
		TH_LOG("section 0 is not all zero");

	symsz = sh[1].sh_size;

	EXPECT_U64(1, sh[1].sh_name);
	EXPECT_U64(SHT_SYMTAB, sh[1].sh_type);
	EXPECT_U64(0, sh[1].sh_flags);
	EXPECT_U64(0, sh[1].sh_addr);
	EXPECT_U64(KSU_HDR_SIZE, sh[1].sh_offset);
	EXPECT_U64(0, symsz % sizeof(Elf64_Sym));
	EXPECT_U64(2, sh[1].sh_link);
	EXPECT_U64(8, sh[1].sh_addralign);
	EXPECT_U64(sizeof(Elf64_Sym), sh[1].sh_entsize);
	/* sh_info: one past the last local, i.e. the first non-local */
	for (i = 1; i < img->nsyms; i++)
		if (ELF64_ST_BIND(img->syms[i].st_info) != STB_LOCAL)
			break;
	EXPECT_U64(i, sh[1].sh_info);

	EXPECT_U64(9, sh[2].sh_name);
	EXPECT_U64(SHT_STRTAB, sh[2].sh_type);
	EXPECT_U64(0, sh[2].sh_flags);
	EXPECT_U64(0, sh[2].sh_addr);
	EXPECT_U64(KSU_HDR_SIZE + symsz, sh[2].sh_offset);
	EXPECT_U64(0, sh[2].sh_link);
	EXPECT_U64(0, sh[2].sh_info);
	EXPECT_U64(1, sh[2].sh_addralign);
	EXPECT_U64(0, sh[2].sh_entsize);

	EXPECT_U64(17, sh[3].sh_name);
	EXPECT_U64(SHT_STRTAB, sh[3].sh_type);
	EXPECT_U64(0, sh[3].sh_flags);
	EXPECT_U64(0, sh[3].sh_addr);
	EXPECT_U64(0, sh[3].sh_link);
	EXPECT_U64(0, sh[3].sh_info);
	/* FreeBSD's value, kept */
	EXPECT_U64(0, sh[3].sh_addralign);
	EXPECT_U64(0, sh[3].sh_entsize);
}

TEST_F(image, section_names)
{
	static const char names[KSU_SHSTRTAB_SIZE] =
		"\0.symtab\0.strtab\0.shstrtab\0";
	const unsigned char *d = self->img.data;
	const char *shstr = (const char *)d + KSU_SHSTRTAB_OFFSET;
	const Elf64_Shdr *sh = self->img.shdr;
	int i;

	EXPECT_EQ(0, memcmp(shstr, names, sizeof(names)));
	EXPECT_STREQ(".symtab", shstr + sh[1].sh_name);
	EXPECT_STREQ(".strtab", shstr + sh[2].sh_name);
	EXPECT_STREQ(".shstrtab", shstr + sh[3].sh_name);
	/* 460..463: padding up to the symbol table */
	for (i = KSU_SHSTRTAB_OFFSET + KSU_SHSTRTAB_SIZE; i < KSU_HDR_SIZE; i++) {
		EXPECT_EQ(0, d[i]) TH_LOG("byte %d", i);
	}
}

TEST_F(image, sizes_agree)
{
	const struct ksu_image *img = &self->img;
	const Elf64_Shdr *sh = img->shdr;
	uint64_t total = img->ehdr->e_shoff +
			 (uint64_t)img->ehdr->e_shnum * sizeof(Elf64_Shdr);

	EXPECT_EQ(total, img->size);
	EXPECT_EQ(total, self->ioc_size);
	EXPECT_EQ(total, (uint64_t)self->st.st_size);
	/* the object table follows the string table, 8-aligned */
	EXPECT_EQ((sh[2].sh_offset + sh[2].sh_size + 7) & ~7ULL,
		  sh[KSU_SHN_OBJECTS].sh_offset);
	/* a real kernel has symbols of both bindings */
	EXPECT_LT(1UL, img->first_global);
	EXPECT_LT(img->first_global, img->nsyms);
}

static const Elf64_Sym null_sym;

TEST_F(image, null_symbol_then_locals_then_globals)
{
	const struct ksu_image *img = &self->img;
	size_t i, bad_local = 0, bad_global = 0;

	ASSERT_LE(1UL, img->nsyms);
	EXPECT_EQ(0, memcmp(&img->syms[0], &null_sym, sizeof(null_sym)))
		TH_LOG("symbol 0 is not the null symbol");
	for (i = 1; i < img->nsyms; i++) {
		bool local = ELF64_ST_BIND(img->syms[i].st_info) == STB_LOCAL;

		if (i < img->first_global && !local) {
			if (!bad_local++)
				TH_LOG("symbol %zu (%s) below sh_info is not local",
				       i, ksu_sym_name(img, &img->syms[i]));
		} else if (i >= img->first_global && local) {
			if (!bad_global++)
				TH_LOG("symbol %zu (%s) at or above sh_info is local",
				       i, ksu_sym_name(img, &img->syms[i]));
		}
	}
	EXPECT_EQ(0UL, bad_local);
	EXPECT_EQ(0UL, bad_global);
}

TEST_F(image, string_table)
{
	const struct ksu_image *img = &self->img;
	size_t i, bad = 0, empty = 0;

	ASSERT_LE(2UL, img->strsz);
	EXPECT_EQ('\0', img->strtab[0]);
	EXPECT_EQ('\0', img->strtab[img->strsz - 1]);
	for (i = 1; i < img->nsyms; i++) {
		const char *name = ksu_sym_name(img, &img->syms[i]);

		if (!name) {
			if (!bad++)
				TH_LOG("symbol %zu: st_name %u outside .strtab",
				       i, img->syms[i].st_name);
		} else if (!*name) {
			/* /proc/kallsyms skips empty names; so does the image */
			if (!empty++)
				TH_LOG("symbol %zu has an empty name", i);
		}
	}
	EXPECT_EQ(0UL, bad);
	EXPECT_EQ(0UL, empty);
}

TEST_HARNESS_MAIN
