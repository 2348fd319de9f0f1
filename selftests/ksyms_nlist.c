// SPDX-License-Identifier: GPL-2.0-only
/*
 * libbsd's nlist(3) on /dev/ksyms, as BSD programs use it: vmlinux symbols
 * (a global object, a global function, a local function) and a symbol of a
 * loaded module are found at their /proc/kallsyms addresses, as absolute
 * symbols; a name that does not exist is reported as not found.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <bsd/nlist.h>

#include "ksyms_test.h"

#define NO_SUCH_SYMBOL	"ksyms_selftest_no_such_symbol"

/* libbsd: PROGBITS is N_DATA if writable, else N_TEXT; NOBITS is N_BSS. */
static int letter_n_type(char t)
{
	switch (t) {
	case 't': case 'T': case 'r': case 'R':
		return N_TEXT;
	case 'd': case 'D': case 'g': case 'G':
		return N_DATA;
	case 'b': case 'B': case 's': case 'S':
		return N_BSS;
	}
	return N_ABS;
}

FIXTURE(nl) {
	struct ksu_module mod;
	bool loaded;
	struct ksu_kallsyms ks;
};

FIXTURE_SETUP(nl)
{
	struct ksu_module mods[KSU_MAX_TEST_MODULES];
	int ret;

	if (ksu_test_modules(mods, KSU_MAX_TEST_MODULES) > 0) {
		self->mod = mods[0];
		if (ksu_module_loaded(self->mod.name))
			ksu_module_unload_wait(self->mod.name);
		ret = ksu_module_load(self->mod.path);
		ASSERT_EQ(0, ret) TH_LOG("loading %s: %s", self->mod.path,
					 strerror(-ret));
		self->loaded = true;
	}
	ret = ksu_kallsyms_load(&self->ks);
	ASSERT_EQ(0, ret) TH_LOG("/proc/kallsyms: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(nl)
{
	ksu_kallsyms_free(&self->ks);
	if (self->loaded) {
		EXPECT_EQ(0, ksu_module_unload_wait(self->mod.name));
	}
}

/*
 * A symbol nlist() can name without ambiguity: the only one of its name,
 * no leading '_' (nlist also matches "_name" against "name"), no '.'.
 */
static bool usable(const struct ksu_kallsyms *ks, const struct ksu_ksym *k)
{
	return k->name[0] != '_' && !strchr(k->name, '.') && k->addr &&
	       ksu_kallsyms_count_name(ks, k->name) == 1;
}

static const struct ksu_ksym *pick_named(const struct ksu_kallsyms *ks,
					 const char *name)
{
	size_t i;

	for (i = 0; i < ks->count; i++)
		if (!ks->syms[i].module && !strcmp(ks->syms[i].name, name))
			return usable(ks, &ks->syms[i]) ? &ks->syms[i] : NULL;
	return NULL;
}

/* The first usable symbol of @module (NULL: vmlinux) with a letter in @types. */
static const struct ksu_ksym *pick(const struct ksu_kallsyms *ks,
				   const char *module, const char *types)
{
	size_t i;

	for (i = 0; i < ks->count; i++) {
		const struct ksu_ksym *k = &ks->syms[i];

		if (!module != !k->module ||
		    (module && strcmp(module, k->module)))
			continue;
		if (strchr(types, k->type) && usable(ks, k))
			return k;
	}
	return NULL;
}

TEST_F(nl, finds_kernel_and_module_symbols)
{
	const struct ksu_ksym *want[6];
	struct nlist nl[7];
	int n = 0, i, ret;

	want[n] = pick_named(&self->ks, "jiffies");
	if (!want[n])
		want[n] = pick(&self->ks, NULL, "DB");
	ASSERT_NE(NULL, want[n]) TH_LOG("no global object in /proc/kallsyms");
	n++;
	want[n] = pick_named(&self->ks, "init_task");
	if (want[n])
		n++;
	want[n] = pick_named(&self->ks, "schedule");
	if (!want[n])
		want[n] = pick(&self->ks, NULL, "T");
	ASSERT_NE(NULL, want[n]);
	n++;
	want[n] = pick(&self->ks, NULL, "t");
	ASSERT_NE(NULL, want[n]) TH_LOG("no local function in /proc/kallsyms");
	n++;
	if (self->loaded) {
		want[n] = pick(&self->ks, self->mod.name, "TDBRtdbr");
		ASSERT_NE(NULL, want[n]) TH_LOG("no usable symbol of %s",
						self->mod.name);
		n++;
	} else {
		TH_LOG("no test module ($KSYMS_TEST_MODULES): no module symbol looked up");
	}

	memset(nl, 0, sizeof(nl));
	for (i = 0; i < n; i++)
		nl[i].n_name = (char *)want[i]->name;
	nl[n].n_name = NO_SUCH_SYMBOL;
	/* nl[n + 1] is the terminating entry */

	ret = nlist(ksu_dev_path(), nl);
	ASSERT_EQ(1, ret) TH_LOG("nlist returned %d (%s)", ret,
				 ret < 0 ? strerror(errno) : "names not found");

	for (i = 0; i < n; i++) {
		const struct ksu_ksym *k = want[i];
		bool upper = k->type >= 'A' && k->type <= 'Z';

		TH_LOG("%s%s%s%s '%c': nlist %#lx type %#x, kallsyms %#llx",
		       k->module ? "[" : "", k->module ? k->module : "",
		       k->module ? "] " : "", k->name, k->type, nl[i].n_value,
		       nl[i].n_type, (unsigned long long)k->addr);
		EXPECT_EQ((unsigned long)k->addr, nl[i].n_value);
		EXPECT_EQ(letter_n_type(k->type), nl[i].n_type & N_TYPE);
		/* upper case is global (for modules: exported) */
		EXPECT_EQ(upper ? N_EXT : 0, nl[i].n_type & N_EXT);
	}
	EXPECT_EQ(0, nl[n].n_type);
	EXPECT_EQ(0UL, nl[n].n_value);
}

TEST_F(nl, missing_name_not_found)
{
	struct nlist nl[2];

	memset(nl, 0, sizeof(nl));
	nl[0].n_name = NO_SUCH_SYMBOL;
	nl[0].n_value = 1234;
	EXPECT_EQ(1, nlist(ksu_dev_path(), nl));
	EXPECT_EQ(0, nl[0].n_type);
	EXPECT_EQ(0UL, nl[0].n_value);
}

TEST_HARNESS_MAIN
