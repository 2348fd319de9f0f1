// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pages behind mappings of /dev/ksyms: the same physical pages for
 * every mapping of a snapshot, in every process; supplied by a fault
 * handler, so that MADV_DONTNEED and a new touch work.
 */
#include <stdio.h>

#include "ksyms_test.h"
#include "ksyms_mmap_fixture.h"

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

TEST_HARNESS_MAIN
