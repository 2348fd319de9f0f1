// SPDX-License-Identifier: GPL-2.0-only
/*
 * The safety-net suites that take minutes: many processes using the device
 * while modules come and go, and thousands of open/close cycles that must
 * leave the kernel's memory where it was.  Built with the other tests but
 * not run by default (TEST_GEN_PROGS_EXTENDED): the test VM runs it on the
 * debug kernel (KASAN, lockdep, kmemleak), where it finds what it is for.
 *
 * Each suite ends with a line the harness turns into a table row:
 *   # ksyms-suite NAME ops=N ok=N ERRNO=N ... other=N
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ksyms_test.h"

#define STRESS_WORKERS		8
#define STRESS_SECONDS		60
#define RACE_THREADS		4
#define CHURN_CYCLES		2000
#define MAX_TEST_MODULES	8
/* Slab and vmalloc noise allowed after CHURN_CYCLES cycles: a leaked
 * struct file (256 bytes) a cycle would be eight times this.
 */
#define CHURN_SLACK_KB		64
/* Free pages move with everything else the kernel does: a page leaked
 * every other cycle would still be four times this.
 */
#define CHURN_PAGES_SLACK_KB	1024
#define SETTLE_SECONDS		2
/* Limits for the harness: the work, several times over on a debug kernel. */
#define CONCURRENCY_TIMEOUT	(STRESS_SECONDS * 5)
#define CHURN_TIMEOUT		1200

/* What the workers did, in memory shared by all of them. */
struct tally {
	long ops;
	long ok;
	long enxio;		/* documented: a module came or went, 3 times */
	long ebusy;		/* documented: the losers of a thread race */
	long other;		/* anything else: a failure */
	long module_ops;
	long module_errors;
	char first_error[160];
};

static long seconds_env(const char *name, long dflt)
{
	const char *s = getenv(name);

	return s && *s ? strtol(s, NULL, 10) : dflt;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void note_error(struct tally *t, const char *what, int err)
{
	__atomic_add_fetch(&t->other, 1, __ATOMIC_RELAXED);
	if (!t->first_error[0])
		snprintf(t->first_error, sizeof(t->first_error), "%s: %s",
			 what, strerror(err));
}

/* A failure that is not an errno: a child's exit status. */
static void note_status(struct tally *t, const char *what, int status)
{
	__atomic_add_fetch(&t->other, 1, __ATOMIC_RELAXED);
	if (!t->first_error[0])
		snprintf(t->first_error, sizeof(t->first_error),
			 "%s: exit status %d", what, status);
}

static void count(long *counter)
{
	__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
}

/* The outcome of an open that may meet module churn. */
static int stress_open(struct tally *t)
{
	int fd = ksu_open(O_RDONLY);

	count(&t->ops);
	if (fd >= 0)
		count(&t->ok);
	else if (fd == -ENXIO)
		count(&t->enxio);
	else
		note_error(t, "open", -fd);
	return fd;
}

/*
 * Everything a reader does with one descriptor: both ioctls, the bytes at
 * the KIOCGADDR mapping against pread(), and a mapping of its own.
 */
static void use_descriptor(struct tally *t, int fd)
{
	unsigned char first[4096];
	void *addr = NULL, *map;
	size_t size = 0, len;

	count(&t->ops);
	if (ioctl(fd, KIOCGSIZE, &size) || ioctl(fd, KIOCGADDR, &addr)) {
		note_error(t, "ioctl", errno);
		return;
	}
	len = size < sizeof(first) ? size : sizeof(first);
	if (pread(fd, first, len, 0) != (ssize_t)len) {
		note_error(t, "pread", errno);
		return;
	}
	if (memcmp(first, addr, len)) {
		note_error(t, "mapping differs from pread", EILSEQ);
		return;
	}
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		note_error(t, "mmap", errno);
		return;
	}
	if (memcmp(first, map, len))
		note_error(t, "mmap differs from pread", EILSEQ);
	munmap(map, size);
	count(&t->ok);
}

struct racer {
	pthread_barrier_t *start;
	int fd;
};

