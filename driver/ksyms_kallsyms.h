/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_KALLSYMS_H
#define KSYMS_KALLSYMS_H

#include <linux/elf.h>
#include <linux/kernel.h>
#include <linux/types.h>

#include "ksyms_nm.h"

int ksyms_kallsyms_probe(bool cap_syslog);
int ksyms_kallsyms_read_tail(u64 modules, char **text, u64 *size);

/* Called for each line; a positive return stops the walk early. */
typedef int (*ksyms_line_fn)(const struct ksyms_kallsyms_line *line,
			     void *arg);

int ksyms_kallsyms_each(ksyms_line_fn fn, void *arg);
int ksyms_grow(void **ptr, u64 used, u64 *cap, u64 need, size_t elem,
	       u64 initial);

#endif /* KSYMS_KALLSYMS_H */
