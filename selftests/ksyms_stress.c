// SPDX-License-Identifier: GPL-2.0-only
/*
 * The safety-net suites that take minutes: many processes using the device
 * while modules come and go, and thousands of open/close cycles that must
 * leave the kernel's memory where it was.  Built with the other tests but
 * not run by default (TEST_GEN_PROGS_EXTENDED): the test VM runs it on the
 * debug kernel (KASAN, lockdep, kmemleak), where it finds what it is for.
 *
 * Each suite ends with a line the harness turns into a table row:
 *   # ksyms-suite NAME ops=N ok=N ERRNO=N ... other=N
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_stress_work.h"

#define STRESS_WORKERS		8
#define STRESS_SECONDS		60
#define CHURN_CYCLES		2000
#define MAX_TEST_MODULES	8
/* Slab and vmalloc noise allowed after CHURN_CYCLES cycles: a leaked
 * struct file (256 bytes) a cycle would be eight times this.
 */
#define CHURN_SLACK_KB		64
/* Free pages move with everything else the kernel does: a page leaked
 * every other cycle would still be four times this.
 */
#define CHURN_PAGES_SLACK_KB	1024
#define SETTLE_SECONDS		2
/* Limits for the harness: the work, several times over on a debug kernel. */
#define CONCURRENCY_TIMEOUT	(STRESS_SECONDS * 5)
#define CHURN_TIMEOUT		1200

static long seconds_env(const char *name, long dflt)
{
	const char *s = getenv(name);

	return s && *s ? strtol(s, NULL, 10) : dflt;
}

static void print_suite(const char *name, const struct tally *t)
{
	ksft_print_msg("ksyms-suite %s ops=%ld ok=%ld ENXIO=%ld EBUSY=%ld other=%ld\n",
		       name, t->ops, t->ok, t->enxio, t->ebusy, t->other);
	fflush(stdout);
}

FIXTURE(stress) {
	int unused;
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

TEST_F_TIMEOUT(stress, concurrency_with_module_churn, CONCURRENCY_TIMEOUT)
{
	long seconds = seconds_env("KSYMS_STRESS_SECONDS", STRESS_SECONDS);
	struct ksu_module mods[MAX_TEST_MODULES];
	int nmods, i, status;
	struct tally *t;
	double deadline;
	pid_t pid;

	nmods = ksu_test_modules(mods, MAX_TEST_MODULES);
	ASSERT_LE(3, nmods) TH_LOG("$KSYMS_TEST_MODULES lists fewer than 3 modules");
	for (i = 0; i < nmods; i++)
		ASSERT_EQ(false, ksu_module_loaded(mods[i].name));
	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, t);
	deadline = now() + seconds;
	for (i = 0; i <= STRESS_WORKERS; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid)
			continue;
		if (i == STRESS_WORKERS)
			module_churner(t, deadline, mods, nmods);
		else
			worker(t, deadline, i);
		_exit(0);
	}
	for (i = 0; i <= STRESS_WORKERS; i++) {
		ASSERT_LT(0, wait(&status));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
	print_suite("concurrency", t);
	ksft_print_msg("ksyms-suite module_churn ops=%ld ok=%ld other=%ld\n",
		       t->module_ops, t->module_ops - t->module_errors,
		       t->module_errors);
	fflush(stdout);
	EXPECT_EQ(0, t->other) TH_LOG("first: %s", t->first_error);
	EXPECT_EQ(0, t->module_errors);
	EXPECT_LT(STRESS_WORKERS, t->ok) TH_LOG("%ld seconds did almost nothing", seconds);
	EXPECT_LT(0, t->module_ops);
	for (i = 0; i < nmods; i++)
		EXPECT_EQ(false, ksu_module_loaded(mods[i].name));
	munmap(t, sizeof(*t));
}

struct footprint {
	struct ksu_stats stats;
	long slab_kb;
	long vmalloc_kb;
	long free_kb;
};

