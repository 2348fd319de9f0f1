// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots: vmlinux's table (read once: it never changes after boot)
 * followed by every module's symbols as they are now, then what kallsyms
 * lists after the modules (BPF programs and trampolines, ksyms_pseudo.h).
 *
 * One snapshot is cached and handed to every open until the module
 * generation moves or the lines after the modules change, which every
 * open reads again; ksyms_snapshot_mutex serialises only /dev/ksyms
 * opens, never module load or unload.  What an open builds or loads is
 * kept only if the open gets its snapshot, so a failed open leaves the
 * cache as it found it.  A build that sees modules change under it tries
 * again, three times in all, then gives up with ENXIO, as FreeBSD does.
 *
 * The cache (the snapshot and the vmlinux table) can be given back at any
 * time between opens, under memory pressure or when idle (ksyms_reclaim.c);
 * the next open rebuilds it at a cold open's cost.
 */
#include <linux/elf.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "ksyms_debug.h"
#include "ksyms_elf.h"
#include "ksyms_vmlinux.h"
#include "ksyms_lookup.h"
#include "ksyms_modules.h"
#include "ksyms_pseudo.h"
#include "ksyms_snapshot.h"

#define KSYMS_SNAPSHOT_TRIES	3

static DEFINE_MUTEX(ksyms_snapshot_mutex);
/* Both under ksyms_snapshot_mutex. */
static struct ksyms_snapshot *ksyms_cached;
static struct ksyms_vmlinux *ksyms_vmlinux;
/* What the cache holds, for the shrinker to read without the mutex. */
static atomic_long_t ksyms_cache_pages = ATOMIC_LONG_INIT(0);
/* Every snapshot not yet freed, cached or held by a descriptor or mapping. */
static LIST_HEAD(ksyms_live);
static DEFINE_SPINLOCK(ksyms_live_lock);

static unsigned long ksyms_snapshot_bytes(const struct ksyms_snapshot *snap)
{
	return snap->nr_pages << PAGE_SHIFT;
}

static void ksyms_snapshot_free(struct ksyms_snapshot *snap)
{
	ksyms_lookup_release(snap);
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
	atomic_long_sub(ksyms_snapshot_bytes(snap),
			&ksyms_stats.snapshot_bytes);
	atomic_long_dec(&ksyms_stats.snapshots);
	ksyms_snapshot_free(snap);
}

void ksyms_snapshot_put(struct ksyms_snapshot *snap)
{
	kref_put(&snap->ref, ksyms_snapshot_release);
}

static void ksyms_layout_add(struct ksyms_elf_layout *layout,
			     const struct ksyms_vmlinux *vml,
			     const struct ksyms_module_set *mods,
			     const struct ksyms_pseudo *pseudo)
{
	const struct ksyms_elf_layout *tail = &pseudo->needs;

	memset(layout, 0, sizeof(*layout));
	layout->nr_locals = 1 + vml->nr_locals + mods->nr_locals +
			    tail->nr_locals;
	layout->nr_globals = vml->nr_globals + mods->nr_globals +
			     tail->nr_globals;
	layout->strtab_size = 1 + vml->strtab_size + mods->strtab_size +
			      tail->strtab_size;
	layout->nr_objects = 1 + mods->nr + tail->nr_objects;
	layout->build_ids_size =
		ksyms_elf_build_id_note_size(vml->build_id.size) +
		mods->build_ids_size;
	layout->nr_sections = vml->nr_sections + mods->nr_sections +
			      tail->nr_sections;
	layout->zero_size = max3(vml->zero_size, mods->zero_size,
				 tail->zero_size);
	layout->nobits_size = max3(vml->nobits_size, mods->nobits_size,
				   tail->nobits_size);
}

/* The lines after @mods, read and parsed. */
static int ksyms_pseudo_load(const struct ksyms_module_set *mods,
			     struct ksyms_pseudo **out)
{
	struct ksyms_pseudo *pseudo;
	int err = ksyms_pseudo_read(mods->kallsyms_positions, &pseudo);

	if (err)
		return err;
	err = ksyms_pseudo_parse(pseudo);
	if (err) {
		ksyms_pseudo_free(pseudo);
		return err;
	}
	*out = pseudo;
	return 0;
}

