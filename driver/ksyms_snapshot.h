/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSYMS_SNAPSHOT_H
#define KSYMS_SNAPSHOT_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/types.h>

#include "ksyms_modules.h"

struct ksyms_pseudo;

/* One immutable ELF image, shared by every descriptor that opened it. */
struct ksyms_snapshot {
	struct kref ref;
	void *image;		/* vmalloc_user(): zero to the page end */
	u64 size;		/* bytes of ELF, without the page padding */
	unsigned long nr_pages;
	u64 generation;		/* module generation it was built at */
	struct ksyms_elf_layout layout;	/* what the image was written for */
	/* The name index: built at the first lookup, see ksyms_lookup.c. */
	struct ksyms_names *names;
	/* The modules it holds, for the next build to copy. */
	struct ksyms_module_set modules;
	/* What kallsyms listed after them, for the next open to compare. */
	struct ksyms_pseudo *pseudo;
	struct list_head live;	/* on the list of snapshots not yet freed */
};

/*
 * The current snapshot, built if an object changed since the cached one
 * (which it then replaces), with a reference for the caller; an ERR_PTR
 * on failure, which leaves the cache as it was.  Holds
 * ksyms_snapshot_mutex throughout.
 */
struct ksyms_snapshot *ksyms_snapshot_get(void);
void ksyms_snapshot_put(struct ksyms_snapshot *snap);
/* The largest image of any snapshot not yet freed, or 0; no lock. */
u64 ksyms_snapshot_largest(void);
/* Pages the cache holds (the snapshot and the vmlinux table); no lock. */
unsigned long ksyms_snapshot_cache_pages(void);
/*
 * Drops the cache; the next open rebuilds it.  Returns the pages given
 * back, or -EBUSY if !@wait and an open holds ksyms_snapshot_mutex.
 */
long ksyms_snapshot_drop_cache(bool wait);
/* Drops the cache at module exit. */
void ksyms_snapshot_exit(void);

#endif /* KSYMS_SNAPSHOT_H */
