// SPDX-License-Identifier: GPL-2.0-only
/*
 * The whole privilege matrix of open(2): for every identity and every
 * setting of kptr_restrict and perf_event_paranoid, /dev/ksyms must open
 * exactly when /proc/kallsyms shows that caller a non-zero address in its
 * first page, and fail with EPERM otherwise.
 *
 * Each cell runs in a forked child that takes on the identity, reads
 * /proc/kallsyms itself (the oracle), opens the device once and reports
 * both through a pipe.  The parent sets the sysctls, asserts, logs the
 * cell and ends with one line for the results table:
 *   # ksyms-suite privilege ops=N ok=N EPERM=N other=N
 *
 * The identities:
 *   root                all capabilities;
 *   root-no-CAP_SYSLOG  uid 0 with CAP_SYSLOG gone from the effective,
 *                       permitted, inheritable and bounding sets;
 *   nobody              uid/gid 65534, no capabilities; the device is
 *                       made 0444 for these cells, so that the open gets
 *                       past the VFS's mode check to the driver's own;
 *   userns-root         uid 0 of a new user namespace, with every
 *                       capability there and none in the initial one.
 *
 * The driver remembers its answer for each combination of the sysctls and
 * CAP_SYSLOG; all 30 fit, so after root-no-CAP_SYSLOG has asked, the
 * nobody and userns-root cells are answered from memory and checked
 * against their own oracle like the others.
 *
 * Besides, each oracle is compared with kallsyms_show_value()'s rules
 * (kernel/ksyms_common.c): only logged, since the driver's promise is to
 * agree with /proc/kallsyms, whatever the kernel's rules turn out to be.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "ksyms_test.h"

#define KPTR_RESTRICT	"/proc/sys/kernel/kptr_restrict"
#define PERF_PARANOID	"/proc/sys/kernel/perf_event_paranoid"
/* The paranoid value of a cell on a kernel without perf events */
#define NO_PARANOID	LONG_MIN
/*
 * Debian gives 3 a meaning (no perf_event_open() at all without
 * CAP_PERFMON); for kallsyms_for_perf() it is just more than 1.
 */
#define PARANOID_DEBIAN	3
/* Longer than any open should take, even on a debug kernel */
#define CELL_TIMEOUT_MS	30000

/* Where CAP_SYSLOG is, as a bit mask */
#define SYSLOG_EFFECTIVE	1
#define SYSLOG_PERMITTED	2
#define SYSLOG_BOUNDING		4

enum identity {
	ID_ROOT,
	ID_ROOT_NO_SYSLOG,
	ID_NOBODY,
	ID_USERNS_ROOT,
	NR_IDENTITIES
};

/* What a cell's child found, sent whole through the pipe. */
struct cell_report {
	char setup[64];		/* the step that failed, "" if none */
	int setup_err;		/* its -errno */
	int syslog;		/* SYSLOG_* bits in the identity's own namespace */
	int oracle;		/* 1: addresses, 0: only zeros, or -errno */
	int open_ret;		/* 0: opened (and closed), or -errno */
};

static const long kptr_values[] = { 0, 1, 2 };
static const long paranoid_values[] = { -1, 0, 1, 2, PARANOID_DEBIAN };

/* The run of the matrix: what to try, and the counts for the summary. */
struct matrix {
	long paranoid[ARRAY_SIZE(paranoid_values)];
	size_t nr_paranoid;
	mode_t dev_mode;	/* to put back after the nobody cells */
	int ops, ok, eperm, other, surprises;
};

FIXTURE(privilege) {
	long kptr, paranoid;	/* the sysctls as we found them */
	bool have_paranoid;	/* no perf_event_paranoid: no CONFIG_PERF_EVENTS */
	mode_t dev_mode;	/* the device's permission bits as we found them */
};

/* Only looks: a setup that fails part way has nothing to undo. */
FIXTURE_SETUP(privilege)
{
	struct stat st;

	ASSERT_EQ(0, ksu_read_long(KPTR_RESTRICT, &self->kptr));
	self->have_paranoid = !ksu_read_long(PERF_PARANOID, &self->paranoid);
	ASSERT_EQ(0, stat(ksu_dev_path(), &st))
		TH_LOG("%s: %s", ksu_dev_path(), strerror(errno));
	self->dev_mode = st.st_mode & 07777;
}

static int restore_paranoid(bool have_paranoid, long paranoid)
{
	return have_paranoid ? ksu_write_long(PERF_PARANOID, paranoid) : 0;
}

/*
 * In the harness's parent process, with *self shared: it runs even when
 * the test process dies by a signal, and puts back everything the test may
 * have changed.  Writing back an unchanged value is harmless.  Only the
 * harness's own timeout kills both processes; the cells have a deadline
 * of their own so that it never comes to that.
 */
