// SPDX-License-Identifier: GPL-2.0-only
/*
 * What ksyms_identity.h declares: the identities, taken on in a forked
 * child that reports through a pipe.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "ksyms_identity.h"
#include "ksyms_util.h"

const char *identity_name(enum identity id)
{
	static const char * const names[] = {
		[ID_ROOT] = "root",
		[ID_ROOT_NO_SYSLOG] = "root-no-CAP_SYSLOG",
		[ID_NOBODY] = "nobody",
		[ID_USERNS_ROOT] = "userns-root",
	};

	return names[id];
}

bool identity_has_syslog(enum identity id)
{
	return id == ID_ROOT;
}

/* The SYSLOG_* bits of this thread, or -errno. */
static int syslog_sets(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	const unsigned int idx = CAP_TO_INDEX(CAP_SYSLOG);
	const __u32 bit = CAP_TO_MASK(CAP_SYSLOG);
	int sets = 0, bounding;

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	bounding = prctl(PR_CAPBSET_READ, CAP_SYSLOG, 0, 0, 0);
	if (bounding < 0)
		return -errno;
	if (data[idx].effective & bit)
		sets |= SYSLOG_EFFECTIVE;
	if (data[idx].permitted & bit)
		sets |= SYSLOG_PERMITTED;
	if (bounding)
		sets |= SYSLOG_BOUNDING;
	return sets;
}

/*
 * The identities.  Each returns 0 or -errno and names the failed step in
 * *step.  They run in the cell's child, which they change for good.
 */
static int become_root_without_syslog(const char **step)
{
	int sets, ret;

	/* bounding set first: dropping from it needs CAP_SETPCAP, kept here */
	*step = "PR_CAPBSET_DROP";
	if (prctl(PR_CAPBSET_DROP, CAP_SYSLOG, 0, 0, 0))
		return -errno;
	*step = "dropping CAP_SYSLOG";
	ret = ksu_drop_cap(CAP_SYSLOG);
	if (ret)
		return ret;
	/* uid 0 stays: only the capability is missing */
	*step = "CAP_SYSLOG still held";
	sets = syslog_sets();
	if (sets)
		return sets < 0 ? sets : -EPROTO;
	return 0;
}

static int become_nobody(const char **step)
{
	int ret, sets;

	*step = "setresuid(65534)";
	ret = ksu_become_nobody();
	if (ret)
		return ret;
	/* leaving uid 0 clears the effective and permitted sets */
	*step = "CAP_SYSLOG still held";
	sets = syslog_sets();
	if (sets < 0)
		return sets;
	if (sets & (SYSLOG_EFFECTIVE | SYSLOG_PERMITTED))
		return -EPROTO;
	return 0;
}

/*
 * Maps uid and gid 0 of a new user namespace to our own 0: the only
 * mappings a process may write for itself without capabilities in the
 * parent namespace, and for gid_map only once setgroups is denied.
 */
static int become_userns_root(const char **step)
{
	int ret;

	*step = "unshare(CLONE_NEWUSER)";
	if (unshare(CLONE_NEWUSER))
		return -errno;
	*step = "/proc/self/setgroups";
	ret = ksu_write_str("/proc/self/setgroups", "deny");
	if (ret)
		return ret;
	*step = "/proc/self/uid_map";
	ret = ksu_write_str("/proc/self/uid_map", "0 0 1\n");
	if (ret)
		return ret;
	*step = "/proc/self/gid_map";
	ret = ksu_write_str("/proc/self/gid_map", "0 0 1\n");
	if (ret)
		return ret;
	*step = "not uid 0 in the namespace";
	return getuid() || getgid() ? -EPROTO : 0;
}

static int become(enum identity id, const char **step)
{
	switch (id) {
	case ID_ROOT:
		return 0;
	case ID_ROOT_NO_SYSLOG:
		return become_root_without_syslog(step);
	case ID_NOBODY:
		return become_nobody(step);
	case ID_USERNS_ROOT:
		return become_userns_root(step);
	default:
		*step = "no such identity";
		return -EINVAL;
	}
}

/*
 * The oracle: whether /proc/kallsyms shows this process a non-zero address
 * among the complete lines of its first page.  That is what the driver
 * reads (one page-sized read, partial last line dropped); a whole page,
 * because on SMP x86 the first per-cpu symbols are at 0 even when shown.
 * Returns 1, 0 or -errno.
 */
static int kallsyms_oracle(void)
{
	size_t page = ksu_page_size();
	char *buf, *line, *nl;
	int fd, shown = 0;
	ssize_t n;

	buf = malloc(page + 1);
	if (!buf)
		return -ENOMEM;
	fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	n = read(fd, buf, page);
	if (n < 0)
		shown = -errno;
	close(fd);
	if (n <= 0) {
		free(buf);
		return n < 0 ? shown : -ENODATA;
	}
	buf[n] = '\0';
	for (line = buf; !shown && (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		shown = strtoull(line, NULL, 16) != 0;
	}
	free(buf);
	return shown;
}

/* The cell's child: _exit()s, never returns into the harness. */
static void cell_child(enum identity id, int wfd)
{
	struct cell_report r = { .setup_err = 0 };
	const char *step = "";
	int fd, ret;

	ret = become(id, &step);
	if (ret) {
		snprintf(r.setup, sizeof(r.setup), "%s", step);
		r.setup_err = ret;
	} else {
		r.syslog = syslog_sets();
		r.oracle = kallsyms_oracle();
		/* the one open of this process */
		fd = ksu_open(O_RDONLY);
		r.open_ret = fd < 0 ? fd : 0;
		if (fd >= 0)
			close(fd);
	}
	/* one write, smaller than PIPE_BUF: all or nothing */
	ret = write(wfd, &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1;
	_exit(ret);
}

/*
 * Reads the child's report, then reaps it.  A child that does not answer
 * in time is killed and left: it may be stuck in the kernel, and the
 * teardown must still get its turn before the harness's timeout.
 */
static int wait_report(pid_t pid, int rfd, struct cell_report *r)
{
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;
	int status;

	while (got < sizeof(*r)) {
		n = poll(&pfd, 1, CELL_TIMEOUT_MS);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			kill(pid, SIGKILL);
			return -ETIMEDOUT;
		}
		n = read(rfd, (char *)r + got, sizeof(*r) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (waitpid(pid, &status, 0) != pid)
		return -ECHILD;
	if (got != sizeof(*r) || !WIFEXITED(status) || WEXITSTATUS(status))
		return -EPIPE;	/* died without a whole report */
	return 0;
}

int identity_open_as(enum identity id, struct cell_report *r)
{
	int pipefd[2], ret;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return ret;
	}
	if (pid == 0) {
		close(pipefd[0]);
		cell_child(id, pipefd[1]);
	}
	close(pipefd[1]);
	ret = wait_report(pid, pipefd[0], r);
	close(pipefd[0]);
	return ret;
}

/*
 * A user namespace needs CONFIG_USER_NS, whose presence
 * /proc/self/ns/user shows.
 */
bool identity_available(enum identity id)
{
	if (id == ID_USERNS_ROOT)
		return access("/proc/self/ns/user", F_OK) == 0;
	return true;
}

