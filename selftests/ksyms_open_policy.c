// SPDX-License-Identifier: GPL-2.0-only
/*
 * Who may open /dev/ksyms: EPERM when /proc/kallsyms would show the
 * caller only zeros (kptr_restrict, perf_event_paranoid, CAP_SYSLOG),
 * whatever /proc/kallsyms the caller's mount namespace shows; EACCES for
 * a user other than root (mode 0400), checked by the VFS first.
 * ksyms_privilege runs the whole matrix of identities and settings.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/capability.h>

#include "ksyms_test.h"

#define KPTR_RESTRICT	"/proc/sys/kernel/kptr_restrict"
#define PERF_PARANOID	"/proc/sys/kernel/perf_event_paranoid"

FIXTURE(sysctl) {
	long kptr, paranoid;
	bool have_paranoid;
};

FIXTURE_SETUP(sysctl)
{
	ASSERT_EQ(0, ksu_read_long(KPTR_RESTRICT, &self->kptr));
	self->have_paranoid = !ksu_read_long(PERF_PARANOID, &self->paranoid);
}

FIXTURE_TEARDOWN(sysctl)
{
	EXPECT_EQ(0, ksu_write_long(KPTR_RESTRICT, self->kptr));
	if (self->have_paranoid) {
		EXPECT_EQ(0, ksu_write_long(PERF_PARANOID, self->paranoid));
	}
}

TEST_F(sysctl, kptr_restrict_2_eperm_for_root)
{
	struct ksu_traces before, after;
	const char *changed;
	size_t size = 0;
	int fd, fd2;

	ASSERT_EQ(0, ksu_write_long(KPTR_RESTRICT, 0));
	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(-fd));

	ASSERT_EQ(0, ksu_write_long(KPTR_RESTRICT, 2));
	ASSERT_EQ(0, ksu_traces_take(&before));
	/* the privilege check comes before EBUSY */
	fd2 = ksu_open(O_RDONLY);
	EXPECT_EQ(-EPERM, fd2);
	if (fd2 >= 0)
		close(fd2);
	ASSERT_EQ(0, ksu_traces_take(&after));
	changed = ksu_traces_differ(&before, &after);
	EXPECT_EQ(NULL, changed) TH_LOG("beside a descriptor: %s changed", changed);
	/* the held descriptor keeps what its opener was allowed */
	EXPECT_EQ(0, ioctl(fd, KIOCGSIZE, &size));
	close(fd);

	ASSERT_EQ(0, ksu_traces_take(&before));
	fd = ksu_open(O_RDONLY);
	EXPECT_EQ(-EPERM, fd);
	if (fd >= 0)
		close(fd);
	ASSERT_EQ(0, ksu_traces_take(&after));
	changed = ksu_traces_differ(&before, &after);
	EXPECT_EQ(NULL, changed) TH_LOG("alone: %s changed", changed);

	/* the refusals held nothing: it opens again once allowed */
	ASSERT_EQ(0, ksu_write_long(KPTR_RESTRICT, 1));
	fd = ksu_open(O_RDONLY);
	EXPECT_LE(0, fd) TH_LOG("%s", strerror(-fd));
	if (fd >= 0)
		close(fd);
}

/* Whether /proc/kallsyms shows this thread any non-zero address. */
static bool kallsyms_shows_addresses(void)
{
	char buf[4096];
	char *line, *save = NULL;
	ssize_t n;
	int fd;

	fd = open("/proc/kallsyms", O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strtoull(line, NULL, 16))
			return true;
	return false;
}

struct policy_case {
	long kptr, paranoid;
	bool cap_syslog;
	int expected;		/* 0 or -EPERM */
};

static int policy_child(void *p)
{
	const struct policy_case *c = p;
	bool shows;
	int fd;

	if (ksu_write_long(KPTR_RESTRICT, c->kptr) ||
	    ksu_write_long(PERF_PARANOID, c->paranoid))
		return 10;
	if (!c->cap_syslog && ksu_drop_cap(CAP_SYSLOG))
		return 11;
	shows = kallsyms_shows_addresses();
	fd = ksu_open(O_RDONLY);
	if (fd >= 0)
		close(fd);
	/* the same answer as /proc/kallsyms gives this caller */
	if (shows != (fd >= 0)) {
		fprintf(stderr, "# /proc/kallsyms %s addresses, open gave %s\n",
			shows ? "shows" : "hides",
			fd >= 0 ? "a descriptor" : strerror(-fd));
		return 12;
	}
	if (fd >= 0)
		return c->expected ? 13 : 0;
	if (fd != c->expected) {
		fprintf(stderr, "# open: %s\n", strerror(-fd));
		return 14;
	}
	return 0;
}

