// SPDX-License-Identifier: GPL-2.0-only
/*
 * KIOCGSIZE, KIOCGADDR and its mapping: FreeBSD's numbers, the exact
 * size, the bytes at the address, the mapping in /proc/self/maps and its
 * life across close, EFAULT, ENOTTY, and no leak over 2,000 opens.
 * ksyms_descriptors follows the mapping across dup, fork, exec,
 * SCM_RIGHTS and munmap (more in ksyms_addr_map.c).
 *
 * Built twice: natively and with -m32 (ksyms_ioctl_32), where the ioctl
 * numbers encode a 4-byte size_t and pointer and must get the same answers.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_dev_fixture.h"

/* FreeBSD's encodings, with this ABI's size_t and pointer width */
TEST(ioctl_numbers)
{
	EXPECT_EQ(_IOR('l', 1, size_t), KIOCGSIZE);
	EXPECT_EQ(_IOR('l', 2, void *), KIOCGADDR);
	if (sizeof(void *) == 8) {
		EXPECT_EQ(0x80086c01UL, (unsigned long)KIOCGSIZE);
		EXPECT_EQ(0x80086c02UL, (unsigned long)KIOCGADDR);
	} else {
		EXPECT_EQ(0x80046c01UL, (unsigned long)KIOCGSIZE);
		EXPECT_EQ(0x80046c02UL, (unsigned long)KIOCGADDR);
	}
	TH_LOG("%zu-bit: KIOCGSIZE %#lx KIOCGADDR %#lx", 8 * sizeof(void *),
	       (unsigned long)KIOCGSIZE, (unsigned long)KIOCGADDR);
}

TEST_F(dev, size_is_exact)
{
	const Elf64_Ehdr *eh;
	struct stat st;
	size_t size = 0;
	bool canary;

	ASSERT_EQ(0, get_size(self->fd, &size, &canary))
		TH_LOG("KIOCGSIZE: %s", strerror(errno));
	EXPECT_TRUE(canary) TH_LOG("KIOCGSIZE wrote more than a size_t");
	EXPECT_EQ(self->size, size);
	ASSERT_EQ(0, fstat(self->fd, &st));
	EXPECT_EQ((off_t)self->size, st.st_size);
	ASSERT_LE((size_t)KSU_HDR_SIZE, self->size);
	/* The section header table ends the image. */
	eh = (const Elf64_Ehdr *)self->img;
	EXPECT_EQ(eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr),
		  (uint64_t)size);
}

TEST_F(dev, address_holds_the_image)
{
	unsigned char *addr = NULL;
	void *again = NULL;
	bool canary;

	ASSERT_EQ(0, get_addr(self->fd, (void **)&addr, &canary))
		TH_LOG("KIOCGADDR: %s", strerror(errno));
	EXPECT_TRUE(canary) TH_LOG("KIOCGADDR wrote more than a pointer");
	ASSERT_NE(0UL, (unsigned long)addr);
	EXPECT_EQ(0UL, (uintptr_t)addr % ksu_page_size());
	EXPECT_EQ(0, memcmp(addr, self->img, self->size));
	/* asking again gives the same place */
	ASSERT_EQ(0, get_addr(self->fd, &again, &canary));
	EXPECT_EQ((uintptr_t)addr, (uintptr_t)again);
}

TEST_F(dev, mapping_in_proc_maps)
{
	unsigned long start, end;
	char line[512], perms[8];
	void *addr = NULL;
	bool canary;
	int n;

	ASSERT_EQ(0, get_addr(self->fd, &addr, &canary));
	ASSERT_TRUE(ksu_maps_find((uintptr_t)addr, line, sizeof(line)))
		TH_LOG("no mapping at %p in /proc/self/maps", addr);
	TH_LOG("%s", line);
	n = sscanf(line, "%lx-%lx %7s", &start, &end, perms);
	ASSERT_EQ(3, n);
	EXPECT_EQ(self->len, end - start);
	EXPECT_STREQ("r--s", perms);
	EXPECT_TRUE(strstr(line, ksu_dev_path()) != NULL);
}

