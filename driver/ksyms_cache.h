/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_CACHE_H
#define KSYMS_CACHE_H

#include <linux/types.h>

struct ksyms_snapshot;

struct ksyms_snapshot *ksyms_cache_get(void);
unsigned long ksyms_cache_pages(void);
long ksyms_cache_drop(bool wait);
void ksyms_cache_exit(void);

#endif /* KSYMS_CACHE_H */
