// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation accounting, fault injection and the debugfs files that expose
 * them.  Debian's kernels have no CONFIG_FAULT_INJECTION, so the driver
 * carries a minimal one of its own: a countdown to one failing allocation,
 * and a count of snapshot attempts to treat as inconsistent.
 */
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "ksyms_debug.h"

struct ksyms_stats ksyms_stats;

static atomic_t ksyms_fail_alloc_nth = ATOMIC_INIT(0);
static atomic_t ksyms_fail_consistency = ATOMIC_INIT(0);
static struct dentry *ksyms_debugfs_dir;

bool ksyms_inject_alloc_failure(void)
{
	/* Only the writer of N and the Nth caller see it reach zero. */
	return atomic_read(&ksyms_fail_alloc_nth) > 0 &&
	       atomic_dec_and_test(&ksyms_fail_alloc_nth);
}

bool ksyms_inject_inconsistency(void)
{
	return atomic_dec_if_positive(&ksyms_fail_consistency) >= 0;
}

static void *ksyms_account(void *ptr)
{
	if (ptr)
		atomic_long_inc(&ksyms_stats.allocations);
	return ptr;
}

static void ksyms_unaccount(const void *ptr)
{
	if (ptr)
		atomic_long_dec(&ksyms_stats.allocations);
}

void *ksyms_kzalloc(size_t size)
{
	if (ksyms_inject_alloc_failure())
		return NULL;
	return ksyms_account(kzalloc(size, GFP_KERNEL));
}

void ksyms_kfree(const void *ptr)
{
	ksyms_unaccount(ptr);
	kfree(ptr);
}

/*
 * The large allocations grow with the number of kernel symbols, and their
 * failure is the caller's ENOMEM: no allocation-failure report in the
 * kernel log for it (__GFP_NOWARN).
 */
#define KSYMS_GFP_LARGE	(GFP_KERNEL | __GFP_NOWARN)

void *ksyms_kvmalloc_array(size_t n, size_t size)
{
	if (ksyms_inject_alloc_failure())
		return NULL;
	return ksyms_account(kvmalloc_array(n, size, KSYMS_GFP_LARGE));
}

void ksyms_kvfree(const void *ptr)
{
	ksyms_unaccount(ptr);
	kvfree(ptr);
}

void *ksyms_vmalloc_user(size_t size)
{
	if (ksyms_inject_alloc_failure())
		return NULL;
	/* zeroed: the tail of the last page is mapped to users too */
	return ksyms_account(__vmalloc(size, KSYMS_GFP_LARGE | __GFP_ZERO));
}

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
	KSYMS_STAT(modules_copied),
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

/* debugfs failures are not errors: the device works without these files. */
void ksyms_debug_init(void)
{
	ksyms_debugfs_dir = debugfs_create_dir("ksyms", NULL);
	debugfs_create_atomic_t("fail_alloc_nth", 0600, ksyms_debugfs_dir,
				&ksyms_fail_alloc_nth);
	debugfs_create_atomic_t("fail_consistency", 0600, ksyms_debugfs_dir,
				&ksyms_fail_consistency);
	debugfs_create_file("stats", 0400, ksyms_debugfs_dir, NULL,
			    &ksyms_stats_fops);
}

void ksyms_debug_exit(void)
{
	debugfs_remove_recursive(ksyms_debugfs_dir);
}
