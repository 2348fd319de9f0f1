/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSYMS_INITFS_H
#define KSYMS_INITFS_H

#include <linux/types.h>

struct file;

/* Mounts the driver's own procfs; at module init, before the device. */
int ksyms_initfs_init(void);
void ksyms_initfs_exit(void);

/*
 * Opens @name (e.g. "kallsyms", "sys/kernel/kptr_restrict") read-only in
 * the driver's own procfs, with the kernel's credentials holding
 * CAP_SYSLOG only if @cap_syslog; an ERR_PTR on failure.
 */
struct file *ksyms_proc_open(const char *name, bool cap_syslog);
/*
 * Opens @path read-only as userspace init resolves it, with the kernel's
 * credentials; an ERR_PTR on failure.
 */
struct file *ksyms_initfs_open(const char *path);

#endif /* KSYMS_INITFS_H */