/* Best effort: a cache without the file is one less to drop. */
static void report_write(const char *path, int err)
{
	if (err && err != -ENOENT)
		ksft_print_msg("writing %s: %s\n", path, strerror(-err));
}

static void write_file(const char *path, const char *val)
{
	report_write(path, ksu_write_str(path, val));
}

/*
 * Memory in caches is not memory held: let RCU callbacks run, drop the
 * page and dentry caches, and shrink every slab cache, which also empties
 * KASAN's quarantine of freed objects (on the debug kernel it holds
 * megabytes of what the cycles freed).
 */
static void settle(void)
{
	struct dirent *de;
	char path[512];
	DIR *d;

	sleep(SETTLE_SECONDS);
	sync();
	report_write("/proc/sys/vm/drop_caches", ksu_drop_caches(3));
	d = opendir("/sys/kernel/slab");
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", de->d_name);
		write_file(path, "1");
	}
	closedir(d);
}

static int measure(struct footprint *fp)
{
	settle();
	fp->slab_kb = ksu_meminfo_kb("SUnreclaim");
	fp->vmalloc_kb = ksu_meminfo_kb("VmallocUsed");
	fp->free_kb = ksu_meminfo_kb("MemFree");
	return ksu_stats_read(&fp->stats);
}

TEST_F_TIMEOUT(stress, churn_returns_to_baseline, CHURN_TIMEOUT)
{
	long cycles = seconds_env("KSYMS_CHURN_CYCLES", CHURN_CYCLES);
	struct footprint before, after;
	struct ksu_stats cache;
	struct tally t = {};
	long i, shadow_kb;
	int fd;

	if (!ksu_debugfs_present())
		SKIP(return, "no ksyms debugfs: cannot count the driver's allocations");
	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, ksu_stats_read(&cache));
	/*
	 * settle() runs the driver's shrinker too: the cache is dropped
	 * before and after, and the loop's first open builds it again.  On
	 * a KASAN kernel the shadow of a freed vmalloc area is released only
	 * when lazily freed areas are purged, which may be after "after":
	 * allow one cache's shadow (an eighth of it) on top of the slack.
	 */
	shadow_kb = (ksu_stat(&cache, "snapshot_bytes") +
		     ksu_stat(&cache, "vmlinux_bytes")) / 8 / 1024;
	ASSERT_EQ(0, measure(&before));
	for (i = 0; i < cycles; i++) {
		fd = stress_open(&t);
		if (fd >= 0)
			close(fd);
	}
	ASSERT_EQ(0, measure(&after));
	print_suite("churn", &t);
	ksft_print_msg("churn kB: slab %ld->%ld vmalloc %ld->%ld free %ld->%ld; allocs %ld->%ld\n",
		       before.slab_kb, after.slab_kb, before.vmalloc_kb,
		       after.vmalloc_kb, before.free_kb, after.free_kb,
		       ksu_stat(&before.stats, "allocations"),
		       ksu_stat(&after.stats, "allocations"));
	fflush(stdout);
	EXPECT_EQ(cycles, t.ok) TH_LOG("first error: %s", t.first_error);
	EXPECT_EQ(ksu_stat(&before.stats, "allocations"),
		  ksu_stat(&after.stats, "allocations"));
	EXPECT_EQ(ksu_stat(&before.stats, "files"),
		  ksu_stat(&after.stats, "files"));
	EXPECT_EQ(ksu_stat(&before.stats, "snapshots"),
		  ksu_stat(&after.stats, "snapshots"));
	ASSERT_LE(0, before.slab_kb);
	ASSERT_LE(0, before.vmalloc_kb);
	EXPECT_GE(before.slab_kb + CHURN_SLACK_KB, after.slab_kb);
	EXPECT_GE(before.vmalloc_kb + CHURN_SLACK_KB, after.vmalloc_kb);
	ASSERT_LE(0, before.free_kb);
	EXPECT_LE(before.free_kb, after.free_kb + CHURN_PAGES_SLACK_KB + shadow_kb);
}

TEST_HARNESS_MAIN
