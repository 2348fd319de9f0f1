// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmap(2) of /dev/ksyms: read-only (PROT_WRITE and PROT_EXEC refused, and
 * mprotect cannot add them later), bounded by the page-rounded image, zero
 * past the image, the same physical pages for every mapping of a snapshot,
 * pages supplied by a fault handler (MADV_DONTNEED and re-touch work), no
 * growth by mremap.  The KIOCGADDR mapping's own lifetime is
 * ksyms_addr_map.c's.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ksyms_test.h"

FIXTURE(mm) {
	int fd;
	unsigned char *img;
	size_t size, len;
	unsigned char *open_map;	/* KIOCGADDR */
	bool noexec;
};

FIXTURE_SETUP(mm)
{
	struct statvfs sv;
	void *addr = NULL;
	int ret;

	self->fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", ksu_dev_path(),
				      strerror(-self->fd));
	ret = ksu_pread_all(self->fd, 0, &self->img, &self->size);
	ASSERT_EQ(0, ret);
	self->len = ksu_page_round(self->size);
	ASSERT_EQ(0, ioctl(self->fd, KIOCGADDR, &addr));
	self->open_map = addr;
	/* on a noexec mount the VFS refuses PROT_EXEC before the driver */
	ASSERT_EQ(0, fstatvfs(self->fd, &sv));
	self->noexec = sv.f_flag & ST_NOEXEC;
}

FIXTURE_TEARDOWN(mm)
{
	if (self->fd >= 0)
		close(self->fd);
	free(self->img);
}

static void *map(int fd, size_t len, int prot, int flags, off_t off)
{
	return mmap(NULL, len, prot, flags, fd, off);
}

static bool all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

TEST_F(mm, read_only_mappings_equal_read)
{
	static const int flags[] = { MAP_SHARED, MAP_PRIVATE };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		unsigned char *p = map(self->fd, self->len, PROT_READ, flags[i], 0);

		ASSERT_NE(MAP_FAILED, p) TH_LOG("flags %#x: %s", flags[i],
						 strerror(errno));
		EXPECT_EQ(0, memcmp(p, self->img, self->size));
		EXPECT_TRUE(all_zero(p + self->size, self->len - self->size))
			TH_LOG("bytes past the image are not zero");
		munmap(p, self->len);

		/* a length that is not a page multiple is rounded up */
		p = map(self->fd, self->size, PROT_READ, flags[i], 0);
		ASSERT_NE(MAP_FAILED, p);
		EXPECT_EQ(0, memcmp(p, self->img, self->size));
		munmap(p, self->size);
	}
	/* and the KIOCGADDR mapping */
	EXPECT_EQ(0, memcmp(self->open_map, self->img, self->size));
	EXPECT_TRUE(all_zero(self->open_map + self->size,
			     self->len - self->size));
	if (self->len == self->size)
		TH_LOG("image size is a page multiple: no tail to check");
}

