// SPDX-License-Identifier: GPL-2.0-only
/*
 * Modules coming and going: the image lists vmlinux first, then the modules
 * in load order, in both binding regions; a descriptor's snapshot never
 * changes; opening never blocks module load or unload.
 *
 * Needs three test modules ($KSYMS_TEST_MODULES); every test unloads them
 * in its teardown, whatever happened.
 */
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ksyms_test.h"

#define MAX_MODULES	1024
#define MAX_REPORT	10

FIXTURE(mods) {
	struct ksu_module m[KSU_MAX_TEST_MODULES];
};

FIXTURE_SETUP(mods)
{
	int n, i;

	n = ksu_test_modules(self->m, KSU_MAX_TEST_MODULES);
	if (n < KSU_MAX_TEST_MODULES)
		SKIP(return, "needs %d test modules listed in $KSYMS_TEST_MODULES (%s)",
		     KSU_MAX_TEST_MODULES, n < 0 ? strerror(-n) : "too few");
	for (i = 0; i < n; i++) {
		if (ksu_module_loaded(self->m[i].name))
			ksu_module_unload_wait(self->m[i].name);
		ASSERT_FALSE(ksu_module_loaded(self->m[i].name))
			TH_LOG("%s is loaded and cannot be unloaded",
			       self->m[i].name);
	}
}

FIXTURE_TEARDOWN(mods)
{
	int i, ret;

	for (i = 0; i < KSU_MAX_TEST_MODULES; i++) {
		if (!self->m[i].name[0] || !ksu_module_loaded(self->m[i].name))
			continue;
		ret = ksu_module_unload_wait(self->m[i].name);
		EXPECT_EQ(0, ret) TH_LOG("unloading %s: %s", self->m[i].name,
					 strerror(-ret));
	}
}

/* Image symbols sorted by (value, name), for lookups. */
struct sym_index {
	const struct ksu_image *img;
	size_t *idx;
	size_t n;
};

static const struct ksu_image *sort_img;

static int idx_cmp(const void *a, const void *b)
{
	const Elf64_Sym *x = &sort_img->syms[*(const size_t *)a];
	const Elf64_Sym *y = &sort_img->syms[*(const size_t *)b];
	const char *nx = ksu_sym_name(sort_img, x);
	const char *ny = ksu_sym_name(sort_img, y);

	return ksu_cmp_addr_name(x->st_value, nx ? nx : "", y->st_value,
				 ny ? ny : "");
}

static int index_build(struct sym_index *si, const struct ksu_image *img)
{
	size_t i;

	si->img = img;
	si->n = img->nsyms ? img->nsyms - 1 : 0;
	si->idx = calloc(si->n + 1, sizeof(*si->idx));
	if (!si->idx)
		return -1;
	for (i = 0; i < si->n; i++)
		si->idx[i] = i + 1;
	sort_img = img;
	qsort(si->idx, si->n, sizeof(*si->idx), idx_cmp);
	return 0;
}

