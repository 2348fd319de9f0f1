// SPDX-License-Identifier: GPL-2.0-only
/*
 * Children and privileges: running a test step in a child, dropping to
 * nobody or dropping one capability.
 * See ksyms_util.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "ksyms_util.h"

int ksu_run_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int ksu_become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(KSU_NOBODY, KSU_NOBODY, KSU_NOBODY) ||
	    setresuid(KSU_NOBODY, KSU_NOBODY, KSU_NOBODY))
		return -errno;
	return 0;
}

int ksu_drop_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	unsigned int idx = (unsigned int)cap / 32;
	uint32_t bit = 1U << (cap % 32);

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[idx].effective &= ~bit;
	data[idx].permitted &= ~bit;
	data[idx].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	/* check it took */
	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	return (data[idx].effective & bit) ? -EPERM : 0;
}
