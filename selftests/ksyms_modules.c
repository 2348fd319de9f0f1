// SPDX-License-Identifier: GPL-2.0-only
/*
 * Modules in the image: vmlinux first, then the modules in load order, in
 * both binding regions; a module's symbols leave with it; a snapshot taken
 * while a module's __init symbols still exist is not given to a later
 * open.
 *
 * Needs three test modules ($KSYMS_TEST_MODULES); every test unloads them
 * in its teardown, whatever happened.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_mods_fixture.h"

#define MAX_MODULES	1024
#define MAX_REPORT	10

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
	size_t nr;
	const struct ksyms_object *obj = ksu_objects(img, &nr);
	long k = ksu_object_of(img, i);

	return k >= 0 && (obj[k].flags & KSYMS_OBJECT_PSEUDO);
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
	size_t *sorted;
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
	sorted = ksu_sorted_symbols(&st2.img);
	ASSERT_NE(NULL, sorted);
	bad = 0;
	for (i = 0; i < nkept; i++) {
		bool gone = !strcmp(kept[i].module, names[1]);

		if ((ksu_find_sorted(&st2.img, sorted, kept[i].name,
				     kept[i].addr) >= 0) == !gone)
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

	free(sorted);
	free(kept);
	state_free(&st1);
	state_free(&st2);
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
