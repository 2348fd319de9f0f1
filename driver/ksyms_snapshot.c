// SPDX-License-Identifier: GPL-2.0-only
/*
 * One snapshot: an immutable image, shared by every descriptor and mapping
 * that shows it and freed with the last of them, and the name index its
 * lookups use.
 *
 * The index is built at the snapshot's first lookup, not at open: most
 * readers never ask, and opens stay as cheap as they were.  Once
 * published it is never changed, and it goes with its snapshot.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "ksyms_debug.h"
#include "ksyms_elf.h"
#include "ksyms_module_set.h"
#include "ksyms_names.h"
#include "ksyms_pseudo.h"
#include "ksyms_snapshot.h"

/* Every snapshot not yet freed, cached or held by a descriptor or mapping. */
static LIST_HEAD(ksyms_live);
static DEFINE_SPINLOCK(ksyms_live_lock);

/* Serialises index builds; lookups on a built index take no lock. */
static DEFINE_MUTEX(ksyms_names_mutex);

static unsigned long ksyms_snapshot_bytes(const struct ksyms_snapshot *snap)
{
	return snap->nr_pages << PAGE_SHIFT;
}

static void ksyms_snapshot_names_free(struct ksyms_snapshot *snap)
{
	if (!snap->names)
		return;
	ksyms_stat_sub(names_bytes, ksyms_names_bytes(snap->names->nr_syms));
	ksyms_kvfree(snap->names);
	snap->names = NULL;
}

static void ksyms_snapshot_free(struct ksyms_snapshot *snap)
{
	ksyms_snapshot_names_free(snap);
	ksyms_module_set_free(&snap->modules);
	ksyms_pseudo_free(snap->pseudo);
	ksyms_vfree(snap->image);
	ksyms_kfree(snap);
}

static void ksyms_snapshot_release(struct kref *ref)
{
	struct ksyms_snapshot *snap =
		container_of(ref, struct ksyms_snapshot, ref);

	spin_lock(&ksyms_live_lock);
	list_del(&snap->live);
	spin_unlock(&ksyms_live_lock);
	ksyms_stat_sub(snapshot_bytes, ksyms_snapshot_bytes(snap));
	ksyms_stat_dec(snapshots);
	ksyms_snapshot_free(snap);
}

/**
 * ksyms_snapshot_track - start the life of a snapshot just built
 * @snap: the snapshot, its image and everything it holds complete
 *
 * Gives @snap its first reference and counts it among the snapshots
 * ksyms_snapshot_largest() sees, until ksyms_snapshot_put() drops the
 * last reference.
 */
void ksyms_snapshot_track(struct ksyms_snapshot *snap)
{
	kref_init(&snap->ref);
	spin_lock(&ksyms_live_lock);
	list_add(&snap->live, &ksyms_live);
	spin_unlock(&ksyms_live_lock);
	ksyms_stat_add(snapshot_bytes, ksyms_snapshot_bytes(snap));
	ksyms_stat_inc(snapshots);
}

/**
 * ksyms_snapshot_put - drop a reference to a snapshot
 * @snap: the snapshot
 *
 * The last reference frees it, its image and its name index.
 *
 * Context: process context: freeing the image may sleep.
 */
void ksyms_snapshot_put(struct ksyms_snapshot *snap)
{
	kref_put(&snap->ref, ksyms_snapshot_release);
}

/**
 * ksyms_snapshot_largest - the largest image of any snapshot not yet freed
 *
 * Return: its size in bytes, without the page padding; 0 if there is no
 * snapshot.  A snapshot freed meanwhile may still be counted.
 */
u64 ksyms_snapshot_largest(void)
{
	struct ksyms_snapshot *snap;
	u64 size = 0;

	spin_lock(&ksyms_live_lock);
	list_for_each_entry(snap, &ksyms_live, live)
		size = max(size, snap->size);
	spin_unlock(&ksyms_live_lock);
	return size;
}

static struct ksyms_names *ksyms_snapshot_names_build(struct ksyms_snapshot *snap)
{
	struct ksyms_elf_tables tables;
	struct ksyms_names *names;
	u64 bytes;
	int err;

	err = ksyms_elf_find_tables(snap->image, snap->size, &tables);
	if (WARN_ON_ONCE(err))	/* the driver wrote the image itself */
		return ERR_PTR(err);
	bytes = ksyms_names_bytes(tables.nr_syms);
	if (!bytes)
		return ERR_PTR(-ENOMEM);
	names = ksyms_kvmalloc_array(1, sizeof(*names) + bytes);
	if (!names)
		return ERR_PTR(-ENOMEM);
	err = ksyms_names_build(names, names + 1, tables.syms, tables.nr_syms,
				tables.strtab, tables.strtab_size);
	if (WARN_ON_ONCE(err)) {
		ksyms_kvfree(names);
		return ERR_PTR(err);
	}
	ksyms_stat_add(names_bytes, bytes);
	ksyms_stat_inc(names_builds);
	return names;
}

/**
 * ksyms_snapshot_names - the name index of a snapshot
 * @snap: the snapshot, held by the caller
 *
 * Builds the index at the first call for @snap, under a mutex that only
 * index builds take; later calls take no lock.  The index is never
 * changed once published, and lives as long as @snap.
 *
 * Return: the index, or an ERR_PTR: -EINTR if a fatal signal came while
 * waiting for another build, -ENOMEM.
 */
const struct ksyms_names *ksyms_snapshot_names(struct ksyms_snapshot *snap)
{
	/* Pairs with the release below: a published index is complete. */
	struct ksyms_names *names = smp_load_acquire(&snap->names);

	if (names)
		return names;
	if (mutex_lock_killable(&ksyms_names_mutex))
		return ERR_PTR(-EINTR);
	names = snap->names;
	if (!names) {
		names = ksyms_snapshot_names_build(snap);
		if (!IS_ERR(names)) {
			/* Pairs with the acquire above: publish it built. */
			smp_store_release(&snap->names, names);
		}
	}
	mutex_unlock(&ksyms_names_mutex);
	return names;
}
