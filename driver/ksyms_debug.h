/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The driver's allocators, and the hooks the tests steer them with.
 *
 * A module built with KSYMS_DEBUG=1 (the test VMs build it so) counts its
 * allocations, snapshots and cache events, fails a chosen allocation or
 * snapshot attempt on demand, and shows both through debugfs (root only),
 * so that the tests can prove every failure path returns its errno and
 * leaves nothing behind.  Any other build, the one DKMS installs, has none
 * of it: the allocators are the kernel's, the counters compile to nothing.
 */
#ifndef KSYMS_DEBUG_H
#define KSYMS_DEBUG_H

#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <linux/vmalloc.h>

/*
 * The large allocations grow with the number of kernel symbols, and their
 * failure is the caller's ENOMEM: no allocation-failure report in the
 * kernel log for it (__GFP_NOWARN).
 */
#define KSYMS_GFP_LARGE	(GFP_KERNEL | __GFP_NOWARN)

/* The counters; a build without KSYMS_DEBUG has the type, not the storage. */
struct ksyms_stats {
	atomic_long_t allocations;	/* outstanding */
	atomic_long_t snapshots;	/* live */
	atomic_long_t files;		/* open */
	atomic_long_t snapshot_builds;
	atomic_long_t vmlinux_builds;
	atomic_long_t snapshot_bytes;	/* images of live snapshots */
	atomic_long_t vmlinux_bytes;	/* the vmlinux table, while held */
	atomic_long_t vmlinux_restores;	/* tables made from the kept form */
	atomic_long_t vmlinux_kept_bytes;	/* the kept form */
	atomic_long_t privilege_probes;	/* opens that asked /proc/kallsyms */
	atomic_long_t privilege_hits;	/* opens answered from memory */
	atomic_long_t drops_shrinker;
	atomic_long_t drops_idle;
	atomic_long_t names_builds;	/* name indexes built for lookups */
	atomic_long_t names_bytes;	/* name indexes of live snapshots */
	atomic_long_t modules_read;	/* objects built from a module's table */
	atomic_long_t modules_copied;	/* objects copied from the last image */
};

#ifdef KSYMS_DEBUG

extern struct ksyms_stats ksyms_stats;

#define ksyms_stat_add(field, n)	atomic_long_add(n, &ksyms_stats.field)
#define ksyms_stat_sub(field, n)	atomic_long_sub(n, &ksyms_stats.field)
#define ksyms_stat_set(field, n)	atomic_long_set(&ksyms_stats.field, n)

void ksyms_debug_init(void);
void ksyms_debug_exit(void);

bool ksyms_inject_alloc_failure(void);
bool ksyms_inject_inconsistency(void);
bool ksyms_inject_forget_kept(void);

void *ksyms_kzalloc(size_t size);
void ksyms_kfree(const void *ptr);
void *ksyms_kvmalloc_array(size_t n, size_t size);
void ksyms_kvfree(const void *ptr);
void *ksyms_vmalloc_user(size_t size);
void ksyms_vfree(const void *ptr);

#else /* !KSYMS_DEBUG */

/*
 * No code and no storage; the field's name is still checked, and the value
 * still evaluated once, as the counting build does.
 */
#define ksyms_stat_field(field)	((void)offsetof(struct ksyms_stats, field))
#define ksyms_stat_add(field, n)	(ksyms_stat_field(field), (void)(n))
#define ksyms_stat_sub(field, n)	(ksyms_stat_field(field), (void)(n))
#define ksyms_stat_set(field, n)	(ksyms_stat_field(field), (void)(n))

static inline void ksyms_debug_init(void) { }
static inline void ksyms_debug_exit(void) { }

static inline bool ksyms_inject_alloc_failure(void) { return false; }
static inline bool ksyms_inject_inconsistency(void) { return false; }
static inline bool ksyms_inject_forget_kept(void) { return false; }

static inline void *ksyms_kzalloc(size_t size)
{
	return kzalloc(size, GFP_KERNEL);
}

static inline void ksyms_kfree(const void *ptr) { kfree(ptr); }

static inline void *ksyms_kvmalloc_array(size_t n, size_t size)
{
	return kvmalloc_array(n, size, KSYMS_GFP_LARGE);
}

static inline void ksyms_kvfree(const void *ptr) { kvfree(ptr); }

/* zeroed: the tail of the last page is mapped to users too */
static inline void *ksyms_vmalloc_user(size_t size)
{
	return __vmalloc(size, KSYMS_GFP_LARGE | __GFP_ZERO);
}

static inline void ksyms_vfree(const void *ptr) { vfree(ptr); }

#endif /* KSYMS_DEBUG */

#define ksyms_stat_inc(field)	ksyms_stat_add(field, 1)
#define ksyms_stat_dec(field)	ksyms_stat_sub(field, 1)

#endif /* KSYMS_DEBUG_H */
