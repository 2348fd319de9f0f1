// SPDX-License-Identifier: GPL-2.0-only
/*
 * read, pread, lseek and fstat on /dev/ksyms: full reads, short reads only
 * at the end, EOF at and past the end, EINVAL for negative positions,
 * EFAULT (or a short count) for unwritable buffers, seeking past the end.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ksyms_test.h"

FIXTURE(fops) {
	int fd;
	unsigned char *img;
	size_t size;
};

FIXTURE_SETUP(fops)
{
	size_t ioc = 0;
	int ret;

	self->fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", ksu_dev_path(),
				      strerror(-self->fd));
	ret = ksu_pread_all(self->fd, 4096, &self->img, &self->size);
	ASSERT_EQ(0, ret) TH_LOG("pread: %s", strerror(-ret));
	ASSERT_EQ(0, ioctl(self->fd, KIOCGSIZE, &ioc));
	ASSERT_EQ(ioc, self->size);
	ASSERT_LT((size_t)KSU_HDR_SIZE, self->size);
}

FIXTURE_TEARDOWN(fops)
{
	if (self->fd >= 0)
		close(self->fd);
	free(self->img);
}

static off_t pos(int fd)
{
	return lseek(fd, 0, SEEK_CUR);
}

TEST_F(fops, read_whole_in_one_call)
{
	size_t extra = 65536;
	unsigned char *buf = malloc(self->size + extra);

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ((ssize_t)self->size, read(self->fd, buf, self->size + extra));
	EXPECT_EQ(0, memcmp(buf, self->img, self->size));
	EXPECT_EQ((off_t)self->size, pos(self->fd));
	EXPECT_EQ(0, read(self->fd, buf, extra));
	EXPECT_EQ(0, read(self->fd, buf, extra));
	EXPECT_EQ((off_t)self->size, pos(self->fd));
	free(buf);
}

TEST_F(fops, read_exact_size_then_eof)
{
	unsigned char *buf = malloc(self->size);

	ASSERT_NE(NULL, buf);
	EXPECT_EQ((ssize_t)self->size, read(self->fd, buf, self->size));
	EXPECT_EQ(0, memcmp(buf, self->img, self->size));
	EXPECT_EQ(0, read(self->fd, buf, 1));
	free(buf);
}

/*
 * Reads of @want bytes from @start to EOF: each one full but the last, and
 * the bytes those of the image.
 */
static void read_to_eof(struct __test_metadata *_metadata,
			FIXTURE_DATA(fops) *self, unsigned char *buf,
			size_t start, size_t want)
{
	size_t done = start;
	ssize_t n;

	ASSERT_EQ((off_t)start, lseek(self->fd, (off_t)start, SEEK_SET));
	while ((n = read(self->fd, buf + done, want)) > 0) {
		size_t left = self->size - done;

		EXPECT_EQ(want < left ? want : left, (size_t)n)
			TH_LOG("chunk %zu at %zu", want, done);
		done += (size_t)n;
	}
	EXPECT_EQ(0, n);
	EXPECT_EQ(self->size, done);
	EXPECT_EQ(0, memcmp(buf + start, self->img + start, self->size - start))
		TH_LOG("chunk %zu", want);
}

TEST_F(fops, read_in_odd_chunks)
{
	static const size_t chunks[] = { 7, 4093, 4096, 65537 };
	/* small chunks over the whole image take minutes under emulation */
	const size_t small_chunk = 4096, small_tail = 256 * 1024 + 7;
	unsigned char *buf = malloc(self->size + 65537);
	size_t c, done;

	ASSERT_NE(NULL, buf);
	/* one byte at a time: the header */
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	for (done = 0; done < KSU_HDR_SIZE; done++)
		ASSERT_EQ(1, read(self->fd, buf + done, 1));
	EXPECT_EQ(0, memcmp(buf, self->img, KSU_HDR_SIZE));
	for (c = 0; c < ARRAY_SIZE(chunks); c++) {
		size_t start = 0;

		if (chunks[c] < small_chunk && self->size > small_tail)
			start = self->size - small_tail;
		read_to_eof(_metadata, self, buf, start, chunks[c]);
	}
	free(buf);
}

TEST_F(fops, read_zero_bytes)
{
	char c;

	EXPECT_EQ(0, read(self->fd, &c, 0));
	EXPECT_EQ(0, pread(self->fd, &c, 0, 100));
	EXPECT_EQ(0, pos(self->fd));
}

