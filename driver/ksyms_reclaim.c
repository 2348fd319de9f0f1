// SPDX-License-Identifier: GPL-2.0-only
/*
 * Giving the cache back.  Between opens the driver holds one snapshot and
 * the vmlinux table, together a few times the size of /proc/kallsyms's
 * symbols.  A shrinker drops them under memory pressure, and a timer drops
 * them (and the remembered privilege answers) after idle_drop_secs with no
 * open.  Descriptors keep their own snapshot either way; the next open
 * rebuilds the cache, vmlinux's table from its kept form, which neither
 * drops nor counts: it is a few MiB, bounded by the kernel's own symbol
 * count, and dropping it would bring back the read of /proc/kallsyms.
 */
#include <linux/atomic.h>
#include <linux/moduleparam.h>
#include <linux/shrinker.h>
#include <linux/workqueue.h>

#include "ksyms_access.h"
#include "ksyms_cache.h"
#include "ksyms_compat.h"
#include "ksyms_debug.h"
#include "ksyms_reclaim.h"

#define KSYMS_IDLE_SECS_DEFAULT	60

static void ksyms_idle_drop(struct work_struct *work);

static unsigned int ksyms_idle_secs = KSYMS_IDLE_SECS_DEFAULT;
static DECLARE_DELAYED_WORK(ksyms_idle_work, ksyms_idle_drop);
static struct shrinker *ksyms_shrinker;
/* Under kernel_param_lock(THIS_MODULE): the timer may be armed. */
static bool ksyms_reclaim_live;

static void ksyms_idle_drop(struct work_struct *work)
{
	ksyms_cache_drop(true);
	ksyms_access_drop();
	ksyms_stat_inc(drops_idle);
}

/**
 * ksyms_reclaim_touch - start the idle countdown again
 *
 * Called by every open that got a snapshot, and when idle_drop_secs is
 * set: the cache is dropped idle_drop_secs from the last call, or never
 * if that is 0.  Takes no lock; the delayed work serialises itself.
 */
void ksyms_reclaim_touch(void)
{
	unsigned int secs = READ_ONCE(ksyms_idle_secs);

	if (secs)
		mod_delayed_work(ksyms_unbound_wq, &ksyms_idle_work,
				 (unsigned long)secs * HZ);
	else
		cancel_delayed_work(&ksyms_idle_work);
}

/* A new value counts from now, so that it takes effect without an open. */
static int ksyms_idle_secs_set(const char *val, const struct kernel_param *kp)
{
	int err = param_set_uint(val, kp);

	if (!err && ksyms_reclaim_live)
		ksyms_reclaim_touch();
	return err;
}

static const struct kernel_param_ops ksyms_idle_secs_ops = {
	.set = ksyms_idle_secs_set,
	.get = param_get_uint,
};
module_param_cb(idle_drop_secs, &ksyms_idle_secs_ops, &ksyms_idle_secs, 0644);
MODULE_PARM_DESC(idle_drop_secs,
		 "Drop the cached symbol table after this many seconds without an open (0: never)");

static unsigned long ksyms_shrink_count(struct shrinker *shrinker,
					struct shrink_control *sc)
{
	unsigned long pages = ksyms_cache_pages();

	return pages ? pages : SHRINK_EMPTY;
}

/* All or nothing: half a snapshot is no use to the next open. */
static unsigned long ksyms_shrink_scan(struct shrinker *shrinker,
				       struct shrink_control *sc)
{
	long freed = ksyms_cache_drop(false);

	/* An open is building or reading the cache: let it be. */
	if (freed < 0)
		return SHRINK_STOP;
	if (freed)
		ksyms_stat_inc(drops_shrinker);
	return freed;
}

/**
 * ksyms_reclaim_init - register the shrinker and allow the idle timer
 *
 * At module init, before the device exists.
 *
 * Return: 0, or the error registering the shrinker returned.
 */
int ksyms_reclaim_init(void)
{
	ksyms_shrinker = ksyms_shrinker_create("ksyms", ksyms_shrink_count,
					       ksyms_shrink_scan);
	if (IS_ERR(ksyms_shrinker))
		return PTR_ERR(ksyms_shrinker);
	kernel_param_lock(THIS_MODULE);
	ksyms_reclaim_live = true;
	kernel_param_unlock(THIS_MODULE);
	return 0;
}

/**
 * ksyms_reclaim_exit - stop the idle timer and unregister the shrinker
 *
 * At module exit, after the device is gone: neither runs again once this
 * returns.  The cache itself stays for the caller to drop.
 */
void ksyms_reclaim_exit(void)
{
	kernel_param_lock(THIS_MODULE);
	ksyms_reclaim_live = false;
	kernel_param_unlock(THIS_MODULE);
	cancel_delayed_work_sync(&ksyms_idle_work);
	ksyms_shrinker_destroy(ksyms_shrinker);
}
