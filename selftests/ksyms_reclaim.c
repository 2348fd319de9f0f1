// SPDX-License-Identifier: GPL-2.0-only
/*
 * Giving the cache back: the shrinker (driven through vm.drop_caches) and
 * the idle timer (module parameter idle_drop_secs) drop the cached
 * snapshot and vmlinux table; descriptors keep theirs; the next open
 * rebuilds, the vmlinux table from its kept form (never dropped), into
 * the same image, without reading /proc/kallsyms again.  What the driver
 * holds is read from its debugfs stats.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/ksyms.h>

#include "ksyms_test.h"

/* vm.drop_caches 2: slab objects, which is where shrinkers are run. */
#define DROP_SLAB	2
/* Long enough for a 1 s timer on a loaded emulated machine. */
#define IDLE_WAIT_MS	15000
#define POLL_MS		100
#define RACE_SECONDS	3
/* Each drop logs a line in the kernel log: a few hundred, not thousands. */
#define RACE_DROP_PAUSE_US	10000
/*
 * The kept form's bound: a letter, an address delta, two counts and what
 * a name does not share with one of three names before it.
 */
#define KEPT_BYTES_PER_SYMBOL	20

/* Polls until the driver holds no vmlinux table, or @ms pass. */
static bool wait_cache_dropped(struct ksu_stats *st, int ms)
{
	for (; ms > 0; ms -= POLL_MS) {
		if (!ksu_stats_read(st) && ksu_stat(st, "vmlinux_bytes") == 0)
			return true;
		usleep(POLL_MS * 1000);
	}
	return false;
}

FIXTURE(reclaim) {
	long idle_secs;
	struct ksu_stats before;
};

FIXTURE_SETUP(reclaim)
{
	if (!ksu_debugfs_present())
		SKIP(return, "no %s: debugfs not mounted", KSU_DEBUGFS);
	ASSERT_EQ(0, ksu_read_long(KSU_IDLE_PARAM, &self->idle_secs));
	/* No timer of its own while a test runs, unless it sets one. */
	ASSERT_EQ(0, ksu_write_long(KSU_IDLE_PARAM, 0));
	ASSERT_EQ(0, ksu_open_close());
	ASSERT_EQ(0, ksu_stats_read(&self->before));
	ASSERT_GT(ksu_stat(&self->before, "vmlinux_bytes"), 0);
	ASSERT_GT(ksu_stat(&self->before, "snapshot_bytes"), 0);
}

FIXTURE_TEARDOWN(reclaim)
{
	if (ksu_debugfs_present())
		EXPECT_EQ(0, ksu_write_long(KSU_IDLE_PARAM, self->idle_secs));
}

TEST_F(reclaim, shrinker_drops_cache_and_next_open_rebuilds)
{
	struct ksu_stats after, again;
	struct ksu_image img;

	ASSERT_EQ(0, ksu_drop_caches(DROP_SLAB));
	ASSERT_EQ(0, ksu_stats_read(&after));
	EXPECT_EQ(0, ksu_stat(&after, "vmlinux_bytes"));
	EXPECT_EQ(0, ksu_stat(&after, "snapshot_bytes"));
	EXPECT_EQ(0, ksu_stat(&after, "snapshots"));
	EXPECT_EQ(ksu_stat(&self->before, "drops_shrinker") + 1,
		  ksu_stat(&after, "drops_shrinker"));

	EXPECT_EQ(ksu_stat(&self->before, "vmlinux_kept_bytes"),
		  ksu_stat(&after, "vmlinux_kept_bytes"));

	ASSERT_EQ(0, ksu_image_load(&img)) TH_LOG("%s", img.err);
	ASSERT_EQ(0, ksu_stats_read(&again));
	EXPECT_EQ(ksu_stat(&after, "vmlinux_builds"),
		  ksu_stat(&again, "vmlinux_builds"));
	EXPECT_EQ(ksu_stat(&after, "vmlinux_restores") + 1,
		  ksu_stat(&again, "vmlinux_restores"));
	EXPECT_EQ(ksu_stat(&after, "snapshot_builds") + 1,
		  ksu_stat(&again, "snapshot_builds"));
	EXPECT_EQ(ksu_stat(&self->before, "vmlinux_bytes"),
		  ksu_stat(&again, "vmlinux_bytes"));
	EXPECT_EQ((long)ksu_page_round(img.size),
		  ksu_stat(&again, "snapshot_bytes"));
	EXPECT_EQ(ksu_stat(&self->before, "snapshot_bytes"),
		  ksu_stat(&again, "snapshot_bytes"));
	ksu_image_free(&img);
}

