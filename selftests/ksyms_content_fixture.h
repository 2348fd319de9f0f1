/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixture of the content tests: every test module loaded (an
 * exporting one among them, with luck), then /proc/kallsyms and the image
 * read; the modules unloaded in the teardown.  Included by one program
 * each, after ksyms_test.h.
 */
#ifndef KSYMS_CONTENT_FIXTURE_H
#define KSYMS_CONTENT_FIXTURE_H

#include <string.h>

FIXTURE(content) {
	struct ksu_module mods[KSU_MAX_TEST_MODULES];
	int nmods;
	struct ksu_kallsyms ks;
	struct ksu_image img;
};

FIXTURE_SETUP(content)
{
	int i, ret;

	self->nmods = ksu_test_modules(self->mods, KSU_MAX_TEST_MODULES);
	if (self->nmods < 0) {
		self->nmods = 0;
		TH_LOG("no test modules ($KSYMS_TEST_MODULES): only the modules already loaded are compared");
	}
	for (i = 0; i < self->nmods; i++) {
		if (ksu_module_loaded(self->mods[i].name))
			ksu_module_unload_wait(self->mods[i].name);
		ret = ksu_module_load(self->mods[i].path);
		ASSERT_EQ(0, ret) TH_LOG("loading %s: %s", self->mods[i].path,
					 strerror(-ret));
	}
	ret = ksu_kallsyms_load(&self->ks);
	ASSERT_EQ(0, ret) TH_LOG("/proc/kallsyms: %s", strerror(-ret));
	ret = ksu_image_load(&self->img);
	ASSERT_EQ(0, ret) TH_LOG("%s", self->img.err);
	ASSERT_LT(0UL, self->ks.nr_vmlinux);
}

FIXTURE_TEARDOWN(content)
{
	int i, ret;

	ksu_image_free(&self->img);
	ksu_kallsyms_free(&self->ks);
	for (i = 0; i < self->nmods; i++) {
		if (!ksu_module_loaded(self->mods[i].name))
			continue;
		ret = ksu_module_unload_wait(self->mods[i].name);
		EXPECT_EQ(0, ret) TH_LOG("unloading %s: %s",
					 self->mods[i].name, strerror(-ret));
	}
}

#endif /* KSYMS_CONTENT_FIXTURE_H */
