// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KIOCGADDR mapping's lifetime (docs/behaviour.md): made at the first
 * KIOCGADDR, one per address space, kept across close(2), replaced when a
 * descriptor of another snapshot asks, recognised by identity and not by
 * address range, left out of fork() children and of core dumps, and never
 * made by an open that fails after the driver's ->open.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ksyms_test.h"

/* The address KIOCGADDR gives for a new descriptor, which is closed. */
static int addr_of_new_open(void **addr)
{
	int fd = ksu_open(O_RDONLY), ret = 0;

	if (fd < 0)
		return fd;
	if (ioctl(fd, KIOCGADDR, addr))
		ret = -errno;
	close(fd);
	return ret;
}

FIXTURE(addr) {
	int fd;
	unsigned char *img;
	size_t size;
};

FIXTURE_SETUP(addr)
{
	int ret = ksu_open_image(&self->fd, &self->img, &self->size);

	ASSERT_EQ(0, ret) TH_LOG("open and read: %s", strerror(-ret));
	ASSERT_EQ(0, ksu_dev_mappings()) TH_LOG("mapped before KIOCGADDR");
}

FIXTURE_TEARDOWN(addr)
{
	if (self->fd >= 0)
		close(self->fd);
	free(self->img);
}

/* Nothing is mapped until asked; asking twice gives one mapping. */
TEST_F(addr, made_at_first_kiocgaddr)
{
	void *a = NULL, *b = NULL;

	EXPECT_EQ(0, ksu_dev_mappings());
	ASSERT_EQ(0, ioctl(self->fd, KIOCGADDR, &a));
	ASSERT_EQ(0, ioctl(self->fd, KIOCGADDR, &b));
	EXPECT_EQ(a, b);
	EXPECT_EQ(1, ksu_dev_mappings());
	EXPECT_EQ(0, memcmp(a, self->img, self->size));
}

/* close(2) leaves it, readable, as munmap is what removes a mapping. */
TEST_F(addr, outlives_close)
{
	void *a = NULL;

	ASSERT_EQ(0, ioctl(self->fd, KIOCGADDR, &a));
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	EXPECT_EQ(1, ksu_dev_mappings());
	EXPECT_EQ(0, memcmp(a, self->img, self->size));
	EXPECT_EQ(0, munmap(a, ksu_page_round(self->size)));
	EXPECT_EQ(0, ksu_dev_mappings());
}

/* Not copied into a fork() child, not dumped: smaps says dc and dd. */
TEST_F(addr, not_inherited_not_dumped)
{
	char flags[256];
	void *a = NULL;

	ASSERT_EQ(0, ioctl(self->fd, KIOCGADDR, &a));
	ASSERT_EQ(0, ksu_smaps_flags((uintptr_t)a, flags, sizeof(flags)));
	EXPECT_NE(NULL, strstr(flags, " dc")) TH_LOG("VmFlags:%s", flags);
	EXPECT_NE(NULL, strstr(flags, " dd")) TH_LOG("VmFlags:%s", flags);
	EXPECT_EQ(0, ksu_child_dev_mappings()) TH_LOG("the child holds it");
}

/*
 * The program's own mmap(2) at the same address, after unmapping the
 * KIOCGADDR mapping, is the program's: neither close() nor the next
 * KIOCGADDR, nor replacing that one, touches it.
 */
TEST_F(addr, own_mmap_at_same_address_is_not_taken)
{
	size_t len = ksu_page_round(self->size);
	void *a = NULL, *b = NULL, *own;

	ASSERT_EQ(0, ioctl(self->fd, KIOCGADDR, &a));
	ASSERT_EQ(0, munmap(a, len));
	own = mmap(a, len, PROT_READ, MAP_SHARED | MAP_FIXED, self->fd, 0);
	ASSERT_EQ(a, own);
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	EXPECT_EQ(0, memcmp(own, self->img, self->size));
	ASSERT_EQ(0, addr_of_new_open(&b));
	EXPECT_NE(a, b);
	EXPECT_EQ(2, ksu_dev_mappings());
	/* split, the new one is replaced on the next ask; the own one stays */
	ASSERT_EQ(0, munmap((char *)b + ksu_page_size(), ksu_page_size()));
	ASSERT_EQ(0, addr_of_new_open(&b));
	EXPECT_EQ(2, ksu_dev_mappings());
	EXPECT_EQ(0, memcmp(b, self->img, self->size));
	EXPECT_EQ(0, memcmp(own, self->img, self->size))
		TH_LOG("the program's own mapping was touched");
}

/*
 * Moved with mremap(), it is still the one: asked again, the moved one
 * is found, not a second one made.
 */
