/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host shim for the kernel's <linux/sort.h>: sort() with the default swap,
 * as qsort(); both sort in place by the comparison alone.
 */
#ifndef KSYMS_HOST_SHIM_LINUX_SORT_H
#define KSYMS_HOST_SHIM_LINUX_SORT_H

#include <stdlib.h>

static inline void sort(void *base, size_t num, size_t size,
			int (*cmp)(const void *, const void *), void *swap)
{
	(void)swap;
	qsort(base, num, size, cmp);
}

#endif
