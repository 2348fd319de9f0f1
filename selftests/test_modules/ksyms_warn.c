// SPDX-License-Identifier: GPL-2.0-only
/*
 * A test module for the kernel log decoder (ksyms decode): writing a
 * non-zero N to its parameter "warn" WARNs from a function of this module,
 * in a helper inlined into it, so that the kernel logs a real trace with
 * frames here and in vmlinux, and an inlined call to decode.  The tools
 * check (ksyms_oops.sh) brackets the write with markers in the kernel log,
 * and the run's kernel log check leaves out what is between them.
 */
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static unsigned int ksyms_warn_last;

static __always_inline void ksyms_warn_check(unsigned int value)
{
	WARN(value, "ksyms_warn: asked to warn (%u)\n", value);
}

/* Out of line, so that the trace has a frame of this module's text. */
static noinline unsigned int ksyms_warn_inner(unsigned int value)
{
	ksyms_warn_check(value);
	return value + READ_ONCE(ksyms_warn_last);
}

static int ksyms_warn_set(const char *val, const struct kernel_param *kp)
{
	unsigned int value;
	int ret;

	ret = kstrtouint(val, 0, &value);
	if (ret)
		return ret;
	WRITE_ONCE(ksyms_warn_last, ksyms_warn_inner(value));
	return 0;
}

static const struct kernel_param_ops ksyms_warn_ops = {
	.set = ksyms_warn_set,
	.get = param_get_uint,
};
module_param_cb(warn, &ksyms_warn_ops, &ksyms_warn_last, 0600);
MODULE_PARM_DESC(warn, "write N > 0 to WARN once from this module");

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksyms test: a WARNING with frames in a module, to decode");