TEST_F(addr, moved_by_mremap_still_found)
{
	size_t len = ksu_page_round(self->size);
	void *a = NULL, *b = NULL, *hole, *moved;

	ASSERT_EQ(0, ioctl(self->fd, KIOCGADDR, &a));
	hole = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	moved = mremap(a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	ASSERT_EQ(hole, moved) TH_LOG("mremap: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(self->fd, KIOCGADDR, &b));
	EXPECT_EQ(moved, b);
	EXPECT_EQ(1, ksu_dev_mappings());
	EXPECT_EQ(0, memcmp(b, self->img, self->size));
}

/* Split by a partial munmap: replaced whole, the pieces removed. */
TEST_F(addr, split_mapping_replaced)
{
	size_t ps = ksu_page_size(), len = ksu_page_round(self->size);
	unsigned char *a = NULL;
	void *b = NULL;

	if (len < 3 * ps)
		SKIP(return, "image of fewer than 3 pages");
	ASSERT_EQ(0, ioctl(self->fd, KIOCGADDR, &a));
	ASSERT_EQ(0, munmap(a + ps, ps));
	EXPECT_EQ(2, ksu_dev_mappings());
	ASSERT_EQ(0, ioctl(self->fd, KIOCGADDR, &b));
	EXPECT_EQ(1, ksu_dev_mappings());
	EXPECT_EQ(0, memcmp(b, self->img, self->size));
}

struct racer {
	int fd;
	pthread_barrier_t *go;
	void *addr;
	int err;
};

static void *race_kiocgaddr(void *p)
{
	struct racer *r = p;

	pthread_barrier_wait(r->go);
	r->err = ioctl(r->fd, KIOCGADDR, &r->addr) ? errno : 0;
	return NULL;
}

#define RACERS	8

/* Threads asking at once share one mapping. */
TEST_F(addr, threads_share_one)
{
	struct racer r[RACERS];
	pthread_barrier_t go;
	pthread_t t[RACERS];
	int i;

	ASSERT_EQ(0, pthread_barrier_init(&go, NULL, RACERS));
	for (i = 0; i < RACERS; i++) {
		r[i] = (struct racer){ .fd = self->fd, .go = &go };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, race_kiocgaddr, &r[i]));
	}
	for (i = 0; i < RACERS; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, r[i].err) TH_LOG("%s", strerror(r[i].err));
		EXPECT_EQ(r[0].addr, r[i].addr);
	}
	EXPECT_EQ(1, ksu_dev_mappings());
	pthread_barrier_destroy(&go);
}

/*
 * A vfork() child shares the parent's address space: its KIOCGADDR
 * mapping is that space's one mapping, found by the parent's next ask.
 */
TEST_F(addr, vfork_child_maps_into_the_shared_space)
{
	static void *child_addr;
	void *a = NULL;
	int status;
	pid_t pid;

	child_addr = NULL;
	close(self->fd);
	self->fd = -1;
	fflush(stdout);
	fflush(stderr);
	pid = vfork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(addr_of_new_open(&child_addr) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(1, ksu_dev_mappings());
	ASSERT_EQ(0, addr_of_new_open(&a));
	EXPECT_EQ(child_addr, a);
	EXPECT_EQ(1, ksu_dev_mappings());
}

/* setarch -X: every PROT_READ asks PROT_EXEC too; mapped without it. */
TEST_F(addr, read_implies_exec)
{
	char line[512];
	void *a = NULL;
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (personality(READ_IMPLIES_EXEC) < 0)
			_exit(10);
		if (ioctl(self->fd, KIOCGADDR, &a))
			_exit(11);
		if (!ksu_maps_find((uintptr_t)a, line, sizeof(line)))
			_exit(12);
		if (strncmp(strchr(line, ' ') + 1, "r--s", 4))
			_exit(13);
		_exit(memcmp(a, self->img, self->size) ? 14 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("10: personality, 11: KIOCGADDR, 12: not in maps, 13: not r--s, 14: bytes");
}

/*
 * O_DIRECT passes ->open and is refused after it by the VFS (EINVAL): no
 * mapping, no file, no snapshot held, and the next open is not EBUSY.
 */
TEST_F(addr, failed_open_leaves_nothing)
{
	struct ksu_stats before, after;
	bool stats = ksu_debugfs_present();
	int fd;

	close(self->fd);
	self->fd = -1;
	if (stats)
		ASSERT_EQ(0, ksu_stats_read(&before));
	fd = ksu_open(O_RDONLY | O_DIRECT);
	EXPECT_EQ(-EINVAL, fd);
	if (fd >= 0)
		close(fd);
	EXPECT_EQ(0, ksu_dev_mappings());
	if (stats) {
		ASSERT_EQ(0, ksu_stats_read(&after));
		EXPECT_EQ(ksu_stat(&before, "files"),
			  ksu_stat(&after, "files"));
		EXPECT_EQ(ksu_stat(&before, "snapshots"),
			  ksu_stat(&after, "snapshots"));
		EXPECT_EQ(ksu_stat(&before, "allocations"),
			  ksu_stat(&after, "allocations"));
	}
	fd = ksu_open(O_RDONLY);
	EXPECT_LE(0, fd) TH_LOG("open after the failed one: %s", strerror(-fd));
	if (fd >= 0)
		close(fd);
}

#define CYCLES	2000

/*
 * open, KIOCGADDR, close, 2,000 times in one process: at most one
 * mapping at any time, and the driver's memory as it was.
 */
TEST_F_TIMEOUT(addr, open_kiocgaddr_close_2000, 600)
{
	struct ksu_stats before, after;
	bool stats = ksu_debugfs_present();
	unsigned long fails = 0, extra = 0;
	void *first = NULL;
	int i;

	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, addr_of_new_open(&first));
	if (stats)
		ASSERT_EQ(0, ksu_stats_read(&before));
	for (i = 0; i < CYCLES; i++) {
		void *a = NULL;

		if (addr_of_new_open(&a) || memcmp(a, ELFMAG, SELFMAG))
			fails++;
		if (i % 500 == 0 && ksu_dev_mappings() != 1)
			extra++;
	}
	EXPECT_EQ(0UL, fails);
	EXPECT_EQ(0UL, extra);
	EXPECT_EQ(1, ksu_dev_mappings());
	if (stats) {
		ASSERT_EQ(0, ksu_stats_read(&after));
		EXPECT_EQ(ksu_stat(&before, "files"),
			  ksu_stat(&after, "files"));
		EXPECT_EQ(ksu_stat(&before, "snapshots"),
			  ksu_stat(&after, "snapshots"));
		EXPECT_EQ(ksu_stat(&before, "allocations"),
			  ksu_stat(&after, "allocations"));
	}
}

TEST_HARNESS_MAIN
