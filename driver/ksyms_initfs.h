/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_INITFS_H
#define KSYMS_INITFS_H

#include <linux/types.h>

struct file;

int ksyms_initfs_init(void);
void ksyms_initfs_exit(void);

struct file *ksyms_proc_open(const char *name, bool cap_syslog);
struct file *ksyms_initfs_open(const char *path);

#endif /* KSYMS_INITFS_H */
