// SPDX-License-Identifier: GPL-2.0-only
/*
 * Failing opens other than the driver's allocations: ENOMEM when the
 * mapping cannot be made (RLIMIT_AS); ENXIO after three inconsistent
 * snapshot attempts (fail_consistency).  After each failure the driver's
 * stats show the same allocations and open files as before, and the next
 * open succeeds.  And module loads never fail because of the driver,
 * whichever of its allocations fails.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_faults_fixture.h"

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
