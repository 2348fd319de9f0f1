// SPDX-License-Identifier: GPL-2.0-only
/*
 * May the caller see kernel addresses?  /proc/kallsyms decides
 * (kallsyms_show_value()), and asking it costs a kernel worker round trip
 * and a page of kallsyms output: far more than the rest of an open.
 *
 * kallsyms_show_value() depends on three things only: the kptr_restrict
 * and perf_event_paranoid sysctls, and whether the caller has CAP_SYSLOG
 * in the initial user namespace.  Those three are read in the caller's
 * context, and /proc/kallsyms is asked with a credential that holds
 * CAP_SYSLOG exactly when the caller does and nothing else of the
 * caller's (ksyms_initfs.c): its answer is a function of the three and
 * nothing else, so it can be remembered for each combination, and an
 * open is answered the same whether the answer was remembered or not.
 *
 * /proc/kallsyms reads the sysctls at its own open, after this file read
 * them, so a sysctl written meanwhile makes its answer one to another
 * question.  An answer is remembered only if the sysctls read after
 * asking equal those read before, and only if it is what
 * kallsyms_show_value()'s rule gives for them: a sysctl written and
 * written back while /proc/kallsyms was asked passes the first test, not
 * the second.  A kernel whose rule differs is asked at every open.
 *
 * The sysctls are read through their files (opened once, in the driver's
 * own procfs), not from kernel variables, which modules cannot see.  If
 * one cannot be read, every open asks /proc/kallsyms.
 */
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/user_namespace.h>

#include "ksyms_access.h"
#include "ksyms_debug.h"
#include "ksyms_initfs.h"
#include "ksyms_kallsyms.h"

/*
 * More combinations than a system switches between: kptr_restrict has 3
 * meanings, perf_event_paranoid 5 (Debian's 3 included), CAP_SYSLOG 2.
 */
#define KSYMS_ACCESS_ANSWERS	32
/* An int in decimal, a newline and a NUL. */
#define KSYMS_SYSCTL_TEXT	16
/* perf_event_paranoid of a kernel without perf events. */
#define KSYMS_SYSCTL_ABSENT	INT_MIN
/* kallsyms_for_perf() is 0 without it: the sysctl exists only with it. */
#define KSYMS_HAVE_PARANOID	IS_ENABLED(CONFIG_PERF_EVENTS)

enum ksyms_sysctl {
	KSYMS_KPTR_RESTRICT,
	KSYMS_PERF_EVENT_PARANOID,
	KSYMS_NR_SYSCTLS,
};

static const char * const ksyms_sysctl_paths[KSYMS_NR_SYSCTLS] = {
	[KSYMS_KPTR_RESTRICT]		= "sys/kernel/kptr_restrict",
	[KSYMS_PERF_EVENT_PARANOID]	= "sys/kernel/perf_event_paranoid",
};

/* Everything kallsyms_show_value() looks at. */
struct ksyms_access_inputs {
	int sysctl[KSYMS_NR_SYSCTLS];
	bool cap_syslog;
};

struct ksyms_access_answer {
	struct ksyms_access_inputs inputs;
	int err;
};

static DEFINE_MUTEX(ksyms_access_mutex);
/* All under ksyms_access_mutex. */
static struct file *ksyms_sysctl_files[KSYMS_NR_SYSCTLS];
static struct ksyms_access_answer ksyms_answers[KSYMS_ACCESS_ANSWERS];
static unsigned int ksyms_nr_answers;
static unsigned int ksyms_next_answer;

static bool ksyms_sysctl_exists(enum ksyms_sysctl which)
{
	return which != KSYMS_PERF_EVENT_PARANOID || KSYMS_HAVE_PARANOID;
}

static int ksyms_sysctl_open(enum ksyms_sysctl which)
{
	struct file *file;

	if (ksyms_sysctl_files[which])
		return 0;
	file = ksyms_proc_open(ksyms_sysctl_paths[which], false);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ksyms_sysctl_files[which] = file;
	return 0;
}

static int ksyms_sysctl_read(enum ksyms_sysctl which, int *value)
{
	char text[KSYMS_SYSCTL_TEXT];
	loff_t pos = 0;
	ssize_t len;
	int err;

	if (!ksyms_sysctl_exists(which)) {
		*value = KSYMS_SYSCTL_ABSENT;
		return 0;
	}
	err = ksyms_sysctl_open(which);
	if (err)
		return err;
	len = kernel_read(ksyms_sysctl_files[which], text, sizeof(text) - 1,
			  &pos);
	if (len < 0)
		return len;
	text[len] = '\0';
	return kstrtoint(text, 10, value);
}

static int ksyms_access_read_sysctls(struct ksyms_access_inputs *in)
{
	int i, err;

	for (i = 0; i < KSYMS_NR_SYSCTLS; i++) {
		err = ksyms_sysctl_read(i, &in->sysctl[i]);
		if (err)
			return err;
	}
	return 0;
}

