/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixture of the selftests that load and unload the three test
 * modules ($KSYMS_TEST_MODULES): none of them loaded when a test starts,
 * and every one unloaded in its teardown, whatever happened.  Included by
 * one program each, after ksyms_test.h.
 */
#ifndef KSYMS_MODS_FIXTURE_H
#define KSYMS_MODS_FIXTURE_H

#include <string.h>

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

#endif /* KSYMS_MODS_FIXTURE_H */
