/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_MAP_H
#define KSYMS_MAP_H

#include <linux/fs.h>
#include <linux/mm_types.h>

struct ksyms_snapshot;

int ksyms_map_mmap(struct file *file, struct ksyms_snapshot *snap,
		   struct vm_area_struct *vma);
int ksyms_map_caller_address(struct file *file,
			     const struct ksyms_snapshot *snap,
			     unsigned long *addr);

#endif /* KSYMS_MAP_H */