TEST_F(dev, bad_pointer_efault)
{
	size_t ps = ksu_page_size();
	void *ro;

	ro = mmap(NULL, ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(ro != MAP_FAILED);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGSIZE, NULL));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGADDR, NULL));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGSIZE, (void *)16));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGADDR, (void *)16));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGSIZE, ro));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGADDR, ro));
	EXPECT_EQ(EFAULT, errno);
	/* a kernel address */
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGSIZE, (void *)~0xfffUL));
	EXPECT_EQ(EFAULT, errno);
	munmap(ro, ps);
}

TEST_F(dev, unknown_ioctl_enotty)
{
	static const unsigned long cmds[] = {
		0, TCGETS, FIONREAD, _IO('l', 0), _IO('l', 1),
		_IOW('l', 1, size_t), _IOWR('l', 2, void *),
		_IOR('l', 100, long), _IOR('k', 1, size_t),
		_IOR('L', 2, void *), 0xffffffffUL,
	};
	unsigned long buf[8];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		memset(buf, 0, sizeof(buf));
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, cmds[i], buf))
			TH_LOG("ioctl %#lx succeeded", cmds[i]);
		EXPECT_EQ(ENOTTY, errno) TH_LOG("ioctl %#lx: %s", cmds[i],
						strerror(errno));
	}
}

TEST_F(dev, close_keeps_mapping)
{
	char line[512];
	void *addr = NULL;
	bool canary;

	ASSERT_EQ(0, get_addr(self->fd, &addr, &canary));
	ASSERT_TRUE(ksu_maps_find((uintptr_t)addr, line, sizeof(line)));
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	EXPECT_TRUE(ksu_maps_find((uintptr_t)addr, line, sizeof(line)))
		TH_LOG("unmapped by close");
	EXPECT_EQ(0, memcmp(addr, self->img, self->size));
	/* and the slot is free again */
	self->fd = ksu_open(O_RDONLY);
	EXPECT_LE(0, self->fd) TH_LOG("reopen: %s", strerror(-self->fd));
}

FIXTURE(slow) {
	int unused;
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

/*
 * The driver's counters must come back exactly, so one leaked object per
 * open already shows; the cycles are many only to catch a leak that
 * needs a rare interleaving, and few enough for a debug kernel under TCG.
 */
#define CYCLES	2000

TEST_F_TIMEOUT(slow, open_close_2000, 500)
{
	struct ksu_traces before, after;
	unsigned long fails = 0;
	const char *changed;
	void *first = NULL;
	int first_err = 0;
	int i, fd;

	/* warm up: the first open may build the snapshot and the mapping */
	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
	EXPECT_EQ(0, ioctl(fd, KIOCGADDR, &first));
	close(fd);
	ASSERT_EQ(0, ksu_traces_take(&before));
	ASSERT_LT(0, before.maps);
	if (!before.counted)
		TH_LOG("no %s: memory not counted", KSU_DEBUGFS);

	for (i = 0; i < CYCLES; i++) {
		void *addr = NULL;

		fd = ksu_open(O_RDONLY);
		if (fd < 0) {
			if (!fails++)
				first_err = -fd;
			continue;
		}
		if (i % 100 == 0 &&
		    (ioctl(fd, KIOCGADDR, &addr) || !addr ||
		     memcmp(addr, ELFMAG, SELFMAG)))
			fails++;
		close(fd);
	}
	EXPECT_EQ(0UL, fails) TH_LOG("first error: %s", strerror(first_err));
	ASSERT_EQ(0, ksu_traces_take(&after));
	changed = ksu_traces_differ(&before, &after);
	EXPECT_EQ(NULL, changed) TH_LOG("%s changed", changed);
}

TEST_HARNESS_MAIN