TEST_F(reclaim, shrinker_leaves_an_open_descriptor_its_snapshot)
{
	unsigned char *before, *after;
	struct ksu_stats held, closed;
	size_t size, size2;
	void *addr;
	int fd;

	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ksu_pread_all(fd, 0, &before, &size));
	ASSERT_EQ(0, ksu_drop_caches(DROP_SLAB));
	ASSERT_EQ(0, ksu_stats_read(&held));
	EXPECT_EQ(0, ksu_stat(&held, "vmlinux_bytes"));
	EXPECT_EQ(1, ksu_stat(&held, "snapshots"));
	EXPECT_EQ((long)ksu_page_round(size),
		  ksu_stat(&held, "snapshot_bytes"));

	/* Through read() and through the KIOCGADDR mapping, unchanged. */
	ASSERT_EQ(0, ksu_pread_all(fd, 0, &after, &size2));
	ASSERT_EQ(size, size2);
	EXPECT_EQ(0, memcmp(before, after, size));
	ASSERT_EQ(0, ioctl(fd, KIOCGADDR, &addr));
	EXPECT_EQ(0, memcmp(before, addr, size));
	free(before);
	free(after);
	/* the KIOCGADDR mapping holds the snapshot as the descriptor does */
	ASSERT_EQ(0, munmap(addr, ksu_page_round(size)));
	close(fd);

	ASSERT_EQ(0, ksu_stats_read(&closed));
	EXPECT_EQ(0, ksu_stat(&closed, "snapshot_bytes"));
	EXPECT_EQ(0, ksu_stat(&closed, "snapshots"));
}

TEST_F(reclaim, idle_timer_drops_cache)
{
	struct ksu_stats st;

	ASSERT_EQ(0, ksu_write_long(KSU_IDLE_PARAM, 1));
	ASSERT_EQ(0, ksu_open_close());
	ASSERT_TRUE(wait_cache_dropped(&st, IDLE_WAIT_MS));
	EXPECT_EQ(0, ksu_stat(&st, "snapshot_bytes"));
	EXPECT_LT(ksu_stat(&self->before, "drops_idle"),
		  ksu_stat(&st, "drops_idle"));
	ASSERT_EQ(0, ksu_open_close());
	ASSERT_EQ(0, ksu_stats_read(&st));
	EXPECT_GT(ksu_stat(&st, "vmlinux_bytes"), 0);
}

enum drop { DROP_BY_SHRINKER, DROP_BY_IDLE_TIMER };

static long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

/* The image as an open reads it whole, or NULL. */
static unsigned char *read_image(size_t *size)
{
	unsigned char *img = NULL;
	int fd = ksu_open(O_RDONLY);

	if (fd < 0)
		return NULL;
	if (ksu_pread_all(fd, 0, &img, size))
		img = NULL;
	close(fd);
	return img;
}

/*
 * An image whose vmlinux part was read from /proc/kallsyms: ksyms loaded
 * again when $KSYMS_KO says from where, else the cached image, whose
 * vmlinux table may have been restored already.
 */
static unsigned char *cold_image(struct __test_metadata *_metadata,
				 size_t *size)
{
	struct ksu_stats st;
	unsigned char *img;
	long cold_us;

	if (ksu_ksyms_ko()) {
		EXPECT_EQ(0, ksu_module_unload_wait("ksyms"));
		EXPECT_EQ(0, ksu_module_load(ksu_ksyms_ko()));
		EXPECT_EQ(0, ksu_write_long(KSU_IDLE_PARAM, 0));
	}
	cold_us = now_us();
	img = read_image(size);
	ksft_print_msg("%s open: %ld us\n", ksu_ksyms_ko() ? "cold" : "first",
		       now_us() - cold_us);

	if (ksu_ksyms_ko() && !ksu_stats_read(&st))
		EXPECT_EQ(1, ksu_stat(&st, "vmlinux_builds"));
	return img;
}

/*
 * After a drop, the next open makes vmlinux's table from the kept form,
 * reading nothing of /proc/kallsyms's vmlinux part, and builds the very
 * image a cold build made.
 */