static bool index_has(const struct sym_index *si, uint64_t addr,
		      const char *name)
{
	size_t lo = 0, hi = si->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const Elf64_Sym *s = &si->img->syms[si->idx[mid]];
		const char *n = ksu_sym_name(si->img, s);
		int c = ksu_cmp_addr_name(s->st_value, n ? n : "", addr, name);

		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Where each image symbol comes from, as a rank in load order. */
struct ranks {
	struct ksu_modname order[MAX_MODULES];
	int norder;
	int *rank;		/* per image symbol: 0 vmlinux, i + 1 module i */
	size_t unknown;
};

static int module_rank(const struct ranks *r, const char *name)
{
	int i;

	for (i = 0; i < r->norder; i++)
		if (!strcmp(r->order[i].name, name))
			return i + 1;
	return -1;
}

/* Whether symbol @i is in a pseudo-object (BPF, trampolines). */
static bool in_pseudo_object(const struct ksu_image *img, size_t i)
{
	const Elf64_Shdr *sh = &img->shdr[KSU_SHN_OBJECTS];
	const struct ksyms_object *obj =
		(const struct ksyms_object *)(img->data + sh->sh_offset);
	size_t k, nr = sh->sh_size / sizeof(*obj);

	for (k = 0; k < nr; k++)
		if ((i >= obj[k].first_local &&
		     i - obj[k].first_local < obj[k].nr_locals) ||
		    (i >= obj[k].first_global &&
		     i - obj[k].first_global < obj[k].nr_globals))
			return obj[k].flags & KSYMS_OBJECT_PSEUDO;
	return false;
}

/*
 * Ranks each image symbol: 0 vmlinux, a module's place in load order, or
 * after them all for a pseudo-object, which kallsyms lists last.
 */
static int ranks_build(struct ranks *r, const struct ksu_image *img,
		       const struct ksu_kallsyms *ks)
{
	size_t i;

	r->norder = ksu_modules_in_load_order(r->order, MAX_MODULES);
	if (r->norder < 0)
		return r->norder;
	r->rank = calloc(img->nsyms + 1, sizeof(*r->rank));
	if (!r->rank)
		return -ENOMEM;
	r->unknown = 0;
	for (i = 1; i < img->nsyms; i++) {
		const char *name = ksu_sym_name(img, &img->syms[i]);
		const struct ksu_ksym *k;

		k = name ? ksu_kallsyms_find(ks, img->syms[i].st_value, name) :
			   NULL;
		if (!k)
			r->rank[i] = -1;
		else if (!k->module)
			r->rank[i] = 0;
		else if (in_pseudo_object(img, i))
			r->rank[i] = r->norder + 1;
		else
			r->rank[i] = module_rank(r, k->module);
		if (r->rank[i] < 0)
			r->unknown++;
	}
	return 0;
}

/* Checks one binding region [from, to) is vmlinux, then modules in order. */
static void check_region(struct __test_metadata *_metadata,
			 const struct ksu_image *img, const struct ranks *r,
			 size_t from, size_t to, const char *what)
{
	size_t i, bad = 0;
	int prev = 0;

	for (i = from; i < to; i++) {
		int rk = r->rank[i];

		if (rk < 0)
			continue;
		if (rk < prev && bad++ < MAX_REPORT)
			TH_LOG("%s region: symbol %zu %s of %s after one of %s",
			       what, i, ksu_sym_name(img, &img->syms[i]),
			       rk ? r->order[rk - 1].name : "vmlinux",
			       r->order[prev - 1].name);
		if (rk > prev)
			prev = rk;
	}
	EXPECT_EQ(0UL, bad);
}

struct span {
	long first, last;	/* image indices, -1 when none */
	size_t count;
};

static struct span module_span(const struct ranks *r, int rank, size_t from,
			       size_t to)
{
	struct span s = { -1, -1, 0 };
	size_t i;

	for (i = from; i < to; i++) {
		if (r->rank[i] != rank)
			continue;
		if (s.first < 0)
			s.first = (long)i;
		s.last = (long)i;
		s.count++;
	}
	return s;
}

static long last_vmlinux(const struct ranks *r, size_t from, size_t to)
{
	long last = -1;
	size_t i;

	for (i = from; i < to; i++)
		if (r->rank[i] == 0)
			last = (long)i;
	return last;
}

/*
 * The modules @names (in the order they were loaded) each come after every
 * vmlinux symbol and after each other, in both regions.
 */
static void check_modules_order(struct __test_metadata *_metadata,
				const struct ksu_image *img,
				const struct ranks *r, const char **names,
				int n)
{
	size_t regions[2][2] = {
		{ 1, img->first_global }, { img->first_global, img->nsyms },
	};
	static const char * const region_name[2] = { "local", "global" };
	int reg, i;

	for (reg = 0; reg < 2; reg++) {
		size_t from = regions[reg][0], to = regions[reg][1];
		long prev_last = last_vmlinux(r, from, to);
		const char *prev = "vmlinux";

		EXPECT_LE(0, prev_last);
		for (i = 0; i < n; i++) {
			int rank = module_rank(r, names[i]);
			struct span s;

			ASSERT_LT(0, rank) TH_LOG("%s not in /proc/modules",
						  names[i]);
			s = module_span(r, rank, from, to);
			if (!s.count)
				continue;
			EXPECT_LT(prev_last, s.first)
				TH_LOG("%s region: %s's first symbol (%ld) is before %s's last (%ld)",
				       region_name[reg], names[i], s.first,
				       prev, prev_last);
			prev_last = s.last;
			prev = names[i];
		}
	}
}

struct state {
	struct ksu_image img;
	struct ksu_kallsyms ks;
	struct ranks r;
};

static void state_load(struct __test_metadata *_metadata, struct state *st)
{
	int ret;

	memset(st, 0, sizeof(*st));
	ret = ksu_image_load(&st->img);
	ASSERT_EQ(0, ret) TH_LOG("%s", st->img.err);
	ret = ksu_kallsyms_load(&st->ks);
	ASSERT_EQ(0, ret) TH_LOG("/proc/kallsyms: %s", strerror(-ret));
	ret = ranks_build(&st->r, &st->img, &st->ks);
	ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));
	EXPECT_EQ(0UL, st->r.unknown)
		TH_LOG("%zu image symbols are not in /proc/kallsyms",
		       st->r.unknown);
	EXPECT_EQ(st->ks.count, st->img.nsyms - 1);
}