FIXTURE_TEARDOWN_PARENT(privilege)
{
	EXPECT_EQ(0, ksu_write_long(KPTR_RESTRICT, self->kptr));
	EXPECT_EQ(0, restore_paranoid(self->have_paranoid, self->paranoid));
	EXPECT_EQ(0, chmod(ksu_dev_path(), self->dev_mode))
		TH_LOG("restoring mode %04o of %s: %s", self->dev_mode,
		       ksu_dev_path(), strerror(errno));
}

static const char *identity_name(enum identity id)
{
	static const char * const names[] = {
		[ID_ROOT] = "root",
		[ID_ROOT_NO_SYSLOG] = "root-no-CAP_SYSLOG",
		[ID_NOBODY] = "nobody",
		[ID_USERNS_ROOT] = "userns-root",
	};

	return names[id];
}

/*
 * Whether the identity has CAP_SYSLOG in the initial user namespace, the
 * one kallsyms_show_value() asks about: a user namespace's root has every
 * capability in its own namespace only.
 */
static bool identity_has_syslog(enum identity id)
{
	return id == ID_ROOT;
}

/*
 * kallsyms_show_value(), as read in kernel/ksyms_common.c:
 *   kptr_restrict 0: shown to anyone if kallsyms_for_perf(), i.e. the
 *                    kernel has perf events and perf_event_paranoid <= 1;
 *                    otherwise as for 1;
 *   kptr_restrict 1: shown with CAP_SYSLOG in the initial namespace;
 *   kptr_restrict 2: never shown.
 */
