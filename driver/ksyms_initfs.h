/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSYMS_INITFS_H
#define KSYMS_INITFS_H

struct file;

/*
 * Opens @path read-only as userspace init resolves it, with the caller's
 * credentials; an ERR_PTR on failure.
 */
struct file *ksyms_initfs_open(const char *path);

#endif /* KSYMS_INITFS_H */