static void state_free(struct state *st)
{
	ksu_image_free(&st->img);
	ksu_kallsyms_free(&st->ks);
	free(st->r.rank);
}

static size_t count_module(const struct ranks *r, const struct ksu_image *img,
			   const char *name)
{
	int rank = module_rank(r, name);

	return rank < 0 ? 0 : module_span(r, rank, 1, img->nsyms).count;
}

TEST_F_TIMEOUT(mods, load_order, 120)
{
	const char *names[KSU_MAX_TEST_MODULES], *ac[2];
	struct ksu_ksym *kept;
	struct state st1, st2;
	size_t nkept = 0, i, bad;
	struct sym_index si;
	int ret;

	for (i = 0; i < KSU_MAX_TEST_MODULES; i++) {
		ret = ksu_module_load(self->m[i].path);
		ASSERT_EQ(0, ret) TH_LOG("loading %s: %s", self->m[i].path,
					 strerror(-ret));
		names[i] = self->m[i].name;
	}

	state_load(_metadata, &st1);
	check_region(_metadata, &st1.img, &st1.r, 1, st1.img.first_global,
		     "local");
	check_region(_metadata, &st1.img, &st1.r, st1.img.first_global,
		     st1.img.nsyms, "global");
	for (i = 0; i < KSU_MAX_TEST_MODULES; i++) {
		EXPECT_LT(0UL, count_module(&st1.r, &st1.img, names[i]))
			TH_LOG("no symbol of %s in the image", names[i]);
	}
	check_modules_order(_metadata, &st1.img, &st1.r, names,
			    KSU_MAX_TEST_MODULES);

	/* remember every symbol of the three modules */
	kept = calloc(st1.ks.count, sizeof(*kept));
	ASSERT_NE(NULL, kept);
	for (i = 0; i < st1.ks.count; i++) {
		const struct ksu_ksym *k = &st1.ks.syms[i];

		if (k->module && (!strcmp(k->module, names[0]) ||
				  !strcmp(k->module, names[1]) ||
				  !strcmp(k->module, names[2])))
			kept[nkept++] = *k;
	}

	ret = ksu_module_unload(names[1]);
	ASSERT_EQ(0, ret) TH_LOG("unloading %s: %s", names[1], strerror(-ret));

	state_load(_metadata, &st2);
	ASSERT_EQ(0, index_build(&si, &st2.img));
	bad = 0;
	for (i = 0; i < nkept; i++) {
		bool gone = !strcmp(kept[i].module, names[1]);

		if (index_has(&si, kept[i].addr, kept[i].name) == !gone)
			continue;
		if (bad++ < MAX_REPORT)
			TH_LOG("[%s] %s: %s after unloading %s", kept[i].module,
			       kept[i].name, gone ? "still there" : "missing",
			       names[1]);
	}
	EXPECT_EQ(0UL, bad);
	EXPECT_EQ(0UL, count_module(&st2.r, &st2.img, names[1]));
	check_region(_metadata, &st2.img, &st2.r, 1, st2.img.first_global,
		     "local");
	check_region(_metadata, &st2.img, &st2.r, st2.img.first_global,
		     st2.img.nsyms, "global");
	ac[0] = names[0];
	ac[1] = names[2];
	check_modules_order(_metadata, &st2.img, &st2.r, ac, 2);

	free(si.idx);
	free(kept);
	state_free(&st1);
	state_free(&st2);
}

