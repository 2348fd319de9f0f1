// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module attribution and build IDs (docs/image-format.md): the object
 * table names vmlinux and every module in load order, its symbol ranges
 * tile the symbol table and agree with /proc/kallsyms' module column, its
 * typed sections hold their symbols, and its build IDs are the ones sysfs
 * shows, also as GNU notes in .note.gnu.build-id.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksyms_test.h"

#define NOTES_MAX		65536
#define VMLINUX_NOTES		"/sys/kernel/notes"
#define MODULE_NOTES		"/sys/module/%s/notes/.note.gnu.build-id"
#define MAX_MODULES		4096
#define GNU_BUILD_ID		3

FIXTURE(objects) {
	struct ksu_image img;
	const struct ksyms_object *obj;
	size_t nr;
};

FIXTURE_SETUP(objects)
{
	const Elf64_Shdr *sh;

	ASSERT_EQ(0, ksu_image_load(&self->img)) TH_LOG("%s", self->img.err);
	ASSERT_LT(KSU_SHN_FIRST_TYPED, self->img.ehdr->e_shnum);
	sh = &self->img.shdr[KSU_SHN_OBJECTS];
	ASSERT_EQ(sizeof(struct ksyms_object), sh->sh_entsize);
	ASSERT_LE(sh->sh_offset + sh->sh_size, self->img.size);
	self->obj = (const struct ksyms_object *)(self->img.data +
						   sh->sh_offset);
	self->nr = sh->sh_size / sizeof(struct ksyms_object);
	ASSERT_LE(1UL, self->nr);
}

FIXTURE_TEARDOWN(objects)
{
	ksu_image_free(&self->img);
}

TEST_F(objects, vmlinux_then_modules_in_load_order)
{
	struct ksu_modname *mods = calloc(MAX_MODULES, sizeof(*mods));
	int n, i;

	ASSERT_NE(NULL, mods);
	n = ksu_modules_in_load_order(mods, MAX_MODULES);
	ASSERT_LE(0, n);
	EXPECT_STREQ("vmlinux", self->obj[0].name);
	ASSERT_LE((size_t)n + 1, self->nr);
	for (i = 0; i < n; i++) {
		EXPECT_STREQ(mods[i].name, self->obj[i + 1].name);
		EXPECT_EQ(0U, self->obj[i + 1].flags);
	}
	EXPECT_EQ(0U, self->obj[0].flags);
	/* What kallsyms lists after the modules (BPF, trampolines). */
	for (i = n + 1; i < (int)self->nr; i++)
		EXPECT_EQ(KSYMS_OBJECT_PSEUDO, self->obj[i].flags)
			TH_LOG("object %d (%s) is not a module", i, self->obj[i].name);
	for (i = 0; i < (int)self->nr; i++)
		EXPECT_EQ('\0', self->obj[i].name[sizeof(self->obj[i].name) - 1]);
	free(mods);
}

/* Locals, then globals, object after object, with no gap and no overlap. */
TEST_F(objects, records_tile_the_symbol_table)
{
	const struct ksu_image *img = &self->img;
	uint64_t locals = 1, globals = img->first_global;
	uint32_t section = KSU_SHN_FIRST_TYPED;
	size_t k;

	for (k = 0; k < self->nr; k++) {
		const struct ksyms_object *o = &self->obj[k];

		EXPECT_EQ(locals, o->first_local) TH_LOG("%s", o->name);
		EXPECT_EQ(globals, o->first_global) TH_LOG("%s", o->name);
		EXPECT_EQ(section, o->first_section) TH_LOG("%s", o->name);
		locals += o->nr_locals;
		globals += o->nr_globals;
		section += o->nr_sections;
	}
	EXPECT_EQ(img->first_global, locals);
	EXPECT_EQ(img->nsyms, globals);
	EXPECT_EQ(img->ehdr->e_shnum, section);
	EXPECT_LT(10000UL, self->obj[0].nr_locals + self->obj[0].nr_globals);
}

/*
 * Every symbol of the image that /proc/kallsyms lists is in the object
 * kallsyms names in its module column (none: vmlinux).
 */
TEST_F(objects, attribution_agrees_with_kallsyms)
{
	const struct ksu_image *img = &self->img;
	struct ksu_kallsyms ks;
	size_t i, found = 0, wrong = 0;

	ASSERT_EQ(0, ksu_kallsyms_load(&ks));
	for (i = 1; i < img->nsyms; i++) {
		const Elf64_Sym *sym = &img->syms[i];
		const char *name = ksu_sym_name(img, sym);
		const struct ksu_ksym *k = ksu_kallsyms_find(&ks, sym->st_value,
							     name);
		long obj = ksu_object_of(&self->img, i);
		const char *want;

		ASSERT_LE(0, obj) TH_LOG("symbol %zu (%s) has no object", i,
					 name);
		if (!k)
			continue;
		found++;
		want = k->module ? k->module : "vmlinux";
		if (strcmp(want, self->obj[obj].name) && wrong++ < 10)
			TH_LOG("%s at %#llx: image says %s, kallsyms %s", name,
			       (unsigned long long)sym->st_value,
			       self->obj[obj].name, want);
	}
	ksft_print_msg("%zu of %zu symbols found in /proc/kallsyms, %zu attributed differently\n",
		       found, img->nsyms - 1, wrong);
	EXPECT_EQ(0UL, wrong);
	EXPECT_LT((img->nsyms - 1) * 9 / 10, found);
	ksu_kallsyms_free(&ks);
}

