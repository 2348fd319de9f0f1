/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The work of the stress suite's processes: readers that open the device
 * and use each descriptor every way a program can (both ioctls and the
 * mapping, threads racing to open, fork and exec, SCM_RIGHTS), and a
 * loader that loads and unloads the test modules meanwhile.  Every
 * outcome is counted in a struct tally the processes share.
 */
#ifndef KSYMS_STRESS_WORK_H
#define KSYMS_STRESS_WORK_H

#include "ksyms_util.h"

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

/* CLOCK_MONOTONIC in seconds. */
double now(void);
/* An open that may meet module churn, its outcome counted; the fd or -errno. */
int stress_open(struct tally *t);
/* A reader's rounds until @deadline, the kind of each taken from @id on. */
void worker(struct tally *t, double deadline, int id);
/* Loads and unloads the test modules, one after the other, until the end. */
void module_churner(struct tally *t, double deadline,
		    const struct ksu_module *mods, int n);

#endif /* KSYMS_STRESS_WORK_H */
