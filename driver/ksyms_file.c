// SPDX-License-Identifier: GPL-2.0-only
/*
 * The /dev/ksyms file operations.  An open asks the cache for a snapshot
 * and keeps it for the descriptor's life; read, mmap and the ioctls show
 * that snapshot.
 */
#include <linux/compat.h>
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#include "ksyms_access.h"
#include "ksyms_cache.h"
#include "ksyms_compat.h"
#include "ksyms_debug.h"
#include "ksyms_file.h"
#include "ksyms_ioctl.h"
#include "ksyms_map.h"
#include "ksyms_reclaim.h"
#include "ksyms_snapshot.h"

/* One open of /dev/ksyms. */
struct ksyms_file {
	struct ksyms_snapshot *snap;
	struct pid *owner;	/* the opening thread group */
	struct list_head slot;	/* on ksyms_owners while the EBUSY slot is held */
};

/* Thread groups holding /dev/ksyms open: FreeBSD's one-open-per-process rule. */
static LIST_HEAD(ksyms_owners);
static DEFINE_SPINLOCK(ksyms_owners_lock);

static int ksyms_claim_slot(struct ksyms_file *kf)
{
	struct pid *tgid = task_tgid(current);
	struct ksyms_file *other;
	int err = 0;

	spin_lock(&ksyms_owners_lock);
	list_for_each_entry(other, &ksyms_owners, slot) {
		if (other->owner == tgid) {
			err = -EBUSY;
			break;
		}
	}
	if (!err)
		list_add(&kf->slot, &ksyms_owners);
	spin_unlock(&ksyms_owners_lock);
	return err;
}

static void ksyms_release_slot(struct ksyms_file *kf)
{
	spin_lock(&ksyms_owners_lock);
	list_del_init(&kf->slot);
	spin_unlock(&ksyms_owners_lock);
}

static void ksyms_file_free(struct ksyms_file *kf)
{
	if (kf->snap)
		ksyms_snapshot_put(kf->snap);
	put_pid(kf->owner);
	ksyms_kfree(kf);
	ksyms_stat_dec(files);
}

/*
 * fstat's st_size lives on the device inode, which every descriptor shares
 * (docs/behaviour.md): the largest image a descriptor may hold, so that a
 * reader sizing its read or mmap() by it never cuts an older, larger image
 * short.  Taken after the open replaced the cached snapshot, so that one
 * counts only if something still holds it, and under the inode lock, so
 * that the last writer saw every snapshot built before it.
 */
static void ksyms_set_size(struct inode *inode, const struct ksyms_file *kf)
{
	inode_lock(inode);
	i_size_write(inode, max(kf->snap->size, ksyms_snapshot_largest()));
	inode_unlock(inode);
}

static int ksyms_open(struct inode *inode, struct file *file)
{
	struct ksyms_snapshot *snap;
	struct ksyms_file *kf;
	int err;

	if (file->f_mode & FMODE_WRITE)
		return -EPERM;
	err = ksyms_access_check();
	if (err)
		return err;
	kf = ksyms_kzalloc(sizeof(*kf));
	if (!kf)
		return -ENOMEM;
	ksyms_stat_inc(files);
	INIT_LIST_HEAD(&kf->slot);
	kf->owner = get_pid(task_tgid(current));
	file->private_data = kf;
	err = ksyms_claim_slot(kf);
	if (err)
		goto fail;
	snap = ksyms_cache_get();
	if (IS_ERR(snap)) {
		err = PTR_ERR(snap);
		goto fail_slot;
	}
	kf->snap = snap;
	/* Idle time counts from the last open that got a snapshot. */
	ksyms_reclaim_touch();
	ksyms_set_size(inode, kf);
	return 0;

fail_slot:
	ksyms_release_slot(kf);
fail:
	file->private_data = NULL;
	ksyms_file_free(kf);
	return err;
}

static int ksyms_fd_is(const void *file, struct file *fd_file,
		       unsigned int fd)
{
	return fd_file == file;
}

/*
 * Runs at every close() of every descriptor, after the descriptor has left
 * its table.  When the opening process's table holds no other descriptor
 * of this open file, it may open /dev/ksyms again, as on FreeBSD;
 * descriptors inherited by children or passed to other processes do not
 * keep the opener busy.  The KIOCGADDR mapping stays (see ksyms_map.c).
 * At exit the table is being torn down (current->files is already NULL)
 * and ->release cleans up.
 */
static int ksyms_flush(struct file *file, fl_owner_t id)
{
	struct ksyms_file *kf = file->private_data;
	struct files_struct *files = id;

	if (task_tgid(current) != kf->owner || !files ||
	    files != current->files)
		return 0;
	if (iterate_fd(files, 0, ksyms_fd_is, file))
		return 0;
	ksyms_release_slot(kf);
	return 0;
}

static int ksyms_release(struct inode *inode, struct file *file)
{
	struct ksyms_file *kf = file->private_data;

	ksyms_release_slot(kf);
	ksyms_file_free(kf);
	return 0;
}

static ssize_t ksyms_read(struct file *file, char __user *buf, size_t count,
			  loff_t *ppos)
{
	struct ksyms_file *kf = file->private_data;

	return simple_read_from_buffer(buf, count, ppos, kf->snap->image,
				       kf->snap->size);
}

static loff_t ksyms_llseek(struct file *file, loff_t offset, int whence)
{
	struct ksyms_file *kf = file->private_data;

	/* Past the end is allowed, as for a regular file; reads there give 0. */
	return generic_file_llseek_size(file, offset, whence, MAX_LFS_FILESIZE,
					kf->snap->size);
}

static int ksyms_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ksyms_file *kf = file->private_data;

	return ksyms_map_mmap(file, kf->snap, vma);
}

static long ksyms_unlocked_ioctl(struct file *file, unsigned int cmd,
				 unsigned long arg)
{
	struct ksyms_file *kf = file->private_data;

	return ksyms_ioctl(file, kf->snap, cmd, (void __user *)arg, false);
}

#ifdef CONFIG_COMPAT
static long ksyms_compat_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	struct ksyms_file *kf = file->private_data;

	return ksyms_ioctl(file, kf->snap, cmd, compat_ptr(arg), true);
}
#else
#define ksyms_compat_ioctl NULL
#endif

const struct file_operations ksyms_fops = {
	.owner		= THIS_MODULE,
	.open		= ksyms_open,
	.flush		= ksyms_flush,
	.release	= ksyms_release,
	.read		= ksyms_read,
	.llseek		= ksyms_llseek,
	.mmap		= ksyms_mmap,
	.unlocked_ioctl	= ksyms_unlocked_ioctl,
	.compat_ioctl	= ksyms_compat_ioctl,
};
