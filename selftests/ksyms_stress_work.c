// SPDX-License-Identifier: GPL-2.0-only
/*
 * What ksyms_stress_work.h declares.
 */
#define _GNU_SOURCE
#include <errno.h>
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

#include "ksyms_stress_work.h"

#define RACE_THREADS		4

double now(void)
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

int stress_open(struct tally *t)
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

void worker(struct tally *t, double deadline, int id)
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

void module_churner(struct tally *t, double deadline,
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