/* A symbol of the module (from /proc/kallsyms) to look for in images. */
static int module_symbol(const char *module, struct ksu_ksym *out,
			 char *name, size_t len)
{
	struct ksu_kallsyms ks;
	size_t i;
	int ret;

	ret = ksu_kallsyms_load(&ks);
	if (ret)
		return ret;
	ret = -ENOENT;
	for (i = 0; i < ks.count; i++) {
		if (!ks.syms[i].module || strcmp(ks.syms[i].module, module))
			continue;
		*out = ks.syms[i];
		snprintf(name, len, "%s", ks.syms[i].name);
		out->name = name;
		out->module = NULL;
		ret = 0;
		break;
	}
	ksu_kallsyms_free(&ks);
	return ret;
}

struct child_view {
	uint64_t size;
	int has_sym;
	int err;
};

struct child_arg {
	int pipe;
	const struct ksu_ksym *sym;
};

/* Another process's fresh open: its size and whether it has the symbol. */
static int child_open(void *p)
{
	const struct child_arg *a = p;
	struct child_view v = { 0 };
	struct ksu_image img;

	v.err = ksu_image_load(&img);
	if (!v.err) {
		v.size = img.size;
		v.has_sym = a->sym ?
			    ksu_image_find(&img, a->sym->name, a->sym->addr) > 0 :
			    0;
		ksu_image_free(&img);
	}
	return write(a->pipe, &v, sizeof(v)) == sizeof(v) ? 0 : 1;
}

static struct child_view other_process_view(struct __test_metadata *_metadata,
					    const struct ksu_ksym *sym)
{
	struct child_view v = { 0 };
	struct child_arg a;
	int p[2];

	ASSERT_EQ(0, pipe(p));
	a.pipe = p[1];
	a.sym = sym;
	EXPECT_EQ(0, ksu_run_child(child_open, &a));
	EXPECT_EQ((ssize_t)sizeof(v), read(p[0], &v, sizeof(v)));
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(0, v.err) TH_LOG("open in a child: %s", strerror(-v.err));
	return v;
}

/* Everything this descriptor shows equals @img, byte for byte. */
static void check_descriptor(struct __test_metadata *_metadata, int fd,
			     const unsigned char *img, size_t size)
{
	unsigned char *again, *map;
	void *addr = NULL;
	size_t isize = 0, got;
	int ret;

	ASSERT_EQ(0, ioctl(fd, KIOCGSIZE, &isize));
	EXPECT_EQ(size, isize);
	ret = ksu_pread_all(fd, 0, &again, &got);
	ASSERT_EQ(0, ret);
	EXPECT_EQ(size, got);
	EXPECT_EQ(0, memcmp(img, again, size < got ? size : got))
		TH_LOG("read() of the old descriptor changed");
	free(again);

	ASSERT_EQ(0, ioctl(fd, KIOCGADDR, &addr));
	EXPECT_EQ(0, memcmp(img, addr, size))
		TH_LOG("the KIOCGADDR mapping changed");

	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	EXPECT_EQ(0, memcmp(img, map, size))
		TH_LOG("a new mmap() of the old descriptor differs");
	munmap(map, size);
}

