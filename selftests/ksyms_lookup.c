// SPDX-License-Identifier: GPL-2.0-only
/*
 * NetBSD's KIOCGVALUE and KIOCGSYMBOL: every name in the image finds the
 * symbol docs/behaviour.md names (global or weak first, else the first local,
 * in image order), answers come from the descriptor's own snapshot,
 * ENOENT, ENAMETOOLONG and EFAULT change nothing, and a NetBSD-style
 * nlist() over the character device works.
 *
 * Built twice: natively and with -m32 (ksyms_lookup_32), where the structs
 * have 4-byte pointers and must get the same answers.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_netbsd_nlist.h"

#define CANARY		0xa5
#define MISSING_NAME	"ksyms_selftest_no_such_symbol"

FIXTURE(lookup) {
	int fd;
	struct ksu_image img;
	size_t longest;		/* bytes in the longest name of the image */
};

static size_t longest_name(const struct ksu_image *img)
{
	size_t i, len, longest = 0;

	for (i = 1; i < img->nsyms; i++) {
		len = strlen(ksu_sym_name(img, &img->syms[i]));
		if (len > longest)
			longest = len;
	}
	return longest;
}

FIXTURE_SETUP(lookup)
{
	int ret;

	self->fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", ksu_dev_path(),
				      strerror(-self->fd));
	ret = ksu_image_from_fd(&self->img, self->fd);
	ASSERT_EQ(0, ret) TH_LOG("%s", self->img.err);
	self->longest = longest_name(&self->img);
}

FIXTURE_TEARDOWN(lookup)
{
	if (self->fd >= 0)
		close(self->fd);
	ksu_image_free(&self->img);
}

/* The first symbol called @name, by a linear search; -1 if none. */
static long find_name(const struct ksu_image *img, const char *name)
{
	size_t i;

	for (i = 1; i < img->nsyms; i++)
		if (!strcmp(ksu_sym_name(img, &img->syms[i]), name))
			return (long)i;
	return -1;
}

static bool is_local(const Elf64_Sym *sym)
{
	return ELF64_ST_BIND(sym->st_info) == STB_LOCAL;
}

/* 0 or an errno; @val is left alone unless the call succeeds. */
static int get_value(int fd, const char *name, uint64_t *val)
{
	struct ksyms_gvalue kv = { .kv_name = name, .kv_value = 0 };

	if (ioctl(fd, KIOCGVALUE, &kv))
		return errno;
	*val = kv.kv_value;
	return 0;
}

static int get_symbol(int fd, const char *name, struct ksyms_sym *sym)
{
	struct ksyms_gsymbol kg = { .kg_name = name };

	if (ioctl(fd, KIOCGSYMBOL, &kg))
		return errno;
	*sym = kg.kg_sym;
	return 0;
}

/* Symbol indices sorted by name, then globals before locals, then index. */
static const struct ksu_image *sort_img;

static int cmp_by_name(const void *a, const void *b)
{
	const Elf64_Sym *x = &sort_img->syms[*(const size_t *)a];
	const Elf64_Sym *y = &sort_img->syms[*(const size_t *)b];
	int c = strcmp(ksu_sym_name(sort_img, x), ksu_sym_name(sort_img, y));

	if (c)
		return c;
	if (is_local(x) != is_local(y))
		return is_local(x) ? 1 : -1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/*
 * Every distinct name: KIOCGSYMBOL gives exactly the image's symbol the
 * rule picks, byte for byte, and KIOCGVALUE its value when it is global or
 * weak, ENOENT when the name has only locals.
 */
TEST_F_TIMEOUT(lookup, every_name_finds_the_image_symbol, 600)
{
	const struct ksu_image *img = &self->img;
	size_t *order, i, n = 0, names = 0, local_only = 0;
	struct ksyms_sym got;
	const Elf64_Sym *want;
	const char *name;
	uint64_t val;
	int err;

	order = malloc(img->nsyms * sizeof(*order));
	ASSERT_NE(NULL, order);
	for (i = 1; i < img->nsyms; i++)
		if (*ksu_sym_name(img, &img->syms[i]))
			order[n++] = i;
	sort_img = img;
	qsort(order, n, sizeof(*order), cmp_by_name);

	for (i = 0; i < n; i++) {
		want = &img->syms[order[i]];
		name = ksu_sym_name(img, want);
		if (i && !strcmp(name, ksu_sym_name(img, &img->syms[order[i - 1]])))
			continue;
		names++;
		err = get_symbol(self->fd, name, &got);
		ASSERT_EQ(0, err) TH_LOG("KIOCGSYMBOL %s: %s", name,
					 strerror(err));
		ASSERT_EQ(0, memcmp(&got, want, sizeof(got)))
			TH_LOG("KIOCGSYMBOL %s: not symbol %zu of the image",
			       name, order[i]);
		val = ~0ULL;
		err = get_value(self->fd, name, &val);
		if (is_local(want)) {
			local_only++;
			ASSERT_EQ(ENOENT, err) TH_LOG("KIOCGVALUE %s: local only",
						      name);
			ASSERT_EQ(~0ULL, val);
		} else {
			ASSERT_EQ(0, err) TH_LOG("KIOCGVALUE %s: %s", name,
						 strerror(err));
			ASSERT_EQ(want->st_value, val) TH_LOG("%s", name);
		}
	}
	free(order);
	ksft_print_msg("%zu names (%zu only local) of %zu symbols agree\n",
		       names, local_only, img->nsyms - 1);
	ASSERT_LT(1000, names);
	ASSERT_LT(0, local_only);
}

TEST_F(lookup, missing_names_enoent_and_nothing_written)
{
	static const char *const missing[] = {
		MISSING_NAME, "", " ", "schedule ", "SCHEDULE",
	};
	struct ksyms_gsymbol kg;
	struct ksyms_gvalue kv;
	unsigned char canary[sizeof(kg.kg_sym)];
	size_t i;

	memset(canary, CANARY, sizeof(canary));
	for (i = 0; i < ARRAY_SIZE(missing); i++) {
		memset(&kv, CANARY, sizeof(kv));
		kv.kv_name = missing[i];
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, KIOCGVALUE, &kv));
		EXPECT_EQ(ENOENT, errno) TH_LOG("KIOCGVALUE \"%s\"", missing[i]);
		EXPECT_EQ(0, memcmp(&kv.kv_value, canary, sizeof(kv.kv_value)));

		memset(&kg, CANARY, sizeof(kg));
		kg.kg_name = missing[i];
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, KIOCGSYMBOL, &kg));
		EXPECT_EQ(ENOENT, errno) TH_LOG("KIOCGSYMBOL \"%s\"", missing[i]);
		EXPECT_EQ(0, memcmp(&kg.kg_sym, canary, sizeof(kg.kg_sym)));
	}
}

