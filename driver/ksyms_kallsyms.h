/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSYMS_KALLSYMS_H
#define KSYMS_KALLSYMS_H

#include <linux/elf.h>
#include <linux/kernel.h>
#include <linux/types.h>

#include "ksyms_nm.h"

/*
 * 0 if /proc/kallsyms shows real addresses to a reader that holds
 * CAP_SYSLOG in the initial user namespace exactly when @cap_syslog, else
 * -EPERM.  Asks the file itself every time (see ksyms_access.c for the
 * remembered answer).
 */
int ksyms_kallsyms_probe(bool cap_syslog);
/*
 * The lines /proc/kallsyms lists after the modules, whose symbol tables
 * take @modules positions (every entry of each table it lists): @*text
 * (kvmalloc()ed, NULL when there are none) holds @*size bytes of them,
 * newlines included.
 */
int ksyms_kallsyms_read_tail(u64 modules, char **text, u64 *size);

/* Called for each line; a positive return stops the walk early. */
typedef int (*ksyms_line_fn)(const struct ksyms_kallsyms_line *line,
			     void *arg);

/*
 * Feeds every line of /proc/kallsyms, as a reader holding CAP_SYSLOG sees
 * it, to @fn; 0, or the first error (-ENOMEM, or what @fn returned).
 */
int ksyms_kallsyms_each(ksyms_line_fn fn, void *arg);
/*
 * Grows *@ptr, holding @used elements of @elem bytes in room for *@cap,
 * to room for at least @need (doubling from @initial); kvrealloc()
 * changed its signature in v6.12, and a copy works everywhere.
 */
int ksyms_grow(void **ptr, u64 used, u64 *cap, u64 need, size_t elem,
	       u64 initial);

#endif /* KSYMS_KALLSYMS_H */