static bool rules_show(enum identity id, long kptr, long paranoid)
{
	bool perf = paranoid != NO_PARANOID;

	if (kptr >= 2)
		return false;
	if (kptr == 0 && perf && paranoid <= 1)
		return true;
	return identity_has_syslog(id);
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
static int become_root(const char **step)
{
	return 0;
}

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
		return become_root(step);
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

/* Runs one cell's child as @id; 0 with *r filled in, or -errno. */
static int run_cell(enum identity id, struct cell_report *r)
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

/* Writes a sysctl and reads it back; 0 or -errno. */
static int set_sysctl(const char *path, long want)
{
	long val;
	int ret;

	ret = ksu_write_long(path, want);
	if (!ret)
		ret = ksu_read_long(path, &val);
	if (!ret && val != want)
		ret = -EPROTO;
	return ret;
}

/* Sets both sysctls; 0 or -errno. */
static int set_sysctls(long kptr, long paranoid)
{
	int ret = set_sysctl(KPTR_RESTRICT, kptr);

	if (ret || paranoid == NO_PARANOID)
		return ret;
	return set_sysctl(PERF_PARANOID, paranoid);
}

static const char *shown_name(int oracle)
{
	if (oracle < 0)
		return "unreadable";
	return oracle ? "addresses" : "zeros";
}

static const char *open_name(int open_ret)
{
	return open_ret ? strerror(-open_ret) : "opened";
}

/*
 * The paranoid values this kernel takes: none without perf events; 3
 * only if writing it works (the sysctl is put back by the teardown).
 */
static void pick_paranoid_values(struct matrix *m, bool have_paranoid)
{
	size_t i;

	m->nr_paranoid = 0;
	if (!have_paranoid) {
		m->paranoid[m->nr_paranoid++] = NO_PARANOID;
		return;
	}
	for (i = 0; i < ARRAY_SIZE(paranoid_values); i++) {
		long p = paranoid_values[i];

		if (p == PARANOID_DEBIAN && ksu_write_long(PERF_PARANOID, p))
			continue;
		m->paranoid[m->nr_paranoid++] = p;
	}
}

/*
 * A user namespace needs CONFIG_USER_NS, whose presence
 * /proc/self/ns/user shows.
 */
static bool identity_available(enum identity id)
{
	if (id == ID_USERNS_ROOT)
		return access("/proc/self/ns/user", F_OK) == 0;
	return true;
}

/* A failure the counters already record: say why, and fail the test. */
#define CELL_FAIL(fmt, ...) do {					\
	TH_LOG(fmt, ##__VA_ARGS__);					\
	_metadata->exit_code = KSFT_FAIL;				\
} while (0)

/*
 * One cell: sysctls, child, verdict.  Returns false when the child did not
 * answer, after which no further cell is worth running.
 */
static bool check_cell(struct __test_metadata *_metadata, struct matrix *m,
		       enum identity id, long kptr, long paranoid)
{
	struct cell_report r;
	bool expected, shown;
	char cell[96];
	int ret;

	if (paranoid == NO_PARANOID)
		snprintf(cell, sizeof(cell),
			 "%-18s kptr_restrict=%ld perf_event_paranoid=none",
			 identity_name(id), kptr);
	else
		snprintf(cell, sizeof(cell),
			 "%-18s kptr_restrict=%ld perf_event_paranoid=%-2ld",
			 identity_name(id), kptr, paranoid);
	m->ops++;

	ret = set_sysctls(kptr, paranoid);
	if (ret) {
		m->other++;
		CELL_FAIL("%s: setting the sysctls: %s", cell, strerror(-ret));
		return true;
	}
	memset(&r, 0, sizeof(r));
	ret = run_cell(id, &r);
	if (ret) {
		m->other++;
		CELL_FAIL("%s: child: %s", cell, strerror(-ret));
		return ret != -ETIMEDOUT;
	}
	if (r.setup_err) {
		m->other++;
		CELL_FAIL("%s: becoming %s: %s: %s", cell, identity_name(id),
			  r.setup, strerror(-r.setup_err));
		return true;
	}

	ksft_print_msg("%s kallsyms=%-10s open=%s\n", cell,
		       shown_name(r.oracle), open_name(r.open_ret));

	/* the hard assertion: the driver answers as /proc/kallsyms does */
	if (r.oracle == 1 && r.open_ret == 0) {
		m->ok++;
	} else if (r.oracle == 0 && r.open_ret == -EPERM) {
		m->eperm++;
	} else {
		m->other++;
		CELL_FAIL("%s: /proc/kallsyms %s, open %s; expected %s", cell,
			  shown_name(r.oracle), open_name(r.open_ret),
			  r.oracle == 1 ? "success" : "EPERM");
	}

	/* the soft one: /proc/kallsyms answers as the kernel's rules say */
	expected = rules_show(id, kptr, paranoid);
	shown = r.oracle == 1;
	if (r.oracle >= 0 && shown != expected) {
		m->surprises++;
		ksft_print_msg("note: %s: the rules say %s (CAP_SYSLOG sets 0x%x)\n",
			       cell, shown_name(expected), r.syslog);
	}
	return true;
}

/* All cells of one identity; false when a child hung. */
static bool check_identity(struct __test_metadata *_metadata,
			   struct matrix *m, enum identity id)
{
	bool go_on = true;
	size_t k, p;

	/*
	 * Mode 0400 would stop nobody in the VFS with EACCES before the
	 * driver is asked; open it to all only for these cells.
	 */
	if (id == ID_NOBODY && chmod(ksu_dev_path(), 0444)) {
		m->ops++;
		m->other++;
		CELL_FAIL("chmod 0444 %s: %s", ksu_dev_path(), strerror(errno));
		return true;
	}
	for (k = 0; go_on && k < ARRAY_SIZE(kptr_values); k++)
		for (p = 0; go_on && p < m->nr_paranoid; p++)
			go_on = check_cell(_metadata, m, id, kptr_values[k],
					   m->paranoid[p]);
	/* at once, not only at teardown: the window should be short */
	if (id == ID_NOBODY) {
		EXPECT_EQ(0, chmod(ksu_dev_path(), m->dev_mode))
			TH_LOG("restoring mode %04o: %s", m->dev_mode,
			       strerror(errno));
	}
	return go_on;
}

/* Up to 4 identities x 3 x 5 cells of a fork and an open each. */
TEST_F_TIMEOUT(privilege, matrix, 300)
{
	struct matrix m = { .dev_mode = self->dev_mode };
	struct ksu_stats before, after;
	bool go_on = true, counted;
	int id;

	counted = ksu_debugfs_present() && !ksu_stats_read(&before);

	pick_paranoid_values(&m, self->have_paranoid);
	if (!self->have_paranoid)
		ksft_print_msg("no %s: no perf events, kallsyms_for_perf() is 0\n",
			       PERF_PARANOID);

	for (id = 0; go_on && id < NR_IDENTITIES; id++) {
		if (!identity_available(id)) {
			ksft_print_msg("%s: not tried, no user namespaces\n",
				       identity_name(id));
			continue;
		}
		go_on = check_identity(_metadata, &m, id);
	}
	if (!go_on)
		TH_LOG("a child did not answer in %d ms: cells left out",
		       CELL_TIMEOUT_MS);

	/* logged, not failed: see the note on kallsyms_show_value() above */
	if (m.surprises)
		ksft_print_msg("%d cells where /proc/kallsyms is not as the rules say\n",
			       m.surprises);
	ksft_print_msg("ksyms-suite privilege ops=%d ok=%d EPERM=%d other=%d\n",
		       m.ops, m.ok, m.eperm, m.other);
	EXPECT_EQ(0, m.other);
	if (counted && go_on) {
		long probes, hits;

		ASSERT_EQ(0, ksu_stats_read(&after));
		probes = ksu_stat(&after, "privilege_probes") -
			 ksu_stat(&before, "privilege_probes");
		hits = ksu_stat(&after, "privilege_hits") -
		       ksu_stat(&before, "privilege_hits");
		ksft_print_msg("answers: %ld asked of /proc/kallsyms, %ld remembered\n",
			       probes, hits);
		/* nobody's cells repeat root-no-CAP_SYSLOG's combinations */
		EXPECT_LE((long)(m.ops / NR_IDENTITIES), hits);
	}
}

/*
 * With nothing changed, one question to /proc/kallsyms serves every open;
 * a changed sysctl is a new question, answered by /proc/kallsyms and not
 * by memory; changing it back finds the earlier answer.
 */
TEST_F(privilege, answers_are_remembered_per_setting)
{
	struct ksu_stats st0, st1, st2, st3;
	long kptr;
	int i;

	if (!ksu_debugfs_present())
		SKIP(return, "no %s: debugfs not mounted", KSU_DEBUGFS);
	ASSERT_EQ(0, ksu_read_long(KPTR_RESTRICT, &kptr));
	ASSERT_EQ(0, set_sysctl(KPTR_RESTRICT, 1));
	/* The matrix left the driver knowing every combination. */
	ASSERT_EQ(0, ksu_cache_drop_idle());
	ASSERT_EQ(0, ksu_open_close());
	ASSERT_EQ(0, ksu_stats_read(&st0));
	for (i = 0; i < 20; i++)
		ASSERT_EQ(0, ksu_open_close());
	ASSERT_EQ(0, ksu_stats_read(&st1));
	EXPECT_EQ(ksu_stat(&st0, "privilege_probes"),
		  ksu_stat(&st1, "privilege_probes"));
	EXPECT_EQ(ksu_stat(&st0, "privilege_hits") + 20,
		  ksu_stat(&st1, "privilege_hits"));

	ASSERT_EQ(0, set_sysctl(KPTR_RESTRICT, 2));
	EXPECT_EQ(-EPERM, ksu_open_close());
	ASSERT_EQ(0, ksu_stats_read(&st2));
	EXPECT_LE(ksu_stat(&st1, "privilege_probes") + 1,
		  ksu_stat(&st2, "privilege_probes"));

	ASSERT_EQ(0, set_sysctl(KPTR_RESTRICT, 1));
	EXPECT_EQ(0, ksu_open_close());
	ASSERT_EQ(0, ksu_stats_read(&st3));
	EXPECT_EQ(ksu_stat(&st2, "privilege_probes"),
		  ksu_stat(&st3, "privilege_probes"));
	EXPECT_EQ(ksu_stat(&st2, "privilege_hits") + 1,
		  ksu_stat(&st3, "privilege_hits"));
	EXPECT_EQ(0, set_sysctl(KPTR_RESTRICT, kptr));
}

struct toggler {
	volatile bool stop;
	long writes;
};

/* kptr_restrict 0, 2, 0, 2, ... as fast as it can be written. */
static void *toggle_kptr(void *p)
{
	struct toggler *t = p;

	while (!t->stop)
		ksu_write_long(KPTR_RESTRICT, t->writes++ % 2 ? 2 : 0);
	return NULL;
}

#define TOGGLE_ROUNDS	8
#define TOGGLE_OPENS	200

/*
 * kptr_restrict written while the driver asks /proc/kallsyms: whatever it
 * answered then, what it remembers afterwards is right.  For root, 0
 * shows addresses and 2 does not; each round starts with nothing
 * remembered, so the first opens under the toggling are the questions.
 */
TEST_F_TIMEOUT(privilege, answers_right_after_sysctl_races, 300)
{
	int round, i, ret;

	if (!ksu_debugfs_present())
		SKIP(return, "no %s: debugfs not mounted", KSU_DEBUGFS);
	for (round = 0; round < TOGGLE_ROUNDS; round++) {
		struct toggler t = {};
		pthread_t thread;

		ASSERT_EQ(0, ksu_cache_drop_idle());
		ASSERT_EQ(0, pthread_create(&thread, NULL, toggle_kptr, &t));
		for (i = 0; i < TOGGLE_OPENS; i++) {
			ret = ksu_open_close();
			if (ret && ret != -EPERM)
				break;
		}
		t.stop = true;
		pthread_join(thread, NULL);
		EXPECT_TRUE(!ret || ret == -EPERM) TH_LOG("open: %s", strerror(-ret));
		ASSERT_EQ(0, set_sysctl(KPTR_RESTRICT, 2));
		EXPECT_EQ(-EPERM, ksu_open_close())
			TH_LOG("round %d (%ld writes): allowed under kptr_restrict=2",
			       round, t.writes);
		ASSERT_EQ(0, set_sysctl(KPTR_RESTRICT, 0));
		EXPECT_EQ(0, ksu_open_close())
			TH_LOG("round %d (%ld writes): refused under kptr_restrict=0",
			       round, t.writes);
	}
}

TEST_HARNESS_MAIN