TEST_F_TIMEOUT(mods, snapshot_isolation, 120)
{
	struct child_view v;
	struct ksu_ksym sym;
	unsigned char *img0, *img3;
	size_t size0, size3;
	char name[256];
	struct stat st;
	int fd, ret;

	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
	ASSERT_EQ(0, ksu_pread_all(fd, 0, &img0, &size0));

	ret = ksu_module_load(self->m[0].path);
	ASSERT_EQ(0, ret) TH_LOG("loading %s: %s", self->m[0].path,
				 strerror(-ret));
	ASSERT_EQ(0, module_symbol(self->m[0].name, &sym, name, sizeof(name)));

	/* the open descriptor still shows the old snapshot */
	check_descriptor(_metadata, fd, img0, size0);

	/* a fresh open sees the module */
	v = other_process_view(_metadata, &sym);
	EXPECT_TRUE(v.has_sym) TH_LOG("a new open does not list %s of %s",
				      sym.name, self->m[0].name);
	EXPECT_LT(size0, v.size);
	/* documented choice: st_size is the device inode's, set at each open */
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(v.size, (uint64_t)st.st_size);
	check_descriptor(_metadata, fd, img0, size0);

	ret = ksu_module_unload(self->m[0].name);
	ASSERT_EQ(0, ret) TH_LOG("unloading %s: %s", self->m[0].name,
				 strerror(-ret));
	check_descriptor(_metadata, fd, img0, size0);
	v = other_process_view(_metadata, &sym);
	EXPECT_FALSE(v.has_sym);
	EXPECT_EQ(size0, v.size);
	close(fd);

	/* same modules as at the first open: the same image again */
	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ksu_pread_all(fd, 0, &img3, &size3));
	close(fd);
	EXPECT_EQ(size0, size3);
	EXPECT_EQ(0, memcmp(img0, img3, size0 < size3 ? size0 : size3))
		TH_LOG("reopening after load + unload gives a different image");
	free(img0);
	free(img3);
}

static long builds(struct __test_metadata *_metadata)
{
	struct ksu_stats st;

	EXPECT_EQ(0, ksu_stats_read(&st));
	return ksu_stat(&st, "snapshot_builds");
}

static void open_close(struct __test_metadata *_metadata, int times)
{
	while (times--) {
		int fd = ksu_open(O_RDONLY);

		EXPECT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
		if (fd >= 0)
			close(fd);
	}
}

/* One snapshot serves every open until a module comes or goes. */
TEST_F(mods, snapshot_reused_until_modules_change)
{
	long b0;
	int ret;

	if (!ksu_debugfs_present())
		SKIP(return, "no %s/stats: debugfs not mounted", KSU_DEBUGFS);
	open_close(_metadata, 1);
	b0 = builds(_metadata);
	open_close(_metadata, 5);
	EXPECT_EQ(b0, builds(_metadata));

	ret = ksu_module_load(self->m[0].path);
	ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));
	EXPECT_EQ(b0, builds(_metadata)) TH_LOG("built before anyone opened");
	open_close(_metadata, 3);
	EXPECT_EQ(b0 + 1, builds(_metadata));

	ret = ksu_module_unload(self->m[0].name);
	ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));
	open_close(_metadata, 3);
	EXPECT_EQ(b0 + 2, builds(_metadata));
}

/* The image a new open gives, and how many modules it holds. */
static void image_now(struct __test_metadata *_metadata, struct ksu_image *img,
		      size_t *nr_modules)
{
	const struct ksyms_object *obj;
	int fd = ksu_open(O_RDONLY);
	size_t k, nr;

	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
	ASSERT_EQ(0, ksu_image_from_fd(img, fd));
	close(fd);
	ASSERT_LT(KSU_SHN_OBJECTS, img->ehdr->e_shnum);
	obj = (const struct ksyms_object *)(img->data +
					    img->shdr[KSU_SHN_OBJECTS].sh_offset);
	nr = img->shdr[KSU_SHN_OBJECTS].sh_size / sizeof(*obj);
	/* every object but vmlinux and the pseudo-objects */
	*nr_modules = 0;
	for (k = 1; k < nr; k++)
		*nr_modules += !(obj[k].flags & KSYMS_OBJECT_PSEUDO);
}

