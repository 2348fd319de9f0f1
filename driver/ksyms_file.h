/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSYMS_FILE_H
#define KSYMS_FILE_H

#include <linux/fs.h>
#include <linux/list.h>

struct ksyms_snapshot;

/* One open of /dev/ksyms. */
struct ksyms_file {
	struct ksyms_snapshot *snap;
	struct pid *owner;	/* the opening thread group */
	struct list_head slot;	/* on ksyms_owners while the EBUSY slot is held */
};

extern const struct file_operations ksyms_fops;

#endif /* KSYMS_FILE_H */