/* vmlinux: the image's first object. */
static int ksyms_vmlinux_write(struct ksyms_elf_cursor *at,
			       const struct ksyms_vmlinux *vml)
{
	struct ksyms_object *obj = ksyms_elf_object_begin(at, "vmlinux");
	int err;

	if (!obj)
		return -ENOSPC;
	err = ksyms_elf_cursor_add_object(at, vml->syms, vml->nr_locals,
					  vml->syms + vml->nr_locals,
					  vml->nr_globals, vml->strtab,
					  vml->strtab_size, vml->letters,
					  vml->order);
	if (err)
		return err;
	return ksyms_elf_object_end(at, obj, vml->sections, vml->nr_sections,
				    vml->build_id.bytes, vml->build_id.size);
}

/* What the next build may copy from @snap. */
static void ksyms_snapshot_source(const struct ksyms_snapshot *snap,
				  struct ksyms_module_source *src)
{
	src->set = &snap->modules;
	src->image.image = snap->image;
	src->image.layout = &snap->layout;
	src->generation = snap->generation;
}

/* One attempt; -EAGAIN when modules changed while it ran. */
static int ksyms_snapshot_try(const struct ksyms_vmlinux *vml,
			      struct ksyms_snapshot *snap)
{
	struct ksyms_module_source cached, *prev = NULL;
	struct ksyms_module_set mods;
	struct ksyms_elf_layout *layout = &snap->layout;
	struct ksyms_elf_cursor at;
	u64 size;
	int err;

	if (ksyms_cached) {
		ksyms_snapshot_source(ksyms_cached, &cached);
		prev = &cached;
	}
	snap->generation = ksyms_modules_generation();
	err = ksyms_modules_measure(&mods, prev);
	if (err)
		goto out;
	err = ksyms_pseudo_load(&mods, &snap->pseudo);
	if (err)
		goto out;
	ksyms_layout_add(layout, vml, &mods, snap->pseudo);
	size = ksyms_elf_image_size(layout);
	if (!size || size > SIZE_MAX - PAGE_SIZE) {
		err = -ENOMEM;
		goto out;
	}
	snap->image = ksyms_vmalloc_user(PAGE_ALIGN(size));
	if (!snap->image) {
		err = -ENOMEM;
		goto out;
	}
	snap->size = size;
	snap->nr_pages = PAGE_ALIGN(size) >> PAGE_SHIFT;

	ksyms_elf_write_headers(snap->image, layout, ELF_ARCH, ELF_DATA);
	ksyms_elf_cursor_init(&at, snap->image, layout);
	err = ksyms_vmlinux_write(&at, vml);
	if (!err)
		err = ksyms_modules_write(&mods, prev, &at);
	if (!err)
		err = ksyms_pseudo_write(snap->pseudo, &at);
	if (!err && (!ksyms_elf_writer_complete(&at.w) ||
		     snap->generation != ksyms_modules_generation() ||
		     ksyms_inject_inconsistency()))
		err = -EAGAIN;
	if (err) {
		ksyms_vfree(snap->image);
		snap->image = NULL;
	}
out:
	if (err) {
		ksyms_module_set_free(&mods);
		ksyms_pseudo_free(snap->pseudo);
		snap->pseudo = NULL;
	} else {
		snap->modules = mods;
	}
	return err;
}

static int ksyms_snapshot_build(const struct ksyms_vmlinux *vml,
				struct ksyms_snapshot **out)
{
	struct ksyms_snapshot *snap;
	int tries, err = -EAGAIN;

	snap = ksyms_kzalloc(sizeof(*snap));
	if (!snap)
		return -ENOMEM;
	for (tries = 0; tries < KSYMS_SNAPSHOT_TRIES && err == -EAGAIN; tries++)
		err = ksyms_snapshot_try(vml, snap);
	if (err) {
		ksyms_kfree(snap);
		return err == -EAGAIN ? -ENXIO : err;
	}
	kref_init(&snap->ref);
	spin_lock(&ksyms_live_lock);
	list_add(&snap->live, &ksyms_live);
	spin_unlock(&ksyms_live_lock);
	atomic_long_add(ksyms_snapshot_bytes(snap), &ksyms_stats.snapshot_bytes);
	atomic_long_inc(&ksyms_stats.snapshots);
	atomic_long_inc(&ksyms_stats.snapshot_builds);
	ksyms_modules_account(&snap->modules);
	*out = snap;
	return 0;
}

/*
 * do_init_module() sends MODULE_STATE_LIVE before it switches the module
 * to its core table and frees the __init symbols, and sends nothing after:
 * a snapshot built in between is never reused.
 */
