// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allocation accounting, fault injection and the debugfs files that expose
 * them, built only with KSYMS_DEBUG=1 (see ksyms_debug.h).  Debian's
 * kernels have no CONFIG_FAULT_INJECTION, so the driver carries a minimal
 * one of its own: a countdown to one failing allocation, and a count of
 * snapshot attempts to treat as inconsistent.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "ksyms_debug.h"

struct ksyms_stats ksyms_stats;

static atomic_t ksyms_fail_alloc_nth = ATOMIC_INIT(0);
static atomic_t ksyms_fail_consistency = ATOMIC_INIT(0);
static atomic_t ksyms_forget_kept = ATOMIC_INIT(0);
static struct dentry *ksyms_debugfs_dir;

/**
 * ksyms_inject_alloc_failure() - Whether this allocation is to fail
 *
 * Counts down debugfs's ksyms/fail_alloc_nth: writing N there makes the
 * Nth call from then on return true, once.  The driver's allocators call
 * it, and so do callers whose allocations happen inside the kernel (such
 * as vm_mmap()'s), so the tests can fail each one in turn.
 *
 * Context: Any context; lockless.
 * Return: True for the one call that brings the countdown to zero, else
 * false: always, unless a test has written a count.
 */
bool ksyms_inject_alloc_failure(void)
{
	/* Only the writer of N and the Nth caller see it reach zero. */
	return atomic_read(&ksyms_fail_alloc_nth) > 0 &&
	       atomic_dec_and_test(&ksyms_fail_alloc_nth);
}

/**
 * ksyms_inject_inconsistency() - Whether this snapshot attempt is to fail
 *
 * Writing N to debugfs's ksyms/fail_consistency makes the next N calls
 * return true, so the tests can see a snapshot build retried and given up
 * as if modules had changed under it.
 *
 * Context: Any context; lockless.
 * Return: True while the count was positive (and takes one from it),
 * else false.
 */
bool ksyms_inject_inconsistency(void)
{
	return atomic_dec_if_positive(&ksyms_fail_consistency) >= 0;
}

/**
 * ksyms_inject_forget_kept() - Whether to forget vmlinux's kept table
 *
 * Writing a non-zero value to debugfs's ksyms/forget_kept makes the next
 * call return true: the next open that needs vmlinux's table then reads
 * /proc/kallsyms again, as the first open did, instead of restoring the
 * table from its kept form, so the tests can reach that read at will.
 *
 * Context: Any context; lockless.
 * Return: True once after each non-zero write, else false.
 */
bool ksyms_inject_forget_kept(void)
{
	return atomic_xchg(&ksyms_forget_kept, 0) != 0;
}

static void *ksyms_account(void *ptr)
{
	if (ptr)
		ksyms_stat_inc(allocations);
	return ptr;
}

static void ksyms_unaccount(const void *ptr)
{
	if (ptr)
		ksyms_stat_dec(allocations);
}

/**
 * ksyms_kzalloc() - Allocate zeroed memory, counted and open to injection
 * @size: bytes to allocate
 *
 * kzalloc() with GFP_KERNEL, counted in the allocations that debugfs's
 * stats file shows as outstanding, and failed when
 * ksyms_inject_alloc_failure() says so.  Free it with ksyms_kfree().
 *
 * Context: Process context; may sleep.
 * Return: The memory, or NULL.
 */
void *ksyms_kzalloc(size_t size)
{
	if (ksyms_inject_alloc_failure())
		return NULL;
	return ksyms_account(kzalloc(size, GFP_KERNEL));
}

/**
 * ksyms_kfree() - Free memory from ksyms_kzalloc()
 * @ptr: the memory, or NULL
 *
 * Context: Any context.
 */
void ksyms_kfree(const void *ptr)
{
	ksyms_unaccount(ptr);
	kfree(ptr);
}

/**
 * ksyms_kvmalloc_array() - Allocate a large array, counted, open to injection
 * @n: number of elements
 * @size: bytes in each
 *
 * kvmalloc_array(), so @n * @size is checked for overflow and may come
 * from vmalloc; not zeroed.  Failure is reported to the caller only, not
 * in the kernel log.  Counted and failed on demand as ksyms_kzalloc() is.
 * Free it with ksyms_kvfree().
 *
 * Context: Process context; may sleep.
 * Return: The memory, or NULL.
 */
