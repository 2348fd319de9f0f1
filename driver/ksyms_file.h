/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_FILE_H
#define KSYMS_FILE_H

#include <linux/fs.h>

extern const struct file_operations ksyms_fops;

#endif /* KSYMS_FILE_H */
