/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSYMS_MAP_H
#define KSYMS_MAP_H

#include <linux/fs.h>
#include <linux/mm_types.h>

int ksyms_map_mmap(struct file *file, struct vm_area_struct *vma);
/* Maps the snapshot into the caller, FreeBSD's KIOCGADDR mapping. */
int ksyms_map_into_caller(struct file *file);
/* Removes what is left of that mapping from the caller's address space. */
void ksyms_map_remove_from_caller(struct file *file);
/* The mapping's address if the caller's address space holds it. */
int ksyms_map_caller_address(struct file *file, unsigned long *addr);

#endif /* KSYMS_MAP_H */
