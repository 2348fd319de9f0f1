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
 * The identities are ksyms_identity.h's; for nobody's cells the device is
 * made 0444, so that the open gets past the VFS's mode check to the
 * driver's own.
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
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_identity.h"

#define KPTR_RESTRICT	"/proc/sys/kernel/kptr_restrict"
#define PERF_PARANOID	"/proc/sys/kernel/perf_event_paranoid"
/* The paranoid value of a cell on a kernel without perf events */
#define NO_PARANOID	LONG_MIN
/*
 * Debian gives 3 a meaning (no perf_event_open() at all without
 * CAP_PERFMON); for kallsyms_for_perf() it is just more than 1.
 */
#define PARANOID_DEBIAN	3

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

/* Sets both sysctls; 0 or -errno. */
static int set_sysctls(long kptr, long paranoid)
{
	int ret = ksu_set_long(KPTR_RESTRICT, kptr);

	if (ret || paranoid == NO_PARANOID)
		return ret;
	return ksu_set_long(PERF_PARANOID, paranoid);
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
	ret = identity_open_as(id, &r);
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

TEST_HARNESS_MAIN