/*
 * The first open after a module comes reads only that module's table and
 * copies every other module from the last snapshot.  What it copies is
 * what reading them all again gives, byte for byte, and a module that
 * left and came back (perhaps at the very address it left) is read again.
 */
TEST_F_TIMEOUT(mods, unchanged_modules_copied_exactly, 120)
{
	struct ksu_image copied, fresh;
	struct ksu_stats s0, s1;
	size_t nr, nr_fresh;
	int round, ret;

	if (!ksu_debugfs_present())
		SKIP(return, "no %s/stats: debugfs not mounted", KSU_DEBUGFS);
	open_close(_metadata, 1);
	for (round = 0; round < 2; round++) {
		if (round) {
			ret = ksu_module_unload(self->m[0].name);
			ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));
		}
		ret = ksu_module_load(self->m[0].path);
		ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));

		ASSERT_EQ(0, ksu_stats_read(&s0));
		image_now(_metadata, &copied, &nr);
		ASSERT_EQ(0, ksu_stats_read(&s1));
		ASSERT_LE(2UL, nr);
		EXPECT_EQ(ksu_stat(&s0, "snapshot_builds") + 1,
			  ksu_stat(&s1, "snapshot_builds"));
		EXPECT_EQ(ksu_stat(&s0, "modules_read") + 1,
			  ksu_stat(&s1, "modules_read"))
			TH_LOG("round %d: only %s is new", round,
			       self->m[0].name);
		EXPECT_EQ(ksu_stat(&s0, "modules_copied") + (long)nr - 1,
			  ksu_stat(&s1, "modules_copied"));

		ASSERT_EQ(0, ksu_cache_drop_idle());
		ASSERT_EQ(0, ksu_stats_read(&s0));
		image_now(_metadata, &fresh, &nr_fresh);
		ASSERT_EQ(0, ksu_stats_read(&s1));
		EXPECT_EQ(ksu_stat(&s0, "modules_read") + (long)nr_fresh,
			  ksu_stat(&s1, "modules_read"));
		EXPECT_EQ(ksu_stat(&s0, "modules_copied"),
			  ksu_stat(&s1, "modules_copied"));

		EXPECT_EQ(nr, nr_fresh);
		ASSERT_EQ(copied.size, fresh.size);
		EXPECT_EQ(0, memcmp(copied.data, fresh.data, copied.size))
			TH_LOG("round %d: the copied image is not the one "
			       "built from scratch", round);
		ksu_image_free(&copied);
		ksu_image_free(&fresh);
	}
}

struct race {
	const struct ksu_module *mod;
	bool stop;		/* __atomic */
	int load_errors, unload_errors, last_error;
	unsigned long opens, enxio, other_errors, bad_images;
	int other_errno;
};

static void *loader(void *p)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	struct race *r = p;
	int i, ret;

	for (i = 0; i < 20; i++) {
		ret = ksu_module_load(r->mod->path);
		if (ret) {
			r->load_errors++;
			r->last_error = ret;
		}
		nanosleep(&ts, NULL);
		ret = ksu_module_unload_wait(r->mod->name);
		if (ret) {
			r->unload_errors++;
			r->last_error = ret;
		}
		nanosleep(&ts, NULL);
	}
	__atomic_store_n(&r->stop, true, __ATOMIC_RELEASE);
	return NULL;
}