/* 0 if every input could be read; cap_syslog is set either way. */
static int ksyms_access_read_inputs(struct ksyms_access_inputs *in)
{
	memset(in, 0, sizeof(*in));
	/*
	 * kallsyms_show_value()'s own test, unaudited as there.  The one
	 * exported on every kernel marks a success in PF_SUPERPRIV, as the
	 * caller's own capable() calls do.
	 */
	in->cap_syslog = ns_capable_noaudit(&init_user_ns, CAP_SYSLOG);
	return ksyms_access_read_sysctls(in);
}

/* Whether the sysctls still read as @in holds them. */
static bool ksyms_access_unchanged(const struct ksyms_access_inputs *in)
{
	struct ksyms_access_inputs now;

	return !ksyms_access_read_sysctls(&now) &&
	       !memcmp(now.sysctl, in->sysctl, sizeof(now.sysctl));
}

/* kallsyms_show_value() since v5.8 (kernel/ksyms_common.c from v6.5). */
static int ksyms_access_rule(const struct ksyms_access_inputs *in)
{
	int kptr = in->sysctl[KSYMS_KPTR_RESTRICT];
	int paranoid = in->sysctl[KSYMS_PERF_EVENT_PARANOID];

	if (kptr == 0 && KSYMS_HAVE_PARANOID && paranoid <= 1)
		return 0;
	if ((kptr == 0 || kptr == 1) && in->cap_syslog)
		return 0;
	return -EPERM;
}

static const struct ksyms_access_answer *
ksyms_access_find(const struct ksyms_access_inputs *in)
{
	unsigned int i;

	for (i = 0; i < ksyms_nr_answers; i++)
		if (!memcmp(&ksyms_answers[i].inputs, in, sizeof(*in)))
			return &ksyms_answers[i];
	return NULL;
}

static void ksyms_access_remember(const struct ksyms_access_inputs *in,
				  int err)
{
	struct ksyms_access_answer *answer = &ksyms_answers[ksyms_next_answer];

	answer->inputs = *in;
	answer->err = err;
	ksyms_next_answer = (ksyms_next_answer + 1) % KSYMS_ACCESS_ANSWERS;
	ksyms_nr_answers = min(ksyms_nr_answers + 1, KSYMS_ACCESS_ANSWERS);
}

/**
 * ksyms_access_check() - May the current task see kernel addresses?
 *
 * Decides as /proc/kallsyms would for the current task: reads the
 * sysctls and tests CAP_SYSLOG in the initial user namespace, as
 * kallsyms_show_value() does, then answers from memory if these inputs
 * were answered before, else asks /proc/kallsyms (ksyms_kallsyms_probe())
 * and remembers the answer when the rules at the top of this file allow
 * it.  If a sysctl cannot be read, /proc/kallsyms is asked and nothing is
 * remembered.
 *
 * Context: Process context of the task to be checked (the opener); takes
 * ksyms_access_mutex, killably, and may sleep.
 * Return: 0 if /proc/kallsyms would show the current task real addresses,
 * -EPERM if not, -EINTR if killed while waiting for the mutex, or
 * -ENOMEM or -ENXIO from asking /proc/kallsyms.
 */
int ksyms_access_check(void)
{
	const struct ksyms_access_answer *known;
	struct ksyms_access_inputs in;
	bool comparable;
	int err;

	if (mutex_lock_killable(&ksyms_access_mutex))
		return -EINTR;
	comparable = !ksyms_access_read_inputs(&in);
	known = comparable ? ksyms_access_find(&in) : NULL;
	if (known) {
		err = known->err;
		ksyms_stat_inc(privilege_hits);
	} else {
		err = ksyms_kallsyms_probe(in.cap_syslog);
		ksyms_stat_inc(privilege_probes);
		/* Only answers, not failures to get one, are remembered. */
		if (comparable && (!err || err == -EPERM) &&
		    err == ksyms_access_rule(&in) &&
		    ksyms_access_unchanged(&in))
			ksyms_access_remember(&in, err);
	}
	mutex_unlock(&ksyms_access_mutex);
	return err;
}

/**
 * ksyms_access_drop() - Forget the answers and close the sysctl files
 *
 * Gives back what ksyms_access_check() keeps between opens: the next
 * check reopens the files and asks /proc/kallsyms again.
 *
 * Context: Process context; takes ksyms_access_mutex.  Called when the
 * driver has been idle, and at module exit before ksyms_initfs_exit()
 * unmounts the procfs the files are in.
 */
void ksyms_access_drop(void)
{
	int i;

	mutex_lock(&ksyms_access_mutex);
	for (i = 0; i < KSYMS_NR_SYSCTLS; i++) {
		if (ksyms_sysctl_files[i])
			fput(ksyms_sysctl_files[i]);
		ksyms_sysctl_files[i] = NULL;
	}
	ksyms_nr_answers = 0;
	ksyms_next_answer = 0;
	mutex_unlock(&ksyms_access_mutex);
}
