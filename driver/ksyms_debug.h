/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Accounting and fault injection for the driver's own allocations, shown
 * and steered through debugfs (root only) so the tests can prove that every
 * failure path returns its errno and leaves nothing behind.
 */
#ifndef KSYMS_DEBUG_H
#define KSYMS_DEBUG_H

#include <linux/atomic.h>
#include <linux/types.h>

struct ksyms_stats {
	atomic_long_t allocations;	/* outstanding */
	atomic_long_t snapshots;	/* live */
	atomic_long_t files;		/* open */
	atomic_long_t snapshot_builds;
	atomic_long_t vmlinux_builds;
	atomic_long_t snapshot_bytes;	/* images of live snapshots */
	atomic_long_t vmlinux_bytes;	/* the vmlinux table, while held */
	atomic_long_t privilege_probes;	/* opens that asked /proc/kallsyms */
	atomic_long_t privilege_hits;	/* opens answered from memory */
	atomic_long_t drops_shrinker;
	atomic_long_t drops_idle;
	atomic_long_t names_builds;	/* name indexes built for lookups */
	atomic_long_t names_bytes;	/* name indexes of live snapshots */
	atomic_long_t modules_read;	/* objects built from a module's table */
	atomic_long_t modules_copied;	/* objects copied from the last image */
};

extern struct ksyms_stats ksyms_stats;

void ksyms_debug_init(void);
void ksyms_debug_exit(void);

bool ksyms_inject_alloc_failure(void);
bool ksyms_inject_inconsistency(void);

void *ksyms_kzalloc(size_t size);
void ksyms_kfree(const void *ptr);
void *ksyms_kvmalloc_array(size_t n, size_t size);
void ksyms_kvfree(const void *ptr);
void *ksyms_vmalloc_user(size_t size);
void ksyms_vfree(const void *ptr);

#endif /* KSYMS_DEBUG_H */