static void *race_open(void *p)
{
	struct racer *r = p;

	pthread_barrier_wait(r->start);
	r->fd = ksu_open(O_RDONLY);
	return NULL;
}

/* Threads of one process racing open: one wins, the rest get EBUSY. */
static void thread_race(struct tally *t)
{
	struct racer r[RACE_THREADS];
	pthread_t th[RACE_THREADS];
	pthread_barrier_t start;
	int i, wins = 0;

	count(&t->ops);
	pthread_barrier_init(&start, NULL, RACE_THREADS);
	for (i = 0; i < RACE_THREADS; i++) {
		r[i].start = &start;
		r[i].fd = -EINVAL;
		if (pthread_create(&th[i], NULL, race_open, &r[i])) {
			note_error(t, "pthread_create", errno);
			return;
		}
	}
	for (i = 0; i < RACE_THREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	for (i = 0; i < RACE_THREADS; i++) {
		if (r[i].fd >= 0) {
			wins++;
			close(r[i].fd);
		} else if (r[i].fd == -EBUSY) {
			count(&t->ebusy);
		} else if (r[i].fd == -ENXIO) {
			count(&t->enxio);
		} else {
			note_error(t, "racing open", -r[i].fd);
		}
	}
	if (wins > 1)
		note_error(t, "two threads of one process opened", EEXIST);
	else if (wins)
		count(&t->ok);
}

/* A forked child reads the inherited descriptor, then execs a shell that
 * reads it again: the descriptor survives exec (the mapping does not).
 */
static void fork_and_exec(struct tally *t, int fd)
{
	char cmd[64];
	int status;
	pid_t pid;

	count(&t->ops);
	snprintf(cmd, sizeof(cmd), "head -c 4 <&%d | grep -q ELF", fd);
	pid = fork();
	if (pid == 0) {
		unsigned char magic[4];

		if (pread(fd, magic, sizeof(magic), 0) != sizeof(magic) ||
		    memcmp(magic, "\177ELF", sizeof(magic)))
			_exit(2);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(3);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		note_error(t, "fork", errno);
		return;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		note_status(t, "child reading an inherited descriptor, then sh",
			    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	else
		count(&t->ok);
}

/* What the receiving child checks; its exit status says which failed. */
enum receiver_status {
	RECV_OK,
	RECV_NO_MESSAGE,
	RECV_NO_RIGHTS,
	RECV_BAD_READ,
	RECV_NO_ADDRESS,
	RECV_KILLED,
};

static int receive_and_check(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	unsigned char magic[4];
	struct cmsghdr *cm;
	void *addr;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return RECV_NO_MESSAGE;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return RECV_NO_RIGHTS;
	memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
	if (pread(fd, magic, sizeof(magic), 0) != sizeof(magic) ||
	    memcmp(magic, "\177ELF", sizeof(magic)))
		return RECV_BAD_READ;
	/* mapped in this process, the receiver's, at its first ask */
	if (ioctl(fd, KIOCGADDR, &addr) || memcmp(addr, "\177ELF", 4))
		return RECV_NO_ADDRESS;
	return RECV_OK;
}

static int send_descriptor(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {}, byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -errno;
}

/*
 * A descriptor passed over SCM_RIGHTS (a dup, so both ends close their
 * own) reads in the receiver, and KIOCGADDR maps it there: the receiver
 * is forked before the open, so it holds no mapping of its own before.
 */
static void pass_descriptor(struct tally *t)
{
	int sv[2], status, fd, dupfd, err;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		note_error(t, "socketpair", errno);
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		_exit(receive_and_check(sv[1]));
	}
	close(sv[1]);
	if (pid < 0) {
		note_error(t, "fork", errno);
		close(sv[0]);
		return;
	}
	fd = stress_open(t);
	if (fd >= 0) {
		use_descriptor(t, fd);
		count(&t->ops);
		dupfd = dup(fd);
		err = send_descriptor(sv[0], dupfd);
		if (err)
			note_error(t, "sendmsg", -err);
		close(dupfd);
		close(fd);
	}
	close(sv[0]);	/* a receiver still waiting sees EOF */
	if (waitpid(pid, &status, 0) != pid)
		status = RECV_KILLED << 8;
	if (fd < 0)
		return;
	if (WIFEXITED(status) && WEXITSTATUS(status) == RECV_OK)
		count(&t->ok);
	else
		note_status(t, "receiver of a passed descriptor (enum receiver_status)",
			    WIFEXITED(status) ? WEXITSTATUS(status) : RECV_KILLED);
}

static void worker(struct tally *t, double deadline, int id)
{
	unsigned long round;

	for (round = id; now() < deadline; round++) {
		int fd;

		if (round % 4 == 1) {
			thread_race(t);
			continue;
		}
		if (round % 4 == 3) {
			pass_descriptor(t);
			continue;
		}
		fd = stress_open(t);
		if (fd < 0)
			continue;
		use_descriptor(t, fd);
		if (round % 4 == 2)
			fork_and_exec(t, fd);
		close(fd);
	}
}

/* Loads and unloads the test modules, one after the other, until the end. */
static void module_churner(struct tally *t, double deadline,
			   const struct ksu_module *mods, int n)
{
	int i, ret;

	while (now() < deadline) {
		for (i = 0; i < n; i++) {
			ret = ksu_module_load(mods[i].path);
			count(&t->module_ops);
			if (ret && ret != -EEXIST) {
				count(&t->module_errors);
				continue;
			}
			ret = ksu_module_unload_wait(mods[i].name);
			count(&t->module_ops);
			if (ret)
				count(&t->module_errors);
		}
	}
}

static void print_suite(const char *name, const struct tally *t)
{
	ksft_print_msg("ksyms-suite %s ops=%ld ok=%ld ENXIO=%ld EBUSY=%ld other=%ld\n",
		       name, t->ops, t->ok, t->enxio, t->ebusy, t->other);
	fflush(stdout);
}

FIXTURE(stress) {
	int unused;
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

TEST_F_TIMEOUT(stress, concurrency_with_module_churn, CONCURRENCY_TIMEOUT)
{
	long seconds = seconds_env("KSYMS_STRESS_SECONDS", STRESS_SECONDS);
	struct ksu_module mods[MAX_TEST_MODULES];
	int nmods, i, status;
	struct tally *t;
	double deadline;
	pid_t pid;

	nmods = ksu_test_modules(mods, MAX_TEST_MODULES);
	ASSERT_LE(3, nmods) TH_LOG("$KSYMS_TEST_MODULES lists fewer than 3 modules");
	for (i = 0; i < nmods; i++)
		ASSERT_EQ(false, ksu_module_loaded(mods[i].name));
	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, t);
	deadline = now() + seconds;
	for (i = 0; i <= STRESS_WORKERS; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid)
			continue;
		if (i == STRESS_WORKERS)
			module_churner(t, deadline, mods, nmods);
		else
			worker(t, deadline, i);
		_exit(0);
	}
	for (i = 0; i <= STRESS_WORKERS; i++) {
		ASSERT_LT(0, wait(&status));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
	print_suite("concurrency", t);
	ksft_print_msg("ksyms-suite module_churn ops=%ld ok=%ld other=%ld\n",
		       t->module_ops, t->module_ops - t->module_errors,
		       t->module_errors);
	fflush(stdout);
	EXPECT_EQ(0, t->other) TH_LOG("first: %s", t->first_error);
	EXPECT_EQ(0, t->module_errors);
	EXPECT_LT(STRESS_WORKERS, t->ok) TH_LOG("%ld seconds did almost nothing", seconds);
	EXPECT_LT(0, t->module_ops);
	for (i = 0; i < nmods; i++)
		EXPECT_EQ(false, ksu_module_loaded(mods[i].name));
	munmap(t, sizeof(*t));
}

struct footprint {
	struct ksu_stats stats;
	long slab_kb;
	long vmalloc_kb;
	long free_kb;
};

/* Best effort: a cache without the file is one less to drop. */
static void report_write(const char *path, int err)
{
	if (err && err != -ENOENT)
		ksft_print_msg("writing %s: %s\n", path, strerror(-err));
}

static void write_file(const char *path, const char *val)
{
	report_write(path, ksu_write_str(path, val));
}

/*
 * Memory in caches is not memory held: let RCU callbacks run, drop the
 * page and dentry caches, and shrink every slab cache, which also empties
 * KASAN's quarantine of freed objects (on the debug kernel it holds
 * megabytes of what the cycles freed).
 */
static void settle(void)
{
	struct dirent *de;
	char path[512];
	DIR *d;

	sleep(SETTLE_SECONDS);
	sync();
	report_write("/proc/sys/vm/drop_caches", ksu_drop_caches(3));
	d = opendir("/sys/kernel/slab");
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", de->d_name);
		write_file(path, "1");
	}
	closedir(d);
}

static int measure(struct footprint *fp)
{
	settle();
	fp->slab_kb = ksu_meminfo_kb("SUnreclaim");
	fp->vmalloc_kb = ksu_meminfo_kb("VmallocUsed");
	fp->free_kb = ksu_meminfo_kb("MemFree");
	return ksu_stats_read(&fp->stats);
}

TEST_F_TIMEOUT(stress, churn_returns_to_baseline, CHURN_TIMEOUT)
{
	long cycles = seconds_env("KSYMS_CHURN_CYCLES", CHURN_CYCLES);
	struct footprint before, after;
	struct ksu_stats cache;
	struct tally t = {};
	long i, shadow_kb;
	int fd;

	if (!ksu_debugfs_present())
		SKIP(return, "no ksyms debugfs: cannot count the driver's allocations");
	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, ksu_stats_read(&cache));
	/*
	 * settle() runs the driver's shrinker too: the cache is dropped
	 * before and after, and the loop's first open builds it again.  On
	 * a KASAN kernel the shadow of a freed vmalloc area is released only
	 * when lazily freed areas are purged, which may be after "after":
	 * allow one cache's shadow (an eighth of it) on top of the slack.
	 */
	shadow_kb = (ksu_stat(&cache, "snapshot_bytes") +
		     ksu_stat(&cache, "vmlinux_bytes")) / 8 / 1024;
	ASSERT_EQ(0, measure(&before));
	for (i = 0; i < cycles; i++) {
		fd = stress_open(&t);
		if (fd >= 0)
			close(fd);
	}
	ASSERT_EQ(0, measure(&after));
	print_suite("churn", &t);
	ksft_print_msg("churn kB: slab %ld->%ld vmalloc %ld->%ld free %ld->%ld; allocs %ld->%ld\n",
		       before.slab_kb, after.slab_kb, before.vmalloc_kb,
		       after.vmalloc_kb, before.free_kb, after.free_kb,
		       ksu_stat(&before.stats, "allocations"),
		       ksu_stat(&after.stats, "allocations"));
	fflush(stdout);
	EXPECT_EQ(cycles, t.ok) TH_LOG("first error: %s", t.first_error);
	EXPECT_EQ(ksu_stat(&before.stats, "allocations"),
		  ksu_stat(&after.stats, "allocations"));
	EXPECT_EQ(ksu_stat(&before.stats, "files"),
		  ksu_stat(&after.stats, "files"));
	EXPECT_EQ(ksu_stat(&before.stats, "snapshots"),
		  ksu_stat(&after.stats, "snapshots"));
	ASSERT_LE(0, before.slab_kb);
	ASSERT_LE(0, before.vmalloc_kb);
	EXPECT_GE(before.slab_kb + CHURN_SLACK_KB, after.slab_kb);
	EXPECT_GE(before.vmalloc_kb + CHURN_SLACK_KB, after.vmalloc_kb);
	ASSERT_LE(0, before.free_kb);
	EXPECT_LE(before.free_kb, after.free_kb + CHURN_PAGES_SLACK_KB + shadow_kb);
}

TEST_HARNESS_MAIN
