/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The identities of the privilege tests, each taken on by a forked child
 * that then reads /proc/kallsyms (the oracle) and opens the device once:
 *   root                all capabilities;
 *   root-no-CAP_SYSLOG  uid 0 with CAP_SYSLOG gone from the effective,
 *                       permitted, inheritable and bounding sets;
 *   nobody              uid/gid 65534, no capabilities;
 *   userns-root         uid 0 of a new user namespace, with every
 *                       capability there and none in the initial one.
 */
#ifndef KSYMS_IDENTITY_H
#define KSYMS_IDENTITY_H

#include <stdbool.h>

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

const char *identity_name(enum identity id);
/*
 * Whether the identity has CAP_SYSLOG in the initial user namespace, the
 * one kallsyms_show_value() asks about: a user namespace's root has every
 * capability in its own namespace only.
 */
bool identity_has_syslog(enum identity id);
/* Whether this kernel can give the identity (a user namespace needs one). */
bool identity_available(enum identity id);
/*
 * Runs a child as @id that reads the oracle and opens the device once;
 * 0 with *r filled in, or -errno (-ETIMEDOUT: it did not answer within
 * CELL_TIMEOUT_MS and was killed).
 */
int identity_open_as(enum identity id, struct cell_report *r);

#endif /* KSYMS_IDENTITY_H */
