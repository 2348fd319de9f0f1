// SPDX-License-Identifier: GPL-2.0-only
/*
 * A test module for the ksyms selftests (ksyms_modules: init_window).
 *
 * do_init_module() sends MODULE_STATE_LIVE, then switches the module to
 * its core symbol table and frees its __init symbols, and sends nothing
 * after.  This module opens /dev/ksyms from its own LIVE notification,
 * after ksyms' notifier has run: the snapshot that open builds holds this
 * module's init-time table, __init symbols included.  The selftest then
 * checks that no later open is given that snapshot.
 */
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/notifier.h>

/* What the open in the window returned: 0, or a negative errno. */
static int open_ret = 1;
module_param(open_ret, int, 0444);
MODULE_PARM_DESC(open_ret, "0 once /dev/ksyms was opened in the window");

static int ksyms_init_window_notify(struct notifier_block *nb,
				    unsigned long state, void *data)
{
	struct file *file;

	if (data != THIS_MODULE || state != MODULE_STATE_LIVE)
		return NOTIFY_DONE;
	file = filp_open("/dev/ksyms", O_RDONLY, 0);
	open_ret = PTR_ERR_OR_ZERO(file);
	if (!IS_ERR(file))
		fput(file);
	return NOTIFY_DONE;
}

/* After every other notifier, ksyms' generation count among them. */
static struct notifier_block ksyms_init_window_nb = {
	.notifier_call = ksyms_init_window_notify,
	.priority = INT_MIN,
};

static int __init ksyms_init_window_init(void)
{
	return register_module_notifier(&ksyms_init_window_nb);
}

static void __exit ksyms_init_window_exit(void)
{
	unregister_module_notifier(&ksyms_init_window_nb);
}

module_init(ksyms_init_window_init);
module_exit(ksyms_init_window_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksyms selftest: opens /dev/ksyms between LIVE and the core table");
