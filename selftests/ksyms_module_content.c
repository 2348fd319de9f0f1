// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module symbols in the /dev/ksyms image, with the test modules loaded:
 * global exactly when the module exports them, and typed and sized as in
 * the module's own symbol table (the .ko file).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_content_fixture.h"

#define MAX_REPORT	10

/*
 * A module symbol is global exactly when the module exports it (upper case
 * in /proc/kallsyms), as kallsyms labels it.
 */
TEST_F(content, module_symbols_global_when_exported)
{
	const struct ksu_image *img = &self->img;
	size_t i, nmod = 0, exported = 0, bad = 0;

	for (i = 1; i < img->nsyms; i++) {
		const Elf64_Sym *s = &img->syms[i];
		const char *name = ksu_sym_name(img, s);
		const struct ksu_ksym *k;

		if (!name)
			continue;
		k = ksu_kallsyms_find(&self->ks, s->st_value, name);
		if (!k || !k->module)
			continue;
		nmod++;
		if (k->type >= 'A' && k->type <= 'Z')
			exported++;
		if ((ELF64_ST_BIND(s->st_info) == STB_LOCAL) ==
		    (k->type >= 'A' && k->type <= 'Z') && bad++ < MAX_REPORT)
			TH_LOG("[%s] %s is '%c' in kallsyms but %s here",
			       k->module, name, k->type,
			       ELF64_ST_BIND(s->st_info) == STB_LOCAL ?
			       "STB_LOCAL" : "not STB_LOCAL");
	}
	TH_LOG("%zu module symbols, %zu of them exported", nmod, exported);
	EXPECT_LT(0UL, nmod);
	EXPECT_LT(0UL, exported) TH_LOG("no exported module symbol: nothing checked");
	EXPECT_LT(exported, nmod) TH_LOG("no local module symbol: nothing checked");
	EXPECT_EQ(0UL, bad);
}

/* The module's file, decompressed when it has to be. */
static unsigned char *read_ko(const char *path, size_t *size)
{
	unsigned char *buf = NULL;
	char cmd[PATH_MAX + 64];
	const char *tool = NULL;
	FILE *f;
	int fd;

	if (strstr(path, ".ko.xz"))
		tool = "xz -dc";
	else if (strstr(path, ".ko.zst"))
		tool = "zstd -dc";
	else if (strstr(path, ".ko.gz"))
		tool = "gzip -dc";
	if (!tool) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return NULL;
		if (ksu_read_all(fd, &buf, size))
			buf = NULL;
		close(fd);
		return buf;
	}
	snprintf(cmd, sizeof(cmd), "%s '%s' 2>/dev/null", tool, path);
	f = popen(cmd, "r");
	if (!f)
		return NULL;
	if (ksu_read_all(fileno(f), &buf, size))
		buf = NULL;
	if (pclose(f) != 0) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

/*
 * The binding kallsyms gives a module symbol of binding @ko_bind, shown as
 * @letter: global when exported (weak stays weak), else local.
 */
static unsigned char kallsyms_binding(unsigned char ko_bind, char letter)
{
	if (letter < 'A' || letter > 'Z')
		return STB_LOCAL;
	return ko_bind == STB_WEAK ? STB_WEAK : STB_GLOBAL;
}

/* The section kind a letter asks for, as the driver sorts them; 0: none. */
static int letter_kind(char type)
{
	switch (type) {
	case 't': case 'T':
		return 1;
	case 'r': case 'R':
		return 2;
	case 'd': case 'D': case 'g': case 'G':
		return 3;
	case 'b': case 'B': case 's': case 'S':
		return 4;
	}
	return 0;
}

/*
 * The size the image gives a module symbol whose own st_size is 0: the
 * distance to the module's next symbol above it of the same kind, as
 * /proc/kallsyms lists them, if within a typed section's span; else 0.
 */
static uint64_t size_to_next(const struct ksu_kallsyms *ks,
			     const struct ksu_ksym *k)
{
	uint64_t best = KSU_SECTION_SPAN + 1;
	int kind = letter_kind(k->type);
	size_t i;

	if (!kind)
		return 0;
	for (i = ks->nr_vmlinux; i < ks->count; i++) {
		const struct ksu_ksym *o = &ks->syms[i];

		if (o->module && !strcmp(o->module, k->module) &&
		    letter_kind(o->type) == kind && o->addr > k->addr &&
		    o->addr - k->addr < best)
			best = o->addr - k->addr;
	}
	return best <= KSU_SECTION_SPAN ? best : 0;
}