TEST_F(sysctl, capability_and_sysctl_policy)
{
	static const struct policy_case cases[] = {
		/* without CAP_SYSLOG */
		{ 1, 2, false, -EPERM },
		{ 0, 2, false, -EPERM },
		{ 1, -1, false, -EPERM },
		{ 0, 1, false, 0 },
		{ 0, -1, false, 0 },
		{ 2, -1, false, -EPERM },
		/* root with CAP_SYSLOG */
		{ 1, 2, true, 0 },
		{ 0, 2, true, 0 },
		{ 2, 2, true, -EPERM },
	};
	size_t i;

	if (!self->have_paranoid)
		SKIP(return, "no %s (kernel without perf events)", PERF_PARANOID);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct policy_case *c = &cases[i];

		EXPECT_EQ(0, ksu_run_child(policy_child, (void *)c))
			TH_LOG("kptr_restrict %ld perf_event_paranoid %ld %s CAP_SYSLOG: expected %s (10/11: setup, 12: differs from /proc/kallsyms, 13: opened, 14: other error)",
			       c->kptr, c->paranoid,
			       c->cap_syslog ? "with" : "without",
			       c->expected ? "EPERM" : "success");
	}
}

struct fake_case {
	long kptr;
	const char *fake;	/* what our /proc/kallsyms will say */
	int expected;
};

/*
 * In a mount namespace of its own, with a file of its own over
 * /proc/kallsyms: the driver still asks the real one.
 */
static int fake_kallsyms_child(void *p)
{
	const struct fake_case *c = p;
	const char *path = "/tmp/ksyms_fake_kallsyms";
	char buf[128];
	ssize_t n;
	int fd;

	if (ksu_write_long(KPTR_RESTRICT, c->kptr))
		return 10;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, c->fake, strlen(c->fake)) < 0)
		return 11;
	close(fd);
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount(path, "/proc/kallsyms", NULL, MS_BIND, NULL)) {
		fprintf(stderr, "# mount namespace: %s\n", strerror(errno));
		return 12;
	}
	/* this process now sees the fake */
	fd = open("/proc/kallsyms", O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n < 0 || (size_t)n != strlen(c->fake) ||
	    memcmp(buf, c->fake, (size_t)n))
		return 13;
	fd = ksu_open(O_RDONLY);
	if (fd >= 0)
		close(fd);
	unlink(path);
	if ((fd >= 0 ? 0 : fd) != c->expected) {
		fprintf(stderr, "# open: %s\n",
			fd >= 0 ? "success" : strerror(-fd));
		return 1;
	}
	return 0;
}

TEST_F(sysctl, fake_kallsyms_in_mount_namespace_ignored)
{
	static const struct fake_case cases[] = {
		/* the real one shows only zeros even to root: refused */
		{ 2, "ffffffff81000000 T _stext\nffffffff81000010 T fake\n",
		  -EPERM },
		/* the real one shows addresses: allowed */
		{ 0, "0000000000000000 T _stext\n0000000000000000 T fake\n", 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *fake = "all zero", *want = "success";

		if (cases[i].expected) {
			fake = "with addresses";
			want = "EPERM";
		}

		EXPECT_EQ(0, ksu_run_child(fake_kallsyms_child, (void *)&cases[i]))
			TH_LOG("kptr_restrict %ld, fake %s: expected %s (1: other answer, 10-13: setup)",
			       cases[i].kptr, fake, want);
	}
}

static int nobody_child(void *p)
{
	bool have_paranoid = *(bool *)p;
	int fd;

	if (ksu_write_long(KPTR_RESTRICT, 0) ||
	    (have_paranoid && ksu_write_long(PERF_PARANOID, -1)))
		return 10;
	if (ksu_become_nobody())
		return 11;
	fd = ksu_open(O_RDONLY);
	if (fd != -EACCES) {
		fprintf(stderr, "# nobody: open: %s\n",
			fd >= 0 ? "success" : strerror(-fd));
		return 1;
	}
	fd = ksu_open(O_RDWR);
	if (fd != -EACCES)
		return 2;
	return 0;
}

/*
 * Mode 0400: refused by the VFS before the driver, even when kallsyms
 * would show this user addresses.
 */
TEST_F(sysctl, nobody_eacces)
{
	EXPECT_EQ(0, ksu_run_child(nobody_child, &self->have_paranoid))
		TH_LOG("1: O_RDONLY not EACCES, 2: O_RDWR not EACCES, 10/11: setup");
}

TEST_HARNESS_MAIN
