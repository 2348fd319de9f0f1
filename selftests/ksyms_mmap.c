// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmap(2) of /dev/ksyms: read-only (PROT_WRITE and PROT_EXEC refused, and
 * mprotect cannot add them later), bounded by the page-rounded image, zero
 * past the image, no growth by mremap.  The pages behind the mappings are
 * ksyms_mmap_pages.c's; the KIOCGADDR mapping's own lifetime is
 * ksyms_addr_map.c's.
 */
#include <stdio.h>

#include "ksyms_test.h"
#include "ksyms_mmap_fixture.h"

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
