// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver remembers its privilege answer for each setting of
 * kptr_restrict and perf_event_paranoid and CAP_SYSLOG: one question to
 * /proc/kallsyms serves every open under one setting, a new setting is
 * asked anew, and an answer asked while the sysctl was being written is
 * never remembered wrong.
 */
#include <pthread.h>
#include <string.h>

#include "ksyms_test.h"

#define KPTR_RESTRICT	"/proc/sys/kernel/kptr_restrict"

FIXTURE(answers) {
	long kptr;	/* kptr_restrict as we found it */
};

/* Reads first: the teardown writes back whatever self->kptr holds. */
FIXTURE_SETUP(answers)
{
	ASSERT_EQ(0, ksu_read_long(KPTR_RESTRICT, &self->kptr));
	if (!ksu_debugfs_present())
		SKIP(return, "no %s: debugfs not mounted", KSU_DEBUGFS);
}

/* In the harness's parent: runs even when the test dies by a signal. */
FIXTURE_TEARDOWN_PARENT(answers)
{
	EXPECT_EQ(0, ksu_write_long(KPTR_RESTRICT, self->kptr));
}

/*
 * With nothing changed, one question to /proc/kallsyms serves every open;
 * a changed sysctl is a new question, answered by /proc/kallsyms and not
 * by memory; changing it back finds the earlier answer.
 */
TEST_F(answers, remembered_per_setting)
{
	struct ksu_stats st0, st1, st2, st3;
	int i;

	ASSERT_EQ(0, ksu_set_long(KPTR_RESTRICT, 1));
	/* An idle drop forgets every answer: the first open asks. */
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

	ASSERT_EQ(0, ksu_set_long(KPTR_RESTRICT, 2));
	EXPECT_EQ(-EPERM, ksu_open_close());
	ASSERT_EQ(0, ksu_stats_read(&st2));
	EXPECT_LE(ksu_stat(&st1, "privilege_probes") + 1,
		  ksu_stat(&st2, "privilege_probes"));

	ASSERT_EQ(0, ksu_set_long(KPTR_RESTRICT, 1));
	EXPECT_EQ(0, ksu_open_close());
	ASSERT_EQ(0, ksu_stats_read(&st3));
	EXPECT_EQ(ksu_stat(&st2, "privilege_probes"),
		  ksu_stat(&st3, "privilege_probes"));
	EXPECT_EQ(ksu_stat(&st2, "privilege_hits") + 1,
		  ksu_stat(&st3, "privilege_hits"));
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
TEST_F_TIMEOUT(answers, right_after_sysctl_races, 300)
{
	int round, i, ret;

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
		ASSERT_EQ(0, ksu_set_long(KPTR_RESTRICT, 2));
		EXPECT_EQ(-EPERM, ksu_open_close())
			TH_LOG("round %d (%ld writes): allowed under kptr_restrict=2",
			       round, t.writes);
		ASSERT_EQ(0, ksu_set_long(KPTR_RESTRICT, 0));
		EXPECT_EQ(0, ksu_open_close())
			TH_LOG("round %d (%ld writes): refused under kptr_restrict=0",
			       round, t.writes);
	}
}

TEST_HARNESS_MAIN