static bool ksyms_cache_modules_current(void)
{
	return ksyms_cached && !ksyms_cached->modules.init_tables &&
	       ksyms_cached->generation == ksyms_modules_generation();
}

/*
 * Whether the cached snapshot still shows every object: its modules, and
 * the lines after them, read again; -errno if they cannot be read.
 */
static int ksyms_cache_is_current(void)
{
	struct ksyms_pseudo *now;
	bool same;
	int err;

	if (!ksyms_cache_modules_current())
		return 0;
	err = ksyms_pseudo_read(ksyms_cached->modules.kallsyms_positions, &now);
	if (err)
		return err;
	same = ksyms_pseudo_equal(now, ksyms_cached->pseudo);
	ksyms_pseudo_free(now);
	return same;
}

static unsigned long ksyms_vmlinux_pages(u64 vmlinux_bytes)
{
	return PAGE_ALIGN(vmlinux_bytes) >> PAGE_SHIFT;
}

/* Caller holds ksyms_snapshot_mutex; after the cache changed. */
static void ksyms_cache_account(void)
{
	u64 vmlinux_bytes = ksyms_vmlinux ? ksyms_vmlinux_bytes(ksyms_vmlinux) : 0;
	unsigned long pages = ksyms_vmlinux_pages(vmlinux_bytes);

	if (ksyms_cached)
		pages += ksyms_cached->nr_pages;
	atomic_long_set(&ksyms_cache_pages, pages);
	atomic_long_set(&ksyms_stats.vmlinux_bytes, vmlinux_bytes);
}

static void ksyms_cache_replace(struct ksyms_snapshot *snap)
{
	kref_get(&snap->ref);
	if (ksyms_cached)
		ksyms_snapshot_put(ksyms_cached);
	ksyms_cached = snap;
}

/*
 * Caller holds ksyms_snapshot_mutex.  Returns the pages this gave back:
 * the snapshot's only if no descriptor still holds it.
 */
static unsigned long ksyms_cache_clear(void)
{
	unsigned long freed = 0;

	if (ksyms_cached) {
		if (kref_read(&ksyms_cached->ref) == 1)
			freed += ksyms_cached->nr_pages;
		ksyms_snapshot_put(ksyms_cached);
		ksyms_cached = NULL;
	}
	if (ksyms_vmlinux) {
		freed += ksyms_vmlinux_pages(ksyms_vmlinux_bytes(ksyms_vmlinux));
		ksyms_vmlinux_free(ksyms_vmlinux);
		ksyms_vmlinux = NULL;
	}
	ksyms_cache_account();
	return freed;
}

struct ksyms_snapshot *ksyms_snapshot_get(void)
{
	struct ksyms_vmlinux *loaded = NULL;
	struct ksyms_snapshot *snap;
	bool built = false;
	int err;

	if (mutex_lock_killable(&ksyms_snapshot_mutex))
		return ERR_PTR(-EINTR);
	if (!ksyms_vmlinux) {
		err = ksyms_vmlinux_load(&loaded);
		if (err)
			goto out;
		ksyms_vmlinux = loaded;
	}
	err = ksyms_cache_is_current();
	if (err < 0)
		goto undo;
	if (err) {
		snap = ksyms_cached;
		kref_get(&snap->ref);
	} else {
		err = ksyms_snapshot_build(ksyms_vmlinux, &snap);
		if (err)
			goto undo;
		built = true;
		ksyms_cache_replace(snap);
	}
	/* A warm open changed nothing the shrinker counts. */
	if (built || loaded)
		ksyms_cache_account();
	mutex_unlock(&ksyms_snapshot_mutex);
	return snap;

undo:
	if (loaded) {
		ksyms_vmlinux_free(loaded);
		ksyms_vmlinux = NULL;
	}
out:
	mutex_unlock(&ksyms_snapshot_mutex);
	return ERR_PTR(err);
}

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

unsigned long ksyms_snapshot_cache_pages(void)
{
	return atomic_long_read(&ksyms_cache_pages);
}

long ksyms_snapshot_drop_cache(bool wait)
{
	unsigned long freed;

	if (wait)
		mutex_lock(&ksyms_snapshot_mutex);
	else if (!mutex_trylock(&ksyms_snapshot_mutex))
		return -EBUSY;
	freed = ksyms_cache_clear();
	mutex_unlock(&ksyms_snapshot_mutex);
	return freed;
}

void ksyms_snapshot_exit(void)
{
	ksyms_snapshot_drop_cache(true);
}
