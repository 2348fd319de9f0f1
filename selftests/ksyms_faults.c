// SPDX-License-Identifier: GPL-2.0-only
/*
 * Failing opens: ENOMEM at every allocation the driver makes (through its
 * debugfs fail_alloc_nth), for a cached snapshot, a stale one, a cold
 * module (first vmlinux table build, and its kept form) and a dropped
 * cache (vmlinux table restored from the kept form); ENOMEM when the mapping cannot be
 * made (RLIMIT_AS); ENXIO after three inconsistent snapshot attempts
 * (fail_consistency).  After each failure the driver's stats show the same
 * allocations and open files as before, and the next open succeeds.
 * Module loads never fail because of the driver.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "ksyms_test.h"

#define MAX_NTH		100
/* vm.drop_caches 2: slab objects, which is where shrinkers are run. */
#define DROP_SLAB	2

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

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * The stats once they match @before, or after a second of trying: frees
 * deferred to RCU or a worker may take a moment.
 */
static int stats_settle(const struct ksu_stats *before, struct ksu_stats *now)
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
static int make_stale(struct __test_metadata *_metadata,
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

struct rlimit_result {
	int map_ret;
	int remap_ret;
};

/* KIOCGADDR with no address space left for the mapping, then with room. */
static int rlimit_child(void *p)
{
	struct rlimit_result *res = p;
	struct rlimit old, tight;
	char line[128];
	long vmsize_kb = -1;
	void *addr = NULL;
	FILE *f;
	int fd;

	fd = ksu_open(O_RDONLY);
	if (fd < 0)
		return 1;
	f = fopen("/proc/self/status", "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmSize: %ld kB", &vmsize_kb) == 1)
			break;
	fclose(f);
	if (vmsize_kb <= 0 || getrlimit(RLIMIT_AS, &old))
		return 2;
	tight = old;
	tight.rlim_cur = (rlim_t)vmsize_kb * 1024;
	if (setrlimit(RLIMIT_AS, &tight))
		return 3;
	res->map_ret = ioctl(fd, KIOCGADDR, &addr) ? -errno : 0;
	setrlimit(RLIMIT_AS, &old);
	/* nothing held: it maps once there is room */
	res->remap_ret = ioctl(fd, KIOCGADDR, &addr) ? -errno : 0;
	close(fd);
	return 0;
}

TEST_F(faults, enomem_no_room_for_mapping)
{
	struct rlimit_result *res;
	struct ksu_stats before, after;
	int fd;

	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, res);
	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, ksu_stats_read(&before));
	ASSERT_EQ(0, ksu_run_child(rlimit_child, res));
	EXPECT_EQ(-ENOMEM, res->map_ret) TH_LOG("%s",
		res->map_ret >= 0 ? "mapped" : strerror(-res->map_ret));
	EXPECT_LE(0, res->remap_ret) TH_LOG("%s", strerror(-res->remap_ret));
	EXPECT_EQ(0, stats_settle(&before, &after));
	EXPECT_EQ(ksu_stat(&before, "allocations"),
		  ksu_stat(&after, "allocations"));
	EXPECT_EQ(ksu_stat(&before, "files"), ksu_stat(&after, "files"));
	munmap(res, sizeof(*res));
}

TEST_F(faults, enxio_after_three_inconsistent_attempts)
{
	struct ksu_stats before, after;
	int fd, round;

	if (!self->have_mod)
		SKIP(return, "no test module in $KSYMS_TEST_MODULES to make the snapshot stale");
	for (round = 0; round < 2; round++) {
		ASSERT_EQ(0, make_stale(_metadata, self));
		ASSERT_EQ(0, ksu_stats_read(&before));
		ASSERT_EQ(0, ksu_debugfs_write("fail_consistency", 3));
		fd = ksu_open(O_RDONLY);
		EXPECT_EQ(-ENXIO, fd) TH_LOG("%s", fd >= 0 ? "opened" :
					     strerror(-fd));
		if (fd >= 0)
			close(fd);
		EXPECT_EQ(0, stats_settle(&before, &after));
		EXPECT_EQ(ksu_stat(&before, "allocations"),
			  ksu_stat(&after, "allocations"));
		EXPECT_EQ(ksu_stat(&before, "files"),
			  ksu_stat(&after, "files"));

		if (round == 0) {
			/* two failures, the third attempt is consistent */
			ASSERT_EQ(0, ksu_debugfs_write("fail_consistency", 2));
		}
		/* round 1: no injection at all */
		fd = ksu_open(O_RDONLY);
		EXPECT_LE(0, fd) TH_LOG("round %d: %s", round, strerror(-fd));
		if (fd >= 0) {
			struct ksu_image img;

			EXPECT_EQ(0, ksu_image_from_fd(&img, fd))
				TH_LOG("%s", img.err);
			ksu_image_free(&img);
			close(fd);
		}
	}
	/* and a module load or unload now is seen by the next open */
	{
		struct ksu_kallsyms ks;
		struct ksu_image img;

		ASSERT_EQ(0, make_stale(_metadata, self));
		ASSERT_EQ(0, ksu_image_load(&img)) TH_LOG("%s", img.err);
		ASSERT_EQ(0, ksu_kallsyms_load(&ks));
		EXPECT_EQ(ks.count, img.nsyms - 1);
		ksu_kallsyms_free(&ks);
		ksu_image_free(&img);
	}
}

/*
 * The driver's module notifier must never fail a module load, whichever
 * of its allocations fails.
 */
TEST_F(faults, module_load_survives_failed_allocations)
{
	struct ksu_kallsyms ks;
	struct ksu_image img;
	int n, ret, fd;

	if (!self->have_mod)
		SKIP(return, "no test module in $KSYMS_TEST_MODULES");
	for (n = 1; n <= 4; n++) {
		ASSERT_EQ(0, ksu_debugfs_write("fail_alloc_nth", n));
		ret = ksu_module_load(self->mod.path);
		EXPECT_EQ(0, ret) TH_LOG("n = %d: load: %s", n, strerror(-ret));
		ret = ksu_module_unload_wait(self->mod.name);
		EXPECT_EQ(0, ret) TH_LOG("n = %d: unload: %s", n,
					 strerror(-ret));
		ASSERT_EQ(0, ksu_debugfs_write("fail_alloc_nth", 0));
		fd = ksu_open(O_RDONLY);
		EXPECT_LE(0, fd) TH_LOG("n = %d: open: %s", n, strerror(-fd));
		if (fd >= 0)
			close(fd);
	}
	/* the image still matches /proc/kallsyms */
	ret = ksu_module_load(self->mod.path);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, ksu_image_load(&img)) TH_LOG("%s", img.err);
	ASSERT_EQ(0, ksu_kallsyms_load(&ks));
	EXPECT_EQ(ks.count, img.nsyms - 1);
	ksu_kallsyms_free(&ks);
	ksu_image_free(&img);
}

TEST_HARNESS_MAIN