TEST_F(fops, pread_partial_at_end_and_eof)
{
	unsigned char buf[256];
	off_t size = (off_t)self->size;

	ASSERT_EQ(100, lseek(self->fd, 100, SEEK_SET));
	EXPECT_EQ(10, pread(self->fd, buf, sizeof(buf), size - 10));
	EXPECT_EQ(0, memcmp(buf, self->img + self->size - 10, 10));
	EXPECT_EQ(1, pread(self->fd, buf, sizeof(buf), size - 1));
	EXPECT_EQ(self->img[self->size - 1], buf[0]);
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), size));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), size + 1));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), size + 4096));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), (off_t)1 << 40));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), LLONG_MAX - 1000));
	/* in the middle: full */
	EXPECT_EQ((ssize_t)sizeof(buf), pread(self->fd, buf, sizeof(buf), 300));
	EXPECT_EQ(0, memcmp(buf, self->img + 300, sizeof(buf)));
	/* pread leaves the position alone */
	EXPECT_EQ(100, pos(self->fd));
}

TEST_F(fops, pread_negative_offset)
{
	unsigned char buf[16];

	errno = 0;
	EXPECT_EQ(-1, pread(self->fd, buf, sizeof(buf), -1));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, pread(self->fd, buf, sizeof(buf), LLONG_MIN));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, pread(self->fd, buf, sizeof(buf), -(off_t)self->size));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(fops, lseek_set_cur_end)
{
	off_t size = (off_t)self->size;
	unsigned char buf[KSU_HDR_SIZE];

	EXPECT_EQ(0, pos(self->fd));
	EXPECT_EQ(100, lseek(self->fd, 100, SEEK_SET));
	EXPECT_EQ(10, read(self->fd, buf, 10));
	EXPECT_EQ(0, memcmp(buf, self->img + 100, 10));
	EXPECT_EQ(110, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(160, lseek(self->fd, 50, SEEK_CUR));
	EXPECT_EQ(100, lseek(self->fd, -60, SEEK_CUR));
	EXPECT_EQ(size, lseek(self->fd, 0, SEEK_END));
	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(size - KSU_HDR_SIZE,
		  lseek(self->fd, -KSU_HDR_SIZE, SEEK_END));
	EXPECT_EQ(KSU_HDR_SIZE, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, self->img + self->size - KSU_HDR_SIZE,
			    KSU_HDR_SIZE));
	EXPECT_EQ(0, lseek(self->fd, -size, SEEK_END));
	EXPECT_EQ(KSU_HDR_SIZE, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, self->img, KSU_HDR_SIZE));
}

TEST_F(fops, lseek_past_end)
{
	off_t size = (off_t)self->size;
	unsigned char buf[16];

	EXPECT_EQ(size + 12345, lseek(self->fd, size + 12345, SEEK_SET));
	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(size + 12345, pos(self->fd));
	EXPECT_EQ(size + 10, lseek(self->fd, 10, SEEK_END));
	EXPECT_EQ(size + 11, lseek(self->fd, 1, SEEK_CUR));
	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ((off_t)1 << 40, lseek(self->fd, (off_t)1 << 40, SEEK_SET));
	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));
	/* and back */
	EXPECT_EQ(5, lseek(self->fd, 5, SEEK_SET));
	EXPECT_EQ((ssize_t)sizeof(buf), read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, self->img + 5, sizeof(buf)));
}

TEST_F(fops, lseek_negative_result)
{
	off_t size = (off_t)self->size;

	ASSERT_EQ(42, lseek(self->fd, 42, SEEK_SET));
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, -1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, -43, SEEK_CUR));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, -size - 1, SEEK_END));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, LLONG_MIN, SEEK_END));
	EXPECT_EQ(EINVAL, errno);
	/* failures leave the position alone */
	EXPECT_EQ(42, pos(self->fd));
}

TEST_F(fops, read_efault)
{
	size_t ps = ksu_page_size();
	unsigned char *ro, *gone, buf[64];
	void *null = NULL;

	/* hide it from the compiler, which knows NULL is no buffer */
	__asm__ ("" : "+r" (null));

	errno = 0;
	EXPECT_EQ(-1, read(self->fd, null, 100));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, pos(self->fd));
	errno = 0;
	EXPECT_EQ(-1, pread(self->fd, null, 100, 0));
	EXPECT_EQ(EFAULT, errno);

	ro = mmap(NULL, ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	errno = 0;
	EXPECT_EQ(-1, read(self->fd, ro, 100));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, pos(self->fd));
	errno = 0;
	EXPECT_EQ(-1, pread(self->fd, ro, 100, 0));
	EXPECT_EQ(EFAULT, errno);
	munmap(ro, ps);

	gone = mmap(NULL, ps, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, gone);
	ASSERT_EQ(0, munmap(gone, ps));
	errno = 0;
	EXPECT_EQ(-1, read(self->fd, gone, 100));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, pos(self->fd));
	errno = 0;
	EXPECT_EQ(-1, pread(self->fd, gone, 100, 200));
	EXPECT_EQ(EFAULT, errno);

	/* still readable afterwards */
	EXPECT_EQ((ssize_t)sizeof(buf), read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, self->img, sizeof(buf)));
}

