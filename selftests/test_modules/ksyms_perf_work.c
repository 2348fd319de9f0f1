// SPDX-License-Identifier: GPL-2.0-only
/*
 * A test module for the perf check of the ksyms tools (ksyms_perf.sh): a
 * workload whose time is split between this module and vmlinux, so that a
 * profile has samples to attribute in both.  Writing N to its parameter
 * "rounds" runs N rounds, each a checksum of a buffer here and a
 * memchr_inv() of a larger one in vmlinux, in the writer's context.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/string.h>

#define KSYMS_PERF_WORK_BYTES	16384

static u8 ksyms_perf_work_buf[KSYMS_PERF_WORK_BYTES];

/* What the rounds computed, so that no compiler drops them. */
static unsigned long ksyms_perf_work_sum;

/* A byte at a time on purpose: the module's share of the time. */
static noinline u32 ksyms_perf_work_checksum(const u8 *buf, size_t len)
{
	u32 sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum = ror32(sum, 1) ^ READ_ONCE(buf[i]);
	return sum;
}

static int ksyms_perf_work_run(const char *val, const struct kernel_param *kp)
{
	unsigned int rounds, i;
	int ret;

	ret = kstrtouint(val, 0, &rounds);
	if (ret)
		return ret;
	for (i = 0; i < rounds; i++) {
		ksyms_perf_work_sum += ksyms_perf_work_checksum(ksyms_perf_work_buf,
								 KSYMS_PERF_WORK_BYTES / 8);
		if (memchr_inv(ksyms_perf_work_buf, 0, KSYMS_PERF_WORK_BYTES))
			ksyms_perf_work_sum++;
		cond_resched();
	}
	return 0;
}

static const struct kernel_param_ops ksyms_perf_work_ops = {
	.set = ksyms_perf_work_run,
	.get = param_get_ulong,
};
module_param_cb(rounds, &ksyms_perf_work_ops, &ksyms_perf_work_sum, 0600);
MODULE_PARM_DESC(rounds, "write N to run N rounds; reads the running sum");

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksyms test: a workload split between a module and vmlinux");
