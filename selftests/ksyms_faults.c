// SPDX-License-Identifier: GPL-2.0-only
/*
 * Failing opens: ENOMEM at every allocation the driver makes (through its
 * debugfs fail_alloc_nth), for a cached snapshot, a stale one, a cold
 * module (first vmlinux table build, and its kept form) and a dropped
 * cache (vmlinux table restored from the kept form).  After each failure
 * the driver's stats show the same allocations and open files as before,
 * and the next open succeeds.  ksyms_failures has the other ways an open
 * fails.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_faults_fixture.h"

#define MAX_NTH		100
/* vm.drop_caches 2: slab objects, which is where shrinkers are run. */
#define DROP_SLAB	2

static int cold_ksyms(struct __test_metadata *_metadata)
{
	int ret;

	ret = ksu_module_unload_wait("ksyms");
	EXPECT_EQ(0, ret) TH_LOG("rmmod ksyms: %s", strerror(-ret));
	if (ret)
		return ret;
	ret = ksu_module_load(ksu_ksyms_ko());
	EXPECT_EQ(0, ret) TH_LOG("insmod %s: %s", ksu_ksyms_ko(),
				 strerror(-ret));
	return ret;
}

/*
 * Once an open has succeeded, vmlinux's table is never read again: further
 * opens, even of a rebuilt snapshot, leave vmlinux_builds alone.
 */
static void check_vmlinux_read_once(struct __test_metadata *_metadata,
				    const char *name, int n)
{
	struct ksu_stats st;
	long builds;
	int fd;

	ASSERT_EQ(0, ksu_stats_read(&st));
	builds = ksu_stat(&st, "vmlinux_builds");
	EXPECT_LE(1L, builds);
	fd = ksu_open(O_RDONLY);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	ASSERT_EQ(0, ksu_stats_read(&st));
	EXPECT_EQ(builds, ksu_stat(&st, "vmlinux_builds"))
		TH_LOG("%s, n = %d: vmlinux read again by a later open", name,
		       n);
}

enum scenario { WARM, STALE, COLD, DROPPED };

static const char * const scenario_name[] = {
	"warm", "stale", "cold", "dropped"
};

/* An open, so that the kept form exists, then the cache dropped. */
static int drop_cache(struct __test_metadata *_metadata)
{
	int fd = ksu_open(O_RDONLY);

	EXPECT_LE(0, fd) TH_LOG("open before the drop: %s", strerror(-fd));
	if (fd < 0)
		return fd;
	close(fd);
	fd = ksu_drop_caches(DROP_SLAB);
	EXPECT_EQ(0, fd) TH_LOG("drop_caches: %s", strerror(-fd));
	return fd;
}

/* The open after a drop made vmlinux's table from the kept form. */
static void check_restored(struct __test_metadata *_metadata,
			   const struct ksu_stats *before, int n)
{
	struct ksu_stats st;

	ASSERT_EQ(0, ksu_stats_read(&st));
	EXPECT_EQ(ksu_stat(before, "vmlinux_builds"),
		  ksu_stat(&st, "vmlinux_builds"))
		TH_LOG("dropped, n = %d: vmlinux read again", n);
	EXPECT_EQ(ksu_stat(before, "vmlinux_restores") + 1,
		  ksu_stat(&st, "vmlinux_restores"))
		TH_LOG("dropped, n = %d: vmlinux table not restored", n);
	EXPECT_EQ(ksu_stat(before, "vmlinux_kept_bytes"),
		  ksu_stat(&st, "vmlinux_kept_bytes"));
}

/*
 * For n = 1, 2, ...: fail the driver's nth allocation from now on and
 * open.  Returns the n at which the open succeeded (all allocations of
 * that path walked), or 0.
 */