/*
 * ENAMETOOLONG exactly when the name is longer than the longest in the
 * image: one byte shorter is just not found, the longest itself is found.
 */
TEST_F(lookup, longer_than_every_name_enametoolong)
{
	size_t len = self->longest;
	char *name = malloc(len + 2);
	const char *longest = NULL;
	struct ksyms_sym sym;
	uint64_t val = 0;
	size_t i;

	ASSERT_NE(NULL, name);
	for (i = 1; i < self->img.nsyms && !longest; i++)
		if (strlen(ksu_sym_name(&self->img, &self->img.syms[i])) == len)
			longest = ksu_sym_name(&self->img, &self->img.syms[i]);
	ASSERT_NE(NULL, longest);
	EXPECT_EQ(0, get_symbol(self->fd, longest, &sym));

	memset(name, 'q', len + 1);
	name[len + 1] = '\0';
	EXPECT_EQ(ENAMETOOLONG, get_value(self->fd, name, &val));
	EXPECT_EQ(ENAMETOOLONG, get_symbol(self->fd, name, &sym));
	EXPECT_EQ(0, val);
	name[len] = '\0';
	EXPECT_EQ(ENOENT, get_value(self->fd, name, &val));
	EXPECT_EQ(ENOENT, get_symbol(self->fd, name, &sym));
	free(name);
	ksft_print_msg("longest name: %zu bytes\n", len);
}

/* Bad pointers anywhere give EFAULT, and a failed call writes nothing. */
TEST_F(lookup, bad_pointers_efault)
{
	long ps = sysconf(_SC_PAGESIZE);
	struct ksyms_gvalue *kv;
	struct ksyms_gsymbol kg;
	char *pages, *tail;
	uint64_t val = 0;

	pages = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, pages);
	ASSERT_EQ(0, mprotect(pages + ps, ps, PROT_NONE));

	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGVALUE, NULL));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGSYMBOL, pages + ps));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(EFAULT, get_value(self->fd, NULL, &val));
	EXPECT_EQ(EFAULT, get_value(self->fd, pages + ps, &val));

	/* A short name that runs into the guard page without its NUL. */
	tail = pages + ps - 3;
	memcpy(tail, "abc", 3);
	EXPECT_EQ(EFAULT, get_value(self->fd, tail, &val));

	/* The struct straddles the guard page: the answer cannot be written. */
	kv = (struct ksyms_gvalue *)(pages + ps - sizeof(kv->kv_name));
	kv->kv_name = "schedule";
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGVALUE, kv));
	EXPECT_EQ(EFAULT, errno);

	/* A read-only struct: found, but not written. */
	memset(pages, 0, ps);
	((struct ksyms_gsymbol *)pages)->kg_name = "schedule";
	ASSERT_EQ(0, mprotect(pages, ps, PROT_READ));
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGSYMBOL, pages));
	EXPECT_EQ(EFAULT, errno);
	memset(&kg, 0, sizeof(kg));
	EXPECT_EQ(0, memcmp(&((struct ksyms_gsymbol *)pages)->kg_sym,
			    &kg.kg_sym, sizeof(kg.kg_sym)));
	munmap(pages, 2 * ps);
	EXPECT_EQ(0, val);
}

