/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_IOCTL_H
#define KSYMS_IOCTL_H

#include <linux/compiler_types.h>
#include <linux/types.h>

struct file;
struct ksyms_snapshot;

long ksyms_ioctl(struct file *file, struct ksyms_snapshot *snap,
		 unsigned int cmd, void __user *arg, bool compat);

#endif /* KSYMS_IOCTL_H */
