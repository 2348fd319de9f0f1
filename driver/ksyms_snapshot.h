/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_SNAPSHOT_H
#define KSYMS_SNAPSHOT_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/types.h>

#include "ksyms_elf.h"
#include "ksyms_module_set.h"

struct ksyms_names;
struct ksyms_pseudo;

/* One immutable ELF image, shared by every descriptor that opened it. */
struct ksyms_snapshot {
	struct kref ref;
	void *image;		/* vmalloc_user(): zero to the page end */
	u64 size;		/* bytes of ELF, without the page padding */
	unsigned long nr_pages;
	u64 generation;		/* module generation it was built at */
	struct ksyms_elf_layout layout;	/* what the image was written for */
	/* The name index: built at the first lookup, ksyms_snapshot_names(). */
	struct ksyms_names *names;
	/* The modules it holds, for the next build to copy. */
	struct ksyms_module_set modules;
	/* What kallsyms listed after them, for the next open to compare. */
	struct ksyms_pseudo *pseudo;
	struct list_head live;	/* on the list of snapshots not yet freed */
};

void ksyms_snapshot_track(struct ksyms_snapshot *snap);
void ksyms_snapshot_put(struct ksyms_snapshot *snap);
u64 ksyms_snapshot_largest(void);
const struct ksyms_names *ksyms_snapshot_names(struct ksyms_snapshot *snap);

#endif /* KSYMS_SNAPSHOT_H */