/*
 * A name only a newer snapshot has: a module loaded after this descriptor
 * was opened is not found through it, and is through a descriptor opened
 * after the load.
 */
TEST_F_TIMEOUT(lookup, answers_come_from_the_descriptors_snapshot, 300)
{
	struct ksu_module m[KSU_MAX_TEST_MODULES];
	struct ksu_image newer;
	const char *name = NULL;
	struct ksyms_sym sym;
	int n, fd, ret, status;
	size_t i;
	pid_t pid;

	n = ksu_test_modules(m, KSU_MAX_TEST_MODULES);
	if (n < 1)
		SKIP(return, "needs a test module in $KSYMS_TEST_MODULES");
	if (ksu_module_loaded(m[0].name))
		ASSERT_EQ(0, ksu_module_unload_wait(m[0].name));
	/* The fixture's image predates the load; reopen to be sure. */
	close(self->fd);
	ksu_image_free(&self->img);
	self->fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ksu_image_from_fd(&self->img, self->fd));

	ret = ksu_module_load(m[0].path);
	ASSERT_EQ(0, ret) TH_LOG("loading %s: %s", m[0].path, strerror(-ret));
	/* One open per process: the newer snapshot is a child's. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		fd = ksu_open(O_RDONLY);
		if (fd < 0 || ksu_image_from_fd(&newer, fd))
			_exit(2);
		/* Modules come last in each region: search from the end. */
		for (i = newer.nsyms - 1; i > 0 && !name; i--) {
			const char *s = ksu_sym_name(&newer, &newer.syms[i]);

			if (*s && get_symbol(self->fd, s, &sym) == ENOENT)
				name = s;
		}
		if (!name)
			_exit(3);
		/* Not in the parent's snapshot (inherited), but in this one. */
		if (get_symbol(fd, name, &sym) ||
		    strcmp(ksu_sym_name(&newer, (const Elf64_Sym *)&sym), name))
			_exit(4);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("child: status %#x (2 open, 3 every name in the old snapshot too, 4 not found in the new one)",
		       status);
	ASSERT_EQ(0, ksu_module_unload_wait(m[0].name));
}

TEST_F(lookup, netbsd_nlist_on_the_character_device)
{
	struct netbsd_nlist nl[] = {
		{ .n_name = "schedule" },
		{ .n_name = "jiffies" },
		{ .n_name = MISSING_NAME },
		{ .n_name = "init_task" },
		{ .n_name = NULL },
	};
	long idx;
	size_t i;

	ASSERT_EQ(1, netbsd_nlist(self->fd, nl));
	for (i = 0; nl[i].n_name; i++) {
		const Elf64_Sym *sym;
		unsigned char want;

		if (!strcmp(nl[i].n_name, MISSING_NAME)) {
			EXPECT_EQ(0, nl[i].n_value);
			continue;
		}
		idx = find_name(&self->img, nl[i].n_name);
		ASSERT_LE(0, idx) TH_LOG("%s not in the image", nl[i].n_name);
		sym = &self->img.syms[idx];
		EXPECT_EQ(sym->st_value, nl[i].n_value)
			TH_LOG("%s", nl[i].n_name);
		/* kvm_nlist's mapping, applied to the image's own symbol */
		want = ELF64_ST_TYPE(sym->st_info) == STT_FUNC ? N_TEXT :
		       ELF64_ST_TYPE(sym->st_info) == STT_OBJECT ? N_DATA :
		       N_UNDF;
		EXPECT_EQ(want | N_EXT, nl[i].n_type)
			TH_LOG("%s", nl[i].n_name);
	}
	/* schedule is a global function in every kernel */
	EXPECT_EQ(N_TEXT | N_EXT, nl[0].n_type);
}

/* One index a snapshot, built at the first lookup and shared by all. */
TEST_F(lookup, index_built_once_per_snapshot)
{
	struct ksu_stats before, after;
	struct ksyms_sym sym;
	int i;

	if (!ksu_debugfs_present())
		SKIP(return, "needs the driver's debugfs files");
	ASSERT_EQ(0, get_symbol(self->fd, "schedule", &sym));
	ASSERT_EQ(0, ksu_stats_read(&before));
	EXPECT_LT(0, ksu_stat(&before, "names_bytes"));
	for (i = 0; i < 100; i++)
		ASSERT_EQ(0, get_symbol(self->fd, "schedule", &sym));
	ASSERT_EQ(0, ksu_stats_read(&after));
	EXPECT_EQ(ksu_stat(&before, "names_builds"),
		  ksu_stat(&after, "names_builds"));
	EXPECT_EQ(ksu_stat(&before, "names_bytes"),
		  ksu_stat(&after, "names_bytes"));
}

TEST_HARNESS_MAIN
