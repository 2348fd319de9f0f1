// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a refused open of /dev/ksyms leaves behind (nothing), and the
 * refusals that do not depend on the sysctls: the device node itself,
 * EPERM for writing, EBUSY for a second open in one process (threads
 * racing: exactly one wins) while another process opens freely.
 * ksyms_open_policy tests the refusals that do: kptr_restrict,
 * perf_event_paranoid, CAP_SYSLOG and the device's mode.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ksyms_test.h"

TEST(device_node)
{
	char line[128], name[64];
	bool chr = false, found = false;
	struct stat st;
	unsigned int major_nr;
	FILE *f;

	ASSERT_EQ(0, stat(KSYMS_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0400U, st.st_mode & 07777);
	EXPECT_EQ(0U, st.st_uid);
	/* a character device of its own, not a misc device */
	f = fopen("/proc/devices", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Character devices:", 18))
			chr = true;
		else if (!strncmp(line, "Block devices:", 14))
			chr = false;
		else if (chr && sscanf(line, "%u %63s", &major_nr, name) == 2 &&
			 !strcmp(name, "ksyms")) {
			found = true;
			EXPECT_EQ(major_nr, major(st.st_rdev));
		}
	}
	fclose(f);
	EXPECT_TRUE(found) TH_LOG("no \"ksyms\" in /proc/devices");
	EXPECT_NE(10U, major(st.st_rdev)) TH_LOG("a misc device");
	EXPECT_EQ(0, access("/sys/class/ksyms", F_OK)) TH_LOG("no class ksyms");
}

TEST(open_for_writing_eperm)
{
	int fd;

	fd = ksu_open(O_WRONLY);
	EXPECT_EQ(-EPERM, fd);
	if (fd >= 0)
		close(fd);
	fd = ksu_open(O_RDWR);
	EXPECT_EQ(-EPERM, fd);
	if (fd >= 0)
		close(fd);
	/* not held: a read-only open works */
	fd = ksu_open(O_RDONLY);
	EXPECT_LE(0, fd) TH_LOG("%s", strerror(-fd));
	if (fd >= 0)
		close(fd);
}

TEST(second_open_in_process_ebusy)
{
	int fd, fd2;

	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(-fd));
	fd2 = ksu_open(O_RDONLY);
	EXPECT_EQ(-EBUSY, fd2);
	if (fd2 >= 0)
		close(fd2);
	/* writing is checked first */
	fd2 = ksu_open(O_RDWR);
	EXPECT_EQ(-EPERM, fd2);
	if (fd2 >= 0)
		close(fd2);
	/* the first descriptor is unaffected */
	{
		size_t size = 0;

		EXPECT_EQ(0, ioctl(fd, KIOCGSIZE, &size));
		EXPECT_LT((size_t)KSU_HDR_SIZE, size);
	}
	ASSERT_EQ(0, close(fd));
	fd = ksu_open(O_RDONLY);
	EXPECT_LE(0, fd) TH_LOG("after close: %s", strerror(-fd));
	if (fd >= 0)
		close(fd);
}

TEST(refused_opens_leave_nothing)
{
	struct ksu_traces before, after;
	const char *changed;
	int fd, fd2, i;

	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ksu_traces_take(&before));
	for (i = 0; i < 100; i++) {
		fd2 = ksu_open(i % 2 ? O_RDONLY : O_WRONLY);
		EXPECT_GT(0, fd2);
		if (fd2 >= 0)
			close(fd2);
	}
	ASSERT_EQ(0, ksu_traces_take(&after));
	changed = ksu_traces_differ(&before, &after);
	EXPECT_EQ(NULL, changed) TH_LOG("%s changed", changed);
	close(fd);
}

#define NTHREADS	8
#define ROUNDS		20

struct racer {
	pthread_barrier_t *start, *done;
	int result;
};

static void *race_open(void *p)
{
	struct racer *r = p;

	pthread_barrier_wait(r->start);
	r->result = ksu_open(O_RDONLY);
	/* hold the winner until every thread has tried */
	pthread_barrier_wait(r->done);
	return NULL;
}

TEST(threads_race_one_wins)
{
	pthread_barrier_t start, done;
	struct racer r[NTHREADS];
	pthread_t t[NTHREADS];
	int round, i;

	for (round = 0; round < ROUNDS; round++) {
		int wins = 0, busy = 0, other = 0;

		ASSERT_EQ(0, pthread_barrier_init(&start, NULL, NTHREADS));
		ASSERT_EQ(0, pthread_barrier_init(&done, NULL, NTHREADS + 1));
		for (i = 0; i < NTHREADS; i++) {
			r[i].start = &start;
			r[i].done = &done;
			r[i].result = 0;
			ASSERT_EQ(0, pthread_create(&t[i], NULL, race_open, &r[i]));
		}
		pthread_barrier_wait(&done);
		for (i = 0; i < NTHREADS; i++) {
			pthread_join(t[i], NULL);
			if (r[i].result >= 0)
				wins++;
			else if (r[i].result == -EBUSY)
				busy++;
			else if (!other++)
				TH_LOG("round %d: open: %s", round,
				       strerror(-r[i].result));
		}
		EXPECT_EQ(1, wins) TH_LOG("round %d", round);
		EXPECT_EQ(NTHREADS - 1, busy) TH_LOG("round %d", round);
		EXPECT_EQ(0, other);
		for (i = 0; i < NTHREADS; i++)
			if (r[i].result >= 0)
				close(r[i].result);
		pthread_barrier_destroy(&start);
		pthread_barrier_destroy(&done);
	}
}

static int child_open(void *p)
{
	int fd = ksu_open(O_RDONLY), expected = *(int *)p;
	size_t size = 0;

	if (fd < 0)
		return fd == expected ? 0 : 1;
	if (expected)
		return 2;
	if (ioctl(fd, KIOCGSIZE, &size) || size <= KSU_HDR_SIZE)
		return 3;
	close(fd);
	return 0;
}

TEST(other_process_opens_concurrently)
{
	int fd, ok = 0;

	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd);
	/* a forked child holds our descriptor, and may still open its own */
	EXPECT_EQ(0, ksu_run_child(child_open, &ok));
	EXPECT_EQ(0, ksu_run_child(child_open, &ok));
	/* we still cannot */
	EXPECT_EQ(-EBUSY, ksu_open(O_RDONLY));
	close(fd);
}

TEST_HARNESS_MAIN