static void *opener(void *p)
{
	struct race *r = p;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		Elf64_Ehdr eh;
		size_t size = 0;
		int fd = ksu_open(O_RDONLY);

		if (fd == -ENXIO) {
			r->enxio++;
			continue;
		}
		if (fd < 0) {
			r->other_errors++;
			r->other_errno = -fd;
			continue;
		}
		r->opens++;
		/* The section header table ends the image. */
		if (ioctl(fd, KIOCGSIZE, &size) ||
		    pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
		    size != eh.e_shoff + (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr))
			r->bad_images++;
		close(fd);
	}
	return NULL;
}

/* Opening never blocks loading or unloading, and never returns junk. */
TEST_F_TIMEOUT(mods, open_races_module_load, 120)
{
	struct race r = { .mod = &self->m[0] };
	pthread_t tl, to;
	struct state st;

	ASSERT_EQ(0, pthread_create(&to, NULL, opener, &r));
	ASSERT_EQ(0, pthread_create(&tl, NULL, loader, &r));
	pthread_join(tl, NULL);
	pthread_join(to, NULL);
	TH_LOG("%lu opens, %lu ENXIO while %s came and went 20 times",
	       r.opens, r.enxio, self->m[0].name);
	EXPECT_EQ(0, r.load_errors) TH_LOG("%s", strerror(-r.last_error));
	EXPECT_EQ(0, r.unload_errors) TH_LOG("%s", strerror(-r.last_error));
	EXPECT_EQ(0UL, r.other_errors) TH_LOG("open: %s",
					      strerror(r.other_errno));
	EXPECT_EQ(0UL, r.bad_images);
	EXPECT_LT(0UL, r.opens);

	/* and afterwards the image is right */
	state_load(_metadata, &st);
	EXPECT_EQ(0UL, count_module(&st.r, &st.img, self->m[0].name));
	state_free(&st);
}

#define INIT_WINDOW_MOD		"ksyms_init_window"
#define INIT_WINDOW_INIT_SYM	"ksyms_init_window_init"
#define INIT_WINDOW_OPEN_RET	"/sys/module/" INIT_WINDOW_MOD "/parameters/open_ret"

/* Whether the image names @name. */
static bool image_has(const struct ksu_image *img, const char *name)
{
	size_t i;

	for (i = 1; i < img->nsyms; i++) {
		const char *n = ksu_sym_name(img, &img->syms[i]);

		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

/*
 * do_init_module() sends MODULE_STATE_LIVE, then switches the module to
 * its core table and frees the __init symbols, and sends nothing after.
 * The test module opens /dev/ksyms from its own LIVE notification: that
 * snapshot holds its __init symbols, and no later open may be given it.
 */
TEST_F(mods, snapshot_built_before_init_symbols_freed_not_reused)
{
	const char *ko = getenv("KSYMS_INIT_WINDOW_KO");
	struct state st;
	long open_ret;
	int ret;

	if (!ko || access(ko, R_OK))
		SKIP(return, "no $KSYMS_INIT_WINDOW_KO (selftests/test_modules)");
	if (ksu_module_loaded(INIT_WINDOW_MOD))
		ASSERT_EQ(0, ksu_module_unload_wait(INIT_WINDOW_MOD));
	ret = ksu_module_load(ko);
	ASSERT_EQ(0, ret) TH_LOG("loading %s: %s", ko, strerror(-ret));
	/* the window was really opened in */
	ASSERT_EQ(0, ksu_read_long(INIT_WINDOW_OPEN_RET, &open_ret));
	EXPECT_EQ(0, open_ret) TH_LOG("the open in the window: %s",
				      strerror((int)-open_ret));
	state_load(_metadata, &st);
	EXPECT_FALSE(image_has(&st.img, INIT_WINDOW_INIT_SYM))
		TH_LOG("%s, freed with the init section, is in the image",
		       INIT_WINDOW_INIT_SYM);
	EXPECT_LT(0UL, count_module(&st.r, &st.img, INIT_WINDOW_MOD));
	state_free(&st);
	EXPECT_EQ(0, ksu_module_unload_wait(INIT_WINDOW_MOD));
}

TEST_HARNESS_MAIN