/*
 * Module symbols carry their real type and st_other, the binding kallsyms
 * gives them, and their real st_size, or for one whose st_size is 0 the
 * distance to its module's next symbol of its kind: compare each test
 * module's symbols in the image with its .ko's symbol table.
 */
static void check_module_symtab(struct __test_metadata *_metadata,
				FIXTURE_DATA(content) *self,
				const struct ksu_module *mod, size_t *sized)
{
	const struct ksu_image *img = &self->img;
	const Elf64_Shdr *sh, *symsh = NULL;
	const Elf64_Ehdr *eh;
	const Elf64_Sym *ksyms;
	const char *kstr;
	size_t kosize, nko, i, j, nmod = 0, bad = 0;
	unsigned char *ko;

	ko = read_ko(mod->path, &kosize);
	ASSERT_NE(NULL, ko) TH_LOG("cannot read %s", mod->path);
	eh = (const Elf64_Ehdr *)ko;
	ASSERT_LE(sizeof(*eh), kosize);
	ASSERT_EQ(0, memcmp(eh->e_ident, ELFMAG, SELFMAG));
	ASSERT_EQ(ELFCLASS64, eh->e_ident[EI_CLASS]);
	ASSERT_LE(eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(*sh), kosize);
	sh = (const Elf64_Shdr *)(ko + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_type == SHT_SYMTAB)
			symsh = &sh[i];
	ASSERT_NE(NULL, symsh);
	ASSERT_LT(symsh->sh_link, eh->e_shnum);
	ASSERT_LE(symsh->sh_offset + symsh->sh_size, kosize);
	ASSERT_LE(sh[symsh->sh_link].sh_offset + sh[symsh->sh_link].sh_size,
		  kosize);
	ksyms = (const Elf64_Sym *)(ko + symsh->sh_offset);
	nko = symsh->sh_size / sizeof(*ksyms);
	kstr = (const char *)ko + sh[symsh->sh_link].sh_offset;

	for (i = 1; i < img->nsyms; i++) {
		const Elf64_Sym *s = &img->syms[i];
		const char *name = ksu_sym_name(img, s);
		const struct ksu_ksym *k;
		bool found = false;

		if (!name)
			continue;
		k = ksu_kallsyms_find(&self->ks, s->st_value, name);
		if (!k || !k->module || strcmp(k->module, mod->name))
			continue;
		nmod++;
		for (j = 1; j < nko && !found; j++)
			found = ksyms[j].st_name < sh[symsh->sh_link].sh_size &&
				!strcmp(kstr + ksyms[j].st_name, name) &&
				ELF64_ST_TYPE(ksyms[j].st_info) ==
					ELF64_ST_TYPE(s->st_info) &&
				kallsyms_binding(ELF64_ST_BIND(ksyms[j].st_info),
						 k->type) ==
					ELF64_ST_BIND(s->st_info) &&
				ksyms[j].st_other == s->st_other &&
				(ksyms[j].st_size ? ksyms[j].st_size :
				 size_to_next(&self->ks, k)) == s->st_size;
		/* j is one past the match */
		if (found && !ksyms[j - 1].st_size && s->st_size)
			(*sized)++;
		if (!found && bad++ < MAX_REPORT)
			TH_LOG("[%s] %s: info %#x other %#x size %llu, no such symbol in the .ko",
			       mod->name, name, s->st_info, s->st_other,
			       (unsigned long long)s->st_size);
	}
	TH_LOG("%zu symbols of %s checked against %s", nmod, mod->name,
	       mod->path);
	EXPECT_LT(0UL, nmod);
	EXPECT_EQ(0UL, bad);
	free(ko);
}

TEST_F(content, module_symbols_from_module_symtab)
{
	size_t sized = 0;
	int i;

	if (!self->nmods)
		SKIP(return, "no test module: $KSYMS_TEST_MODULES is not set");
	for (i = 0; i < self->nmods; i++)
		check_module_symtab(_metadata, self, &self->mods[i], &sized);
	/* the test modules have export-table and linker symbols of size 0 */
	TH_LOG("%zu symbols of size 0 in their .ko sized to their next", sized);
	EXPECT_LT(0UL, sized);
}

TEST_HARNESS_MAIN