TEST_F(mm, prot_write_refused)
{
	void *p;

	errno = 0;
	p = map(self->fd, self->len, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	p = map(self->fd, self->len, PROT_WRITE, MAP_PRIVATE, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	/* refused by the VFS first: the descriptor is read-only */
	errno = 0;
	p = map(self->fd, self->len, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
}

TEST_F(mm, prot_exec_refused)
{
	static const int flags[] = { MAP_SHARED, MAP_PRIVATE };
	int expected = self->noexec ? EPERM : EINVAL;
	size_t i;

	if (self->noexec)
		TH_LOG("%s is on a noexec mount: the VFS answers EPERM",
		       ksu_dev_path());
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		void *p;

		errno = 0;
		p = map(self->fd, self->len, PROT_READ | PROT_EXEC, flags[i], 0);
		EXPECT_EQ(MAP_FAILED, p);
		EXPECT_EQ(expected, errno) TH_LOG("flags %#x", flags[i]);
		errno = 0;
		p = map(self->fd, self->len, PROT_EXEC, flags[i], 0);
		EXPECT_EQ(MAP_FAILED, p);
		EXPECT_EQ(expected, errno) TH_LOG("flags %#x", flags[i]);
	}
}

static void check_mprotect(struct __test_metadata *_metadata,
			   unsigned char *p, size_t len,
			   const unsigned char *img, size_t size)
{
	errno = 0;
	EXPECT_EQ(-1, mprotect(p, len, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	errno = 0;
	EXPECT_EQ(-1, mprotect(p, len, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	errno = 0;
	EXPECT_EQ(-1, mprotect(p, ksu_page_size(), PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	/* still there, still read-only, still right */
	EXPECT_EQ(0, mprotect(p, len, PROT_READ));
	EXPECT_EQ(0, memcmp(p, img, size));
}

TEST_F(mm, mprotect_cannot_add_write_or_exec)
{
	unsigned char *s, *pr;

	s = map(self->fd, self->len, PROT_READ, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, s);
	pr = map(self->fd, self->len, PROT_READ, MAP_PRIVATE, 0);
	ASSERT_NE(MAP_FAILED, pr);
	check_mprotect(_metadata, s, self->len, self->img, self->size);
	check_mprotect(_metadata, pr, self->len, self->img, self->size);
	check_mprotect(_metadata, self->open_map, self->len, self->img,
		       self->size);
	munmap(s, self->len);
	munmap(pr, self->len);
}

TEST_F(mm, offset_and_length_bounds)
{
	size_t ps = ksu_page_size();
	unsigned char *p;

	errno = 0;
	EXPECT_EQ(MAP_FAILED, map(self->fd, ps, PROT_READ, MAP_SHARED,
				  (off_t)self->len));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(MAP_FAILED, map(self->fd, 2 * ps, PROT_READ, MAP_SHARED,
				  (off_t)(self->len - ps)));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->len + ps, PROT_READ,
				  MAP_SHARED, 0));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->len + ps, PROT_READ,
				  MAP_PRIVATE, 0));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(MAP_FAILED, map(self->fd, ps, PROT_READ, MAP_PRIVATE,
				  (off_t)1 << 40));
	EXPECT_EQ(EINVAL, errno);

	/* the last page alone is fine: the image's tail, then zeros */
	p = map(self->fd, ps, PROT_READ, MAP_SHARED, (off_t)(self->len - ps));
	ASSERT_NE(MAP_FAILED, p) TH_LOG("last page: %s", strerror(errno));
	EXPECT_EQ(0, memcmp(p, self->img + self->len - ps,
			    self->size - (self->len - ps)));
	EXPECT_TRUE(all_zero(p + self->size - (self->len - ps),
			     self->len - self->size));
	munmap(p, ps);

	/* and a page in the middle at its offset */
	if (self->len > 2 * ps) {
		size_t off = (self->len / ps / 2) * ps;

		p = map(self->fd, ps, PROT_READ, MAP_PRIVATE, (off_t)off);
		ASSERT_NE(MAP_FAILED, p);
		EXPECT_EQ(0, memcmp(p, self->img + off, ps));
		munmap(p, ps);
	}
}

static int touch(const unsigned char *p, size_t len)
{
	size_t i;
	int sum = 0;

	for (i = 0; i < len; i += ksu_page_size())
		sum += __atomic_load_n(p + i, __ATOMIC_RELAXED);
	return sum;
}

#define NPROBE	3

static void probe_pages(size_t len, size_t out[NPROBE])
{
	size_t ps = ksu_page_size();

	out[0] = 0;
	out[1] = (len / ps / 2) * ps;
	out[2] = len - ps;
}

struct pfn_child {
	int pipe;
	size_t len;
};

/* A second process, its own open: the PFNs behind its mapping. */
static int child_pfns(void *p)
{
	const struct pfn_child *c = p;
	uint64_t pfn[NPROBE] = { 0 };
	size_t off[NPROBE], i;
	void *addr = NULL;
	bool present;
	int fd;

	fd = ksu_open(O_RDONLY);
	if (fd < 0 || ioctl(fd, KIOCGADDR, &addr))
		return 1;
	touch(addr, c->len);
	probe_pages(c->len, off);
	for (i = 0; i < NPROBE; i++)
		if (ksu_pagemap((char *)addr + off[i], &pfn[i], &present) ||
		    !present)
			return 2;
	close(fd);
	return write(c->pipe, pfn, sizeof(pfn)) == sizeof(pfn) ? 0 : 3;
}

TEST_F(mm, mappings_share_pages)
{
	unsigned char *maps[3];
	uint64_t pfn[3][NPROBE], cpfn[NPROBE];
	struct pfn_child c;
	size_t off[NPROBE], m, i;
	bool present;
	int p[2];

	maps[0] = self->open_map;
	maps[1] = map(self->fd, self->len, PROT_READ, MAP_SHARED, 0);
	maps[2] = map(self->fd, self->len, PROT_READ, MAP_PRIVATE, 0);
	ASSERT_NE(MAP_FAILED, maps[1]);
	ASSERT_NE(MAP_FAILED, maps[2]);
	probe_pages(self->len, off);
	for (m = 0; m < 3; m++) {
		touch(maps[m], self->len);
		for (i = 0; i < NPROBE; i++) {
			ASSERT_EQ(0, ksu_pagemap(maps[m] + off[i], &pfn[m][i],
						 &present));
			ASSERT_TRUE(present);
		}
	}
	if (!pfn[0][0])
		SKIP(return, "/proc/self/pagemap hides PFNs (needs CAP_SYS_ADMIN)");
	for (m = 1; m < 3; m++) {
		for (i = 0; i < NPROBE; i++) {
			EXPECT_EQ(pfn[0][i], pfn[m][i])
				TH_LOG("mapping %zu, offset %zu", m, off[i]);
		}
	}
	/* distinct pages for distinct offsets */
	EXPECT_NE(pfn[0][0], pfn[0][NPROBE - 1]);

	/* another process, another open of the same snapshot */
	ASSERT_EQ(0, pipe(p));
	c.pipe = p[1];
	c.len = self->len;
	EXPECT_EQ(0, ksu_run_child(child_pfns, &c));
	ASSERT_EQ((ssize_t)sizeof(cpfn), read(p[0], cpfn, sizeof(cpfn)));
	for (i = 0; i < NPROBE; i++) {
		EXPECT_EQ(pfn[0][i], cpfn[i]) TH_LOG("child, offset %zu", off[i]);
	}
	close(p[0]);
	close(p[1]);
	munmap(maps[1], self->len);
	munmap(maps[2], self->len);
}

TEST_F(mm, madvise_dontneed_then_refault)
{
	unsigned char *maps[3];
	size_t m;

	maps[0] = self->open_map;
	maps[1] = map(self->fd, self->len, PROT_READ, MAP_SHARED, 0);
	maps[2] = map(self->fd, self->len, PROT_READ, MAP_PRIVATE, 0);
	ASSERT_NE(MAP_FAILED, maps[1]);
	ASSERT_NE(MAP_FAILED, maps[2]);
	for (m = 0; m < 3; m++) {
		uint64_t pfn;
		bool present;
		int round;

		for (round = 0; round < 2; round++) {
			touch(maps[m], self->len);
			ASSERT_EQ(0, madvise(maps[m], self->len, MADV_DONTNEED))
				TH_LOG("mapping %zu: %s", m, strerror(errno));
			/* the pages are really gone from the page table */
			ASSERT_EQ(0, ksu_pagemap(maps[m], &pfn, &present));
			EXPECT_FALSE(present) TH_LOG("mapping %zu", m);
			/* and come back, the same bytes */
			EXPECT_EQ(0, memcmp(maps[m], self->img, self->size))
				TH_LOG("mapping %zu", m);
			EXPECT_TRUE(all_zero(maps[m] + self->size,
					     self->len - self->size));
		}
	}
	munmap(maps[1], self->len);
	munmap(maps[2], self->len);
}

TEST_F(mm, mremap_cannot_grow)
{
	size_t ps = ksu_page_size(), plen = self->len, olen = ps;
	unsigned char *p, *one, *q;

	p = map(self->fd, self->len, PROT_READ, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, p);
	q = mremap(p, plen, self->len + ps, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, q) TH_LOG("grown past the image");
	if (q != MAP_FAILED) {
		p = q;
		plen = self->len + ps;
	}
	q = mremap(p, plen, plen + ps, 0);
	EXPECT_EQ(MAP_FAILED, q);
	if (q != MAP_FAILED)
		plen += ps;
	EXPECT_EQ(0, memcmp(p, self->img, self->size));
	munmap(p, plen);

	/* not even within the image */
	ASSERT_LT(ps, self->len);
	one = map(self->fd, ps, PROT_READ, MAP_PRIVATE, 0);
	ASSERT_NE(MAP_FAILED, one);
	q = mremap(one, ps, 2 * ps, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, q) TH_LOG("a one-page mapping grew");
	if (q != MAP_FAILED) {
		one = q;
		olen = 2 * ps;
	}
	munmap(one, olen);

	/* nor the KIOCGADDR mapping */
	q = mremap(self->open_map, self->len, self->len + ps, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, q);
	if (q == MAP_FAILED) {
		EXPECT_EQ(0, memcmp(self->open_map, self->img, self->size));
	}
}

/*
 * MAP_FIXED over the KIOCGADDR mapping replaces it with the program's own:
 * the next KIOCGADDR maps the image elsewhere, and neither it nor close()
 * touches the program's mapping at the old address.
 */
TEST_F(mm, map_fixed_over_open_mapping)
{
	const unsigned char fill = 0x5a;
	unsigned char *p, page[4096];
	void *addr = NULL;
	size_t i;

	p = mmap(self->open_map, self->len, PROT_READ | PROT_WRITE,
		 MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_EQ(self->open_map, (void *)p);
	memset(p, fill, self->len);
	EXPECT_EQ(0, ksu_dev_mappings());
	ASSERT_EQ(0, ioctl(self->fd, KIOCGADDR, &addr));
	EXPECT_NE((void *)p, addr);
	EXPECT_EQ(0, memcmp(addr, self->img, self->size));
	ASSERT_EQ((ssize_t)sizeof(page), pread(self->fd, page, sizeof(page), 0));
	EXPECT_EQ(0, memcmp(page, self->img, sizeof(page)));
	EXPECT_EQ(1, ksu_dev_mappings());
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	for (i = 0; i < self->len; i++)
		if (p[i] != fill)
			break;
	EXPECT_EQ(self->len, i) TH_LOG("the program's mapping was touched");
	munmap(p, self->len);
}

TEST_HARNESS_MAIN
