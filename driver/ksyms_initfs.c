// SPDX-License-Identifier: GPL-2.0-only
/*
 * Files the driver reads to ask the kernel a question, opened where no
 * caller and no mount can substitute its own.
 *
 * /proc/kallsyms and the sysctls come from a procfs instance of the
 * driver's own, mounted once and attached nowhere: whatever is mounted
 * over /proc/kallsyms in any namespace (/dev/null as hardening, a regular
 * or FUSE file, nothing at all) is never read in its place, and an open
 * is answered the same however the caller's namespaces look.  Sysfs files
 * (build ID notes) are opened by a kernel worker, in userspace init's
 * root and mount namespace.
 *
 * Every file is opened with the kernel's own credentials, so that no LSM
 * or Landlock rule of one caller's decides what a later caller is
 * answered from memory, holding CAP_SYSLOG only when asked: it is all of
 * a credential that kallsyms_show_value() looks at.  What /proc/kallsyms
 * shows is fixed at open from the file's f_cred.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/sched/task.h>
#include <linux/workqueue.h>

#include "ksyms_compat.h"
#include "ksyms_initfs.h"

/* Set at module init, before the device exists; never change after. */
static struct vfsmount *ksyms_proc_mnt;
/*
 * The credentials ksyms_proc_open() reads with, with and without
 * CAP_SYSLOG: prepared once, as every open reads /proc/kallsyms.
 */
static struct cred *ksyms_proc_cred[2];

static struct cred *ksyms_reader_cred(bool cap_syslog)
{
	struct cred *cred = prepare_kernel_cred(&init_task);

	if (cred && !cap_syslog) {
		cap_lower(cred->cap_effective, CAP_SYSLOG);
		cap_lower(cred->cap_permitted, CAP_SYSLOG);
	}
	return cred;
}

/**
 * ksyms_proc_open() - Open a file of the driver's own procfs
 * @name: its path from the procfs root, e.g. "kallsyms" or
 *	"sys/kernel/kptr_restrict"
 * @cap_syslog: whether the opener's credentials hold CAP_SYSLOG
 *
 * Opens @name read-only in the procfs that ksyms_initfs_init() mounted,
 * which nothing is mounted over, with the kernel's credentials, holding
 * CAP_SYSLOG only if @cap_syslog.  The file keeps those credentials
 * (f_cred), and it is them, not the caller's, that /proc/kallsyms read
 * through it judges when deciding to show addresses.  The path is
 * resolved from the mount's root, so the caller's namespaces and root
 * play no part.
 *
 * Context: Process context; may sleep.  Only between ksyms_initfs_init()
 * and ksyms_initfs_exit().
 * Return: The file, or an ERR_PTR() on failure.
 */
struct file *ksyms_proc_open(const char *name, bool cap_syslog)
{
	const struct cred *old = override_creds(ksyms_proc_cred[cap_syslog]);
	struct file *file;

	file = ksyms_file_open_root_mnt(ksyms_proc_mnt, name, O_RDONLY);
	revert_creds(old);
	return file;
}

struct ksyms_initfs_job {
	struct work_struct work;
	const char *path;	/* the file to open, or NULL: mount procfs */
	struct file *file;
	struct vfsmount *mnt;
};

/* procfs is built in: get_fs_type() took no module reference to put. */
static struct vfsmount *ksyms_mount_proc(void)
{
	struct file_system_type *type = get_fs_type("proc");

	return type ? kern_mount(type) : ERR_PTR(-ENODEV);
}

static void ksyms_initfs_job_run(struct work_struct *work)
{
	struct ksyms_initfs_job *job =
		container_of(work, struct ksyms_initfs_job, work);
	struct cred *cred = ksyms_reader_cred(true);
	const struct cred *old;

	if (!cred) {
		job->file = ERR_PTR(-ENOMEM);
		job->mnt = ERR_PTR(-ENOMEM);
		return;
	}
	old = override_creds(cred);
	if (job->path)
		job->file = ksyms_filp_open_init_fs(job->path, O_RDONLY);
	else
		job->mnt = ksyms_mount_proc();
	revert_creds(old);
	put_cred(cred);
}

/* Runs @job on a kernel worker: init's namespaces, whoever the caller. */
static void ksyms_initfs_run(struct ksyms_initfs_job *job)
{
	INIT_WORK_ONSTACK(&job->work, ksyms_initfs_job_run);
	queue_work(ksyms_unbound_wq, &job->work);
	flush_work(&job->work);
	destroy_work_on_stack(&job->work);
}

/**
 * ksyms_initfs_open() - Open a file as userspace init would find it
 * @path: an absolute path, e.g. "/sys/kernel/notes"
 *
 * Opens @path read-only on a kernel worker, so that it is resolved in
 * init's root and mount namespace whoever the caller is, and with the
 * kernel's credentials (CAP_SYSLOG included), so that no LSM rule of the
 * caller's decides what a later caller is answered from memory.
 *
 * Context: Process context; sleeps until the worker is done.
 * Return: The file, or an ERR_PTR() on failure.
 */
struct file *ksyms_initfs_open(const char *path)
{
	struct ksyms_initfs_job job = { .path = path };

	ksyms_initfs_run(&job);
	return job.file;
}

static void ksyms_proc_creds_put(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ksyms_proc_cred); i++) {
		if (ksyms_proc_cred[i])
			put_cred(ksyms_proc_cred[i]);
		ksyms_proc_cred[i] = NULL;
	}
}

/**
 * ksyms_initfs_init() - Mount the driver's procfs and make its credentials
 *
 * Prepares the two credentials ksyms_proc_open() reads with, once, as
 * every open of the device reads /proc/kallsyms, and mounts a procfs of
 * init's pid namespace (on a kernel worker, whoever loads the module),
 * attached nowhere.
 *
 * Context: Module init, before the device exists: the mount and the
 * credentials are read afterwards without a lock.
 * Return: 0, -ENOMEM, or the error of mounting procfs.
 */
int ksyms_initfs_init(void)
{
	struct ksyms_initfs_job job = {};

	ksyms_proc_cred[false] = ksyms_reader_cred(false);
	ksyms_proc_cred[true] = ksyms_reader_cred(true);
	if (!ksyms_proc_cred[false] || !ksyms_proc_cred[true]) {
		ksyms_proc_creds_put();
		return -ENOMEM;
	}
	/* A procfs of init's pid namespace, whoever loads the module. */
	ksyms_initfs_run(&job);
	if (IS_ERR(job.mnt)) {
		ksyms_proc_creds_put();
		return PTR_ERR(job.mnt);
	}
	ksyms_proc_mnt = job.mnt;
	return 0;
}

/**
 * ksyms_initfs_exit() - Unmount the driver's procfs, drop its credentials
 *
 * Context: Module exit, or module init unwinding: once nothing can call
 * ksyms_proc_open() any more.
 */
void ksyms_initfs_exit(void)
{
	kern_unmount(ksyms_proc_mnt);
	ksyms_proc_creds_put();
}
