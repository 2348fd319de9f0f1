// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ksyms module's own lifetime: rmmod is refused while a descriptor or
 * any mapping of the device exists, works once they are gone, and the
 * module loads again from $KSYMS_KO with a working device.  Every test
 * leaves ksyms loaded.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ksyms_test.h"

FIXTURE(life) {
	int unused;
};

FIXTURE_SETUP(life)
{
	if (!ksu_ksyms_ko())
		SKIP(return, "$KSYMS_KO is not set: cannot reload ksyms");
	ASSERT_EQ(0, ksu_ksyms_ensure_loaded());
}

FIXTURE_TEARDOWN(life)
{
	int ret = ksu_ksyms_ensure_loaded();

	EXPECT_EQ(0, ret) TH_LOG("reloading %s: %s", ksu_ksyms_ko(),
				 strerror(-ret));
}

static bool busy(int ret)
{
	return ret == -EBUSY || ret == -EWOULDBLOCK;
}

/* The device works and agrees with /proc/kallsyms. */
static void check_device(struct __test_metadata *_metadata)
{
	struct ksu_kallsyms ks;
	struct ksu_image img;
	size_t size = 0;
	int fd;

	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
	ASSERT_EQ(0, ioctl(fd, KIOCGSIZE, &size));
	ASSERT_EQ(0, ksu_image_from_fd(&img, fd)) TH_LOG("%s", img.err);
	close(fd);
	EXPECT_EQ(size, img.size);
	ASSERT_EQ(0, ksu_kallsyms_load(&ks));
	EXPECT_EQ(ks.count, img.nsyms - 1);
	ksu_kallsyms_free(&ks);
	ksu_image_free(&img);
}

static void unload_and_reload(struct __test_metadata *_metadata)
{
	struct stat st;
	int ret;

	ret = ksu_module_unload("ksyms");
	ASSERT_EQ(0, ret) TH_LOG("rmmod ksyms: %s", strerror(-ret));
	EXPECT_FALSE(ksu_module_loaded("ksyms"));
	EXPECT_EQ(-1, stat(KSYMS_PATH, &st)) TH_LOG("%s still exists",
						     KSYMS_PATH);
	ret = ksu_module_load(ksu_ksyms_ko());
	ASSERT_EQ(0, ret) TH_LOG("insmod %s: %s", ksu_ksyms_ko(),
				 strerror(-ret));
	check_device(_metadata);
}

TEST_F(life, rmmod_refused_while_open)
{
	unsigned char magic[SELFMAG];
	int fd, ret;

	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(-fd));
	ret = ksu_module_unload("ksyms");
	EXPECT_TRUE(busy(ret)) TH_LOG("delete_module: %s",
				      ret ? strerror(-ret) : "succeeded");
	ASSERT_TRUE(ksu_module_loaded("ksyms"));
	/* the refused removal left everything working */
	EXPECT_EQ((ssize_t)SELFMAG, pread(fd, magic, SELFMAG, 0));
	EXPECT_EQ(0, memcmp(magic, ELFMAG, SELFMAG));
	close(fd);
	unload_and_reload(_metadata);
}

TEST_F(life, rmmod_refused_while_mapped)
{
	size_t size = 0, len;
	unsigned char *p;
	int fd, ret;

	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(-fd));
	ASSERT_EQ(0, ioctl(fd, KIOCGSIZE, &size));
	len = ksu_page_round(size);
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, close(fd));

	ret = ksu_module_unload("ksyms");
	EXPECT_TRUE(busy(ret)) TH_LOG("delete_module with a mapping left: %s",
				      ret ? strerror(-ret) : "succeeded");
	ASSERT_TRUE(ksu_module_loaded("ksyms"));
	EXPECT_EQ(0, memcmp(p, ELFMAG, SELFMAG));
	/* touch every page, and drop them, while the module is pinned */
	EXPECT_EQ(0, madvise(p, len, MADV_DONTNEED));
	EXPECT_EQ(0, memcmp(p, ELFMAG, SELFMAG));
	ASSERT_EQ(0, munmap(p, len));
	unload_and_reload(_metadata);
}

/*
 * The KIOCGADDR mapping outlives close(2) and, holding the open file,
 * pins the module until it is unmapped; a forked child gets no copy.
 */
TEST_F(life, rmmod_refused_while_mapping_outlives_close)
{
	size_t size = 0;
	void *addr = NULL;
	int fd, ret;

	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, KIOCGSIZE, &size));
	ASSERT_EQ(0, ioctl(fd, KIOCGADDR, &addr));
	close(fd);
	EXPECT_EQ(0, ksu_child_dev_mappings())
		TH_LOG("the child has a copy of the mapping");
	ret = ksu_module_unload("ksyms");
	EXPECT_TRUE(busy(ret))
		TH_LOG("the mapping did not pin the module: %s",
		       ret ? strerror(-ret) : "removed");
	ASSERT_EQ(0, munmap(addr, ksu_page_round(size)));
	if (ksu_module_loaded("ksyms")) {
		unload_and_reload(_metadata);
	} else {
		ASSERT_EQ(0, ksu_ksyms_ensure_loaded());
	}
	check_device(_metadata);
}

TEST_F(life, reload_cycles)
{
	int i;

	for (i = 0; i < 3; i++)
		unload_and_reload(_metadata);
	ASSERT_TRUE(ksu_module_loaded("ksyms"));
}

TEST_HARNESS_MAIN