static void check_restore(struct __test_metadata *_metadata, enum drop how)
{
	struct ksu_stats before, dropped, after;
	struct ksu_kallsyms ks;
	unsigned char *cold, *img;
	size_t cold_size, size;
	long kept, restore_us;

	cold = cold_image(_metadata, &cold_size);
	ASSERT_NE(NULL, cold);
	ASSERT_EQ(0, ksu_stats_read(&before));
	kept = ksu_stat(&before, "vmlinux_kept_bytes");
	ASSERT_EQ(0, ksu_kallsyms_load(&ks));
	ksft_print_msg("kept form: %ld bytes for %zu vmlinux symbols, %.1f bytes each\n",
		       kept, ks.nr_vmlinux, (double)kept / ks.nr_vmlinux);
	EXPECT_LT(0, kept);
	EXPECT_GE((long)(KEPT_BYTES_PER_SYMBOL * ks.nr_vmlinux), kept);
	ksu_kallsyms_free(&ks);

	if (how == DROP_BY_SHRINKER) {
		ASSERT_EQ(0, ksu_drop_caches(DROP_SLAB));
		ASSERT_EQ(0, ksu_stats_read(&dropped));
	} else {
		ASSERT_EQ(0, ksu_write_long(KSU_IDLE_PARAM, 1));
		ASSERT_TRUE(wait_cache_dropped(&dropped, IDLE_WAIT_MS));
		ASSERT_EQ(0, ksu_write_long(KSU_IDLE_PARAM, 0));
	}
	EXPECT_EQ(0, ksu_stat(&dropped, "vmlinux_bytes"));
	EXPECT_EQ(kept, ksu_stat(&dropped, "vmlinux_kept_bytes"));

	restore_us = now_us();
	img = read_image(&size);
	restore_us = now_us() - restore_us;
	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, ksu_stats_read(&after));
	ksft_print_msg("open after the drop: %ld us\n", restore_us);
	EXPECT_EQ(ksu_stat(&before, "vmlinux_builds"),
		  ksu_stat(&after, "vmlinux_builds"))
		TH_LOG("vmlinux's table was read from /proc/kallsyms again");
	EXPECT_EQ(ksu_stat(&before, "vmlinux_restores") + 1,
		  ksu_stat(&after, "vmlinux_restores"));
	EXPECT_EQ(ksu_stat(&before, "vmlinux_bytes"),
		  ksu_stat(&after, "vmlinux_bytes"));
	EXPECT_EQ(kept, ksu_stat(&after, "vmlinux_kept_bytes"));
	ASSERT_EQ(cold_size, size);
	EXPECT_EQ(0, memcmp(cold, img, size))
		TH_LOG("the restored image differs from the cold one");
	free(cold);
	free(img);
}

TEST_F_TIMEOUT(reclaim, shrinker_drop_restores_the_same_image, 120)
{
	check_restore(_metadata, DROP_BY_SHRINKER);
}

TEST_F_TIMEOUT(reclaim, idle_drop_restores_the_same_image, 120)
{
	check_restore(_metadata, DROP_BY_IDLE_TIMER);
}

/* Setting the parameter counts from then, without waiting for an open. */
TEST_F(reclaim, idle_timer_starts_when_set)
{
	struct ksu_stats st;

	ASSERT_EQ(0, ksu_write_long(KSU_IDLE_PARAM, 1));
	ASSERT_TRUE(wait_cache_dropped(&st, IDLE_WAIT_MS));
}

TEST_F(reclaim, idle_zero_keeps_cache)
{
	struct ksu_stats st;

	ASSERT_EQ(0, ksu_open_close());
	sleep(3);
	ASSERT_EQ(0, ksu_stats_read(&st));
	EXPECT_EQ(ksu_stat(&self->before, "vmlinux_bytes"),
		  ksu_stat(&st, "vmlinux_bytes"));
	EXPECT_EQ(ksu_stat(&self->before, "drops_idle"),
		  ksu_stat(&st, "drops_idle"));
}

TEST_F(reclaim, idle_param_rejects_garbage)
{
	static const char * const bad[] = { "abc\n", "-1\n", "1x\n", "\n" };
	long now;
	size_t i;

	ASSERT_EQ(0, ksu_write_long(KSU_IDLE_PARAM, 7));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, ksu_write_str(KSU_IDLE_PARAM, bad[i]))
			TH_LOG("value \"%s\"", bad[i]);
		ASSERT_EQ(0, ksu_read_long(KSU_IDLE_PARAM, &now));
		EXPECT_EQ(7, now);
	}
}

struct race {
	volatile bool stop;
	long drops;
	int err;
};

static void *drop_loop(void *arg)
{
	struct race *r = arg;

	while (!r->stop && !r->err) {
		r->err = ksu_drop_caches(DROP_SLAB);
		r->drops++;
		usleep(RACE_DROP_PAUSE_US);
	}
	return NULL;
}

/* Opens while the shrinker runs: every one works and sees a whole image. */
TEST_F(reclaim, opens_race_shrinker)
{
	struct race r = {};
	struct ksu_image img;
	pthread_t thread;
	time_t end = time(NULL) + RACE_SECONDS;
	long opens = 0;

	ASSERT_EQ(0, pthread_create(&thread, NULL, drop_loop, &r));
	while (time(NULL) < end) {
		if (ksu_image_load(&img)) {
			TH_LOG("open %ld: %s", opens, img.err);
			break;
		}
		ksu_image_free(&img);
		opens++;
	}
	r.stop = true;
	pthread_join(thread, NULL);
	EXPECT_EQ(0, r.err);
	ksft_print_msg("%ld opens, %ld cache drops\n", opens, r.drops);
	EXPECT_LT(0, opens);
	EXPECT_LT(0, r.drops);
	ASSERT_EQ(0, ksu_image_load(&img)) TH_LOG("%s", img.err);
	ksu_image_free(&img);
}

TEST_HARNESS_MAIN