void *ksyms_kvmalloc_array(size_t n, size_t size)
{
	if (ksyms_inject_alloc_failure())
		return NULL;
	return ksyms_account(kvmalloc_array(n, size, KSYMS_GFP_LARGE));
}

/**
 * ksyms_kvfree() - Free memory from ksyms_kvmalloc_array()
 * @ptr: the memory, or NULL
 *
 * Context: Process context (vfree() may sleep).
 */
void ksyms_kvfree(const void *ptr)
{
	ksyms_unaccount(ptr);
	kvfree(ptr);
}

/**
 * ksyms_vmalloc_user() - Allocate zeroed vmalloc memory for a mapped image
 * @size: bytes to allocate; callers round it up to whole pages
 *
 * For memory whose pages are mapped into user space: it is zeroed so
 * that the tail of the last page shows nothing of the kernel's.  Failure
 * is reported to the caller only, not in the kernel log.  Counted and
 * failed on demand as ksyms_kzalloc() is.  Free it with ksyms_vfree().
 *
 * Context: Process context; may sleep.
 * Return: The memory, or NULL.
 */
void *ksyms_vmalloc_user(size_t size)
{
	if (ksyms_inject_alloc_failure())
		return NULL;
	/* zeroed: the tail of the last page is mapped to users too */
	return ksyms_account(__vmalloc(size, KSYMS_GFP_LARGE | __GFP_ZERO));
}

/**
 * ksyms_vfree() - Free memory from ksyms_vmalloc_user()
 * @ptr: the memory, or NULL
 *
 * Context: Process context (vfree() may sleep).
 */
void ksyms_vfree(const void *ptr)
{
	ksyms_unaccount(ptr);
	vfree(ptr);
}

#define KSYMS_STAT(field) { #field, &ksyms_stats.field }

static const struct {
	const char *name;
	atomic_long_t *value;
} ksyms_stat_fields[] = {
	KSYMS_STAT(snapshots),		KSYMS_STAT(files),
	KSYMS_STAT(allocations),	KSYMS_STAT(snapshot_builds),
	KSYMS_STAT(vmlinux_builds),	KSYMS_STAT(snapshot_bytes),
	KSYMS_STAT(vmlinux_bytes),	KSYMS_STAT(privilege_probes),
	KSYMS_STAT(privilege_hits),	KSYMS_STAT(drops_shrinker),
	KSYMS_STAT(drops_idle),		KSYMS_STAT(names_builds),
	KSYMS_STAT(names_bytes),	KSYMS_STAT(modules_read),
	KSYMS_STAT(modules_copied),	KSYMS_STAT(vmlinux_restores),
	KSYMS_STAT(vmlinux_kept_bytes),
};

static int ksyms_stats_show(struct seq_file *m, void *unused)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ksyms_stat_fields); i++)
		seq_printf(m, "%s %ld\n", ksyms_stat_fields[i].name,
			   atomic_long_read(ksyms_stat_fields[i].value));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ksyms_stats);

/**
 * ksyms_debug_init() - Create the driver's debugfs files
 *
 * Creates ksyms/fail_alloc_nth, ksyms/fail_consistency and
 * ksyms/forget_kept (root may read and write them, to steer fault
 * injection and the kept table) and ksyms/stats (root may read it) in
 * debugfs.  A failure to create them is not an error: the
 * device works without these files.
 *
 * Context: Module init.
 */
void ksyms_debug_init(void)
{
	ksyms_debugfs_dir = debugfs_create_dir("ksyms", NULL);
	debugfs_create_atomic_t("fail_alloc_nth", 0600, ksyms_debugfs_dir,
				&ksyms_fail_alloc_nth);
	debugfs_create_atomic_t("fail_consistency", 0600, ksyms_debugfs_dir,
				&ksyms_fail_consistency);
	debugfs_create_atomic_t("forget_kept", 0600, ksyms_debugfs_dir,
				&ksyms_forget_kept);
	debugfs_create_file("stats", 0400, ksyms_debugfs_dir, NULL,
			    &ksyms_stats_fops);
}

/**
 * ksyms_debug_exit() - Remove the driver's debugfs files
 *
 * Safe whether or not ksyms_debug_init() managed to create them.
 *
 * Context: Module exit, or module init failing.
 */
void ksyms_debug_exit(void)
{
	debugfs_remove_recursive(ksyms_debugfs_dir);
}