/*
 * A buffer whose end is not writable: EFAULT, or the bytes copied before
 * the fault, and the position moves by what was returned.
 */
TEST_F(fops, read_into_partly_writable_buffer)
{
	size_t ps = ksu_page_size(), room = 100;
	unsigned char *buf;
	off_t start = 300;
	ssize_t n;

	buf = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, mprotect(buf + ps, ps, PROT_READ));
	ASSERT_EQ(start, lseek(self->fd, start, SEEK_SET));
	errno = 0;
	n = read(self->fd, buf + ps - room, 1000);
	if (n < 0) {
		EXPECT_EQ(EFAULT, errno);
		EXPECT_EQ(start, pos(self->fd));
	} else {
		EXPECT_LT(0, n);
		EXPECT_GE((ssize_t)room, n);
		EXPECT_EQ(0, memcmp(buf + ps - room, self->img + start,
				    (size_t)n));
		EXPECT_EQ(start + n, pos(self->fd));
	}
	n = pread(self->fd, buf + ps - room, 1000, 400);
	if (n < 0) {
		EXPECT_EQ(EFAULT, errno);
	} else {
		EXPECT_LT(0, n);
		EXPECT_GE((ssize_t)room, n);
		EXPECT_EQ(0, memcmp(buf + ps - room, self->img + 400,
				    (size_t)n));
	}
	munmap(buf, 2 * ps);
}

/*
 * The end of the user address space: the power of two just above the
 * stack (x86-64: 2^47; arm64 with 48-bit addresses: 2^48), 0 if unknown.
 */
static uintptr_t user_space_top(void)
{
	unsigned long start, end = 0;
	uintptr_t top = 1;
	char line[256];
	FILE *maps;

	maps = fopen("/proc/self/maps", "r");
	if (!maps)
		return 0;
	while (fgets(line, sizeof(line), maps))
		if (strstr(line, "[stack]") &&
		    sscanf(line, "%lx-%lx", &start, &end) == 2)
			break;
	fclose(maps);
	if (!end)
		return 0;
	while (top < end && top << 1)
		top <<= 1;
	return top;
}

/*
 * The largest count the VFS lets through (the buffer must lie inside the
 * address space, count <= SSIZE_MAX): still min(count, size - pos) bytes.
 */
TEST_F(fops, huge_count)
{
	size_t len = ksu_page_round(self->size);
	uintptr_t top = user_space_top();
	unsigned char *buf;
	size_t count;

	ASSERT_NE((uintptr_t)0, top);
	TH_LOG("user address space ends at %#lx", (unsigned long)top);
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_LT((uintptr_t)buf + len, top)
		TH_LOG("buffer at %p, above %#lx", buf, (unsigned long)top);
	count = top - ksu_page_size() - (uintptr_t)buf;
	if (count > SSIZE_MAX)
		count = SSIZE_MAX;
	TH_LOG("count %zu", count);
	EXPECT_EQ((ssize_t)self->size, read(self->fd, buf, count));
	EXPECT_EQ(0, memcmp(buf, self->img, self->size));
	EXPECT_EQ(10, pread(self->fd, buf, count, (off_t)self->size - 10));
	EXPECT_EQ(0, memcmp(buf, self->img + self->size - 10, 10));
	EXPECT_EQ(0, pread(self->fd, buf, count, (off_t)self->size));
	munmap(buf, len);
}

TEST_F(fops, fstat)
{
	struct stat st, st2;

	ASSERT_EQ(0, fstat(self->fd, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0400U, st.st_mode & 07777);
	EXPECT_EQ(0U, st.st_uid);
	EXPECT_EQ((off_t)self->size, st.st_size);
	ASSERT_EQ(0, stat(ksu_dev_path(), &st2));
	EXPECT_EQ(st.st_rdev, st2.st_rdev);
	EXPECT_EQ((off_t)self->size, st2.st_size);
}

TEST_HARNESS_MAIN
