/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSYMS_MAP_H
#define KSYMS_MAP_H

#include <linux/fs.h>
#include <linux/mm_types.h>

int ksyms_map_mmap(struct file *file, struct vm_area_struct *vma);
/*
 * KIOCGADDR: the address of @file's snapshot in the caller's address
 * space, mapped at the first ask and replacing the mapping an earlier
 * KIOCGADDR made there of another snapshot.
 */
int ksyms_map_caller_address(struct file *file, unsigned long *addr);

#endif /* KSYMS_MAP_H */