/* Each typed symbol lies in one of its own object's sections. */
TEST_F(objects, typed_sections_hold_their_symbols)
{
	const struct ksu_image *img = &self->img;
	size_t i, typed = 0, bad = 0;

	for (i = 1; i < img->nsyms; i++) {
		const Elf64_Sym *sym = &img->syms[i];
		const struct ksyms_object *o;
		const Elf64_Shdr *sh;
		long k = ksu_object_of(&self->img, i);

		if (sym->st_shndx == SHN_ABS)
			continue;
		ASSERT_LE(0, k);
		o = &self->obj[k];
		typed++;
		if (sym->st_shndx < o->first_section ||
		    sym->st_shndx >= o->first_section + o->nr_sections) {
			if (bad++ < 10)
				TH_LOG("%s: section %u is not %s's",
				       ksu_sym_name(img, sym), sym->st_shndx,
				       o->name);
			continue;
		}
		sh = &img->shdr[sym->st_shndx];
		if (sym->st_value < sh->sh_addr ||
		    sym->st_value + sym->st_size > sh->sh_addr + sh->sh_size ||
		    sh->sh_addr < o->base ||
		    sh->sh_addr + sh->sh_size > o->base + o->size) {
			if (bad++ < 10)
				TH_LOG("%s: outside section %u or %s's span",
				       ksu_sym_name(img, sym), sym->st_shndx,
				       o->name);
		}
	}
	ksft_print_msg("%zu of %zu symbols in typed sections\n", typed,
		       img->nsyms - 1);
	EXPECT_EQ(0UL, bad);
	EXPECT_LT((img->nsyms - 1) / 2, typed);
}

/* Reads at most NOTES_MAX bytes of @path; the count, or -errno. */
static ssize_t read_notes(const char *path, unsigned char *buf)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, got = 0;

	if (fd < 0)
		return -errno;
	while (got < NOTES_MAX &&
	       (n = read(fd, buf + got, NOTES_MAX - got)) > 0)
		got += n;
	close(fd);
	return got;
}

/* The GNU build ID note among @len bytes of notes; its size, 0 if none. */
static size_t find_build_id(const unsigned char *notes, size_t len,
			    const unsigned char **id)
{
	size_t at = 0;

	while (len - at >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		size_t name, desc, next;

		memcpy(&nh, notes + at, sizeof(nh));
		name = at + sizeof(nh);
		desc = name + ((nh.n_namesz + 3) & ~3U);
		next = desc + ((nh.n_descsz + 3) & ~3U);
		if (next > len)
			break;
		if (nh.n_type == GNU_BUILD_ID && nh.n_namesz == 4 &&
		    !memcmp(notes + name, "GNU", 4)) {
			*id = notes + desc;
			return nh.n_descsz;
		}
		at = next;
	}
	return 0;
}

static void expect_build_id(struct __test_metadata *_metadata,
			    const struct ksyms_object *o, const char *path,
			    unsigned char *buf, size_t *with_id)
{
	const unsigned char *id = NULL;
	ssize_t len = read_notes(path, buf);
	size_t size = len > 0 ? find_build_id(buf, len, &id) : 0;

	EXPECT_EQ(size, o->build_id_size) TH_LOG("%s (%s)", o->name, path);
	if (size && size == o->build_id_size) {
		EXPECT_EQ(0, memcmp(id, o->build_id, size))
			TH_LOG("%s: not sysfs' build ID", o->name);
		(*with_id)++;
	}
}

TEST_F(objects, build_ids_are_sysfs_ones)
{
	unsigned char *buf = malloc(NOTES_MAX);
	char path[sizeof(MODULE_NOTES) + KSYMS_OBJECT_NAME_LEN];
	size_t k, with_id = 0;

	ASSERT_NE(NULL, buf);
	expect_build_id(_metadata, &self->obj[0], VMLINUX_NOTES, buf, &with_id);
	EXPECT_EQ(1UL, with_id) TH_LOG("vmlinux has no build ID");
	for (k = 1; k < self->nr; k++) {
		/* Not a module, even under a module's name: no build ID. */
		if (self->obj[k].flags & KSYMS_OBJECT_PSEUDO) {
			EXPECT_EQ(0U, self->obj[k].build_id_size)
				TH_LOG("%s", self->obj[k].name);
			continue;
		}
		snprintf(path, sizeof(path), MODULE_NOTES, self->obj[k].name);
		expect_build_id(_metadata, &self->obj[k], path, buf, &with_id);
	}
	ksft_print_msg("%zu of %zu objects have a build ID\n", with_id,
		       self->nr);
	free(buf);
}

/* .note.gnu.build-id holds the records' build IDs, in their order. */
TEST_F(objects, build_id_notes_follow_the_records)
{
	const Elf64_Shdr *sh = &self->img.shdr[KSU_SHN_BUILD_IDS];
	const unsigned char *notes = self->img.data + sh->sh_offset;
	size_t at = 0, k;

	ASSERT_LE(sh->sh_offset + sh->sh_size, self->img.size);
	for (k = 0; k < self->nr; k++) {
		const struct ksyms_object *o = &self->obj[k];
		const unsigned char *id = NULL;
		Elf64_Nhdr nh;
		size_t next;

		if (!o->build_id_size)
			continue;
		ASSERT_LE(at + sizeof(nh), sh->sh_size);
		memcpy(&nh, notes + at, sizeof(nh));
		next = at + sizeof(nh) + 4 + ((nh.n_descsz + 3) & ~3U);
		ASSERT_LE(next, sh->sh_size);
		ASSERT_EQ(o->build_id_size,
			  find_build_id(notes + at, next - at, &id))
			TH_LOG("%s", o->name);
		EXPECT_EQ(0, memcmp(id, o->build_id, o->build_id_size));
		at = next;
	}
	EXPECT_EQ(sh->sh_size, at);
}

TEST_HARNESS_MAIN