static int walk_allocations(struct __test_metadata *_metadata,
			    FIXTURE_DATA(faults) *self, enum scenario sc)
{
	const char *name = scenario_name[sc];
	struct ksu_stats before, after;
	int n, fd, ret;

	for (n = 1; n <= MAX_NTH; n++) {
		/* prepare: a fresh snapshot, a stale one, or a cold module */
		if (sc == WARM) {
			fd = ksu_open(O_RDONLY);
			EXPECT_LE(0, fd) TH_LOG("%s: warming: %s", name,
						strerror(-fd));
			if (fd < 0)
				return 0;
			close(fd);
		} else if (sc == STALE) {
			if (make_stale(_metadata, self))
				return 0;
		} else if (sc == DROPPED) {
			if (drop_cache(_metadata))
				return 0;
		} else if (cold_ksyms(_metadata)) {
			return 0;
		}

		ret = ksu_stats_read(&before);
		EXPECT_EQ(0, ret);
		if (ret)
			return 0;
		if (sc == COLD) {
			EXPECT_EQ(0L, ksu_stat(&before, "vmlinux_builds"));
			EXPECT_EQ(0L, ksu_stat(&before, "vmlinux_kept_bytes"));
		}
		if (sc == DROPPED) {
			EXPECT_EQ(0L, ksu_stat(&before, "vmlinux_bytes"));
			EXPECT_LT(0L, ksu_stat(&before, "vmlinux_kept_bytes"));
		}
		ret = ksu_debugfs_write("fail_alloc_nth", n);
		EXPECT_EQ(0, ret) TH_LOG("fail_alloc_nth %d: %s", n,
					 strerror(-ret));
		if (ret)
			return 0;

		fd = ksu_open(O_RDONLY);
		if (fd >= 0) {
			close(fd);
			/* fewer than n allocations: disarm what is left */
			EXPECT_EQ(0, ksu_debugfs_write("fail_alloc_nth", 0));
			if (sc == DROPPED)
				check_restored(_metadata, &before, n);
			if (sc == COLD)
				check_vmlinux_read_once(_metadata, name, n);
			TH_LOG("%s: %d allocation(s) failed one by one, open succeeds at n = %d",
			       name, n - 1, n);
			return n;
		}
		EXPECT_EQ(-ENOMEM, fd) TH_LOG("%s, n = %d: %s", name, n,
					      strerror(-fd));
		EXPECT_EQ(0, stats_settle(&before, &after));
		EXPECT_EQ(ksu_stat(&before, "allocations"),
			  ksu_stat(&after, "allocations"))
			TH_LOG("%s, n = %d: allocations %ld -> %ld", name, n,
			       ksu_stat(&before, "allocations"),
			       ksu_stat(&after, "allocations"));
		EXPECT_EQ(ksu_stat(&before, "files"), ksu_stat(&after, "files"))
			TH_LOG("%s, n = %d: files %ld -> %ld", name, n,
			       ksu_stat(&before, "files"),
			       ksu_stat(&after, "files"));
		EXPECT_EQ(ksu_stat(&before, "snapshots"),
			  ksu_stat(&after, "snapshots"))
			TH_LOG("%s, n = %d: snapshots %ld -> %ld", name, n,
			       ksu_stat(&before, "snapshots"),
			       ksu_stat(&after, "snapshots"));

		EXPECT_EQ(ksu_stat(&before, "vmlinux_kept_bytes"),
			  ksu_stat(&after, "vmlinux_kept_bytes"))
			TH_LOG("%s, n = %d: kept form %ld -> %ld bytes", name,
			       n, ksu_stat(&before, "vmlinux_kept_bytes"),
			       ksu_stat(&after, "vmlinux_kept_bytes"));

		/* nothing was held: the next open, without injection, works */
		fd = ksu_open(O_RDONLY);
		EXPECT_LE(0, fd) TH_LOG("%s, n = %d: open after ENOMEM: %s",
					name, n, strerror(-fd));
		if (fd < 0)
			return 0;
		close(fd);
		if (sc == COLD)
			check_vmlinux_read_once(_metadata, name, n);
	}
	TH_LOG("%s: open still fails with allocation %d failing", name,
	       MAX_NTH);
	return 0;
}

TEST_F_TIMEOUT(faults, enomem_cached_snapshot, 120)
{
	int n = walk_allocations(_metadata, self, WARM);

	EXPECT_LT(0, n);
}

TEST_F_TIMEOUT(faults, enomem_stale_snapshot, 200)
{
	int n;

	if (!self->have_mod)
		SKIP(return, "no test module in $KSYMS_TEST_MODULES to make the snapshot stale");
	n = walk_allocations(_metadata, self, STALE);
	/* a rebuild allocates: at least one failure was seen */
	EXPECT_LT(1, n);
}

/* Restoring vmlinux's table, then building every object again. */
TEST_F_TIMEOUT(faults, enomem_dropped_cache, 300)
{
	int n = walk_allocations(_metadata, self, DROPPED);

	/* the restore allocates: at least one failure was seen */
	EXPECT_LT(1, n);
}

TEST_F_TIMEOUT(faults, enomem_cold_module, 400)
{
	int n;

	if (!ksu_ksyms_ko())
		SKIP(return, "$KSYMS_KO is not set: cannot reload ksyms");
	n = walk_allocations(_metadata, self, COLD);
	EXPECT_LT(1, n);
}

TEST_HARNESS_MAIN
