// SPDX-License-Identifier: GPL-2.0
/*
 * Files the driver reads to ask the kernel a question (/proc/kallsyms,
 * sysctls), opened where no caller can substitute its own.
 *
 * The path is resolved by a kernel worker, in userspace init's root and
 * mount namespace, so no namespace can put a file of its own at it; the
 * worker takes the caller's credentials, so the file decides what to show
 * exactly as it would for the caller's own open.  Reading the opened file
 * needs no worker: what it shows was fixed at open from its f_cred.
 */
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/workqueue.h>

#include "ksyms_compat.h"
#include "ksyms_initfs.h"

struct ksyms_initfs_job {
	struct work_struct work;
	const struct cred *cred;
	const char *path;
	struct file *file;
};

static void ksyms_initfs_job_run(struct work_struct *work)
{
	struct ksyms_initfs_job *job =
		container_of(work, struct ksyms_initfs_job, work);
	const struct cred *old = override_creds(job->cred);

	job->file = ksyms_filp_open_init_fs(job->path, O_RDONLY);
	revert_creds(old);
}

struct file *ksyms_initfs_open(const char *path)
{
	struct ksyms_initfs_job job = {
		.cred = get_current_cred(),
		.path = path,
	};

	INIT_WORK_ONSTACK(&job.work, ksyms_initfs_job_run);
	queue_work(ksyms_unbound_wq, &job.work);
	flush_work(&job.work);
	destroy_work_on_stack(&job.work);
	put_cred(job.cred);
	return job.file;
}
