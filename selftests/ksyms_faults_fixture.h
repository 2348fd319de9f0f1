/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixture of the failing-open tests: ksyms loaded, no failure
 * injected through its debugfs, the first test module unloaded; and put
 * back so whatever happened.  Included by one program each, after
 * ksyms_test.h.
 */
#ifndef KSYMS_FAULTS_FIXTURE_H
#define KSYMS_FAULTS_FIXTURE_H

#include <string.h>
#include <time.h>

FIXTURE(faults) {
	struct ksu_module mod;
	bool have_mod;
};

FIXTURE_SETUP(faults)
{
	struct ksu_module mods[KSU_MAX_TEST_MODULES];
	int ret;

	ASSERT_EQ(0, ksu_ksyms_ensure_loaded());
	if (!ksu_debugfs_present())
		SKIP(return, "no %s/stats: debugfs not mounted at /sys/kernel/debug",
		     KSU_DEBUGFS);
	ret = ksu_debugfs_write("fail_alloc_nth", 0);
	ASSERT_EQ(0, ret) TH_LOG("fail_alloc_nth: %s", strerror(-ret));
	ret = ksu_debugfs_write("fail_consistency", 0);
	ASSERT_EQ(0, ret) TH_LOG("fail_consistency: %s", strerror(-ret));
	if (ksu_test_modules(mods, KSU_MAX_TEST_MODULES) > 0) {
		self->mod = mods[0];
		self->have_mod = true;
		if (ksu_module_loaded(self->mod.name)) {
			ASSERT_EQ(0, ksu_module_unload_wait(self->mod.name));
		}
	}
}

FIXTURE_TEARDOWN(faults)
{
	int ret;

	ret = ksu_ksyms_ensure_loaded();
	EXPECT_EQ(0, ret) TH_LOG("ksyms is not loaded: %s", strerror(-ret));
	if (ksu_debugfs_present()) {
		EXPECT_EQ(0, ksu_debugfs_write("fail_alloc_nth", 0));
		EXPECT_EQ(0, ksu_debugfs_write("fail_consistency", 0));
	}
	if (self->have_mod && ksu_module_loaded(self->mod.name)) {
		EXPECT_EQ(0, ksu_module_unload_wait(self->mod.name));
	}
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * The stats once they match @before, or after a second of trying: frees
 * deferred to RCU or a worker may take a moment.
 */
static inline int stats_settle(const struct ksu_stats *before, struct ksu_stats *now)
{
	int i, ret = 0;

	for (i = 0; i < 50; i++) {
		ret = ksu_stats_read(now);
		if (ret)
			return ret;
		if (ksu_stat(now, "allocations") ==
		    ksu_stat(before, "allocations") &&
		    ksu_stat(now, "files") == ksu_stat(before, "files"))
			break;
		sleep_ms(20);
	}
	return 0;
}

/* Loads or unloads the test module, so that the cached snapshot is stale. */
static inline int make_stale(struct __test_metadata *_metadata,
			     FIXTURE_DATA(faults) *self)
{
	int ret;

	if (ksu_module_loaded(self->mod.name))
		ret = ksu_module_unload_wait(self->mod.name);
	else
		ret = ksu_module_load(self->mod.path);
	EXPECT_EQ(0, ret) TH_LOG("%s: %s", self->mod.name, strerror(-ret));
	return ret;
}

#endif /* KSYMS_FAULTS_FIXTURE_H */
