// SPDX-License-Identifier: GPL-2.0-only
/*
 * The snapshot cache: the last snapshot built, handed to every open until
 * the module generation moves or the lines after the modules change,
 * which every open reads again, and the vmlinux table the next build
 * starts from.  ksyms_cache_mutex serialises only /dev/ksyms opens, never
 * module load or unload.  What an open builds or loads is kept only if the
 * open gets its snapshot, so a failed open leaves the cache as it found
 * it.
 *
 * The cache can be given back at any time between opens, under memory
 * pressure or when idle.  The vmlinux table's kept form is not: it is
 * what lets the next open rebuild the table without reading
 * /proc/kallsyms again (ksyms_vmlinux_keep.h), and it goes only with the
 * module.
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/mutex.h>

#include "ksyms_build.h"
#include "ksyms_cache.h"
#include "ksyms_debug.h"
#include "ksyms_modules.h"
#include "ksyms_pseudo.h"
#include "ksyms_snapshot.h"
#include "ksyms_vmlinux.h"
#include "ksyms_vmlinux_keep.h"

static DEFINE_MUTEX(ksyms_cache_mutex);
/* Both under ksyms_cache_mutex. */
static struct ksyms_snapshot *ksyms_cached;
static struct ksyms_vmlinux *ksyms_vmlinux;
static struct ksyms_vmlinux_kept *ksyms_kept;
/* What the cache holds, for the shrinker to read without the mutex. */
static atomic_long_t ksyms_cache_held_pages = ATOMIC_LONG_INIT(0);

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

/* Caller holds ksyms_cache_mutex; after the cache changed. */
static void ksyms_cache_account(void)
{
	u64 vmlinux_bytes = ksyms_vmlinux ? ksyms_vmlinux_bytes(ksyms_vmlinux) : 0;
	unsigned long pages = ksyms_vmlinux_pages(vmlinux_bytes);

	if (ksyms_cached)
		pages += ksyms_cached->nr_pages;
	atomic_long_set(&ksyms_cache_held_pages, pages);
	ksyms_stat_set(vmlinux_bytes, vmlinux_bytes);
}

static void ksyms_cache_replace(struct ksyms_snapshot *snap)
{
	kref_get(&snap->ref);
	if (ksyms_cached)
		ksyms_snapshot_put(ksyms_cached);
	ksyms_cached = snap;
}

/*
 * Caller holds ksyms_cache_mutex.  Returns the pages this gave back:
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

/* Frees the kept form; the caller holds ksyms_cache_mutex, or no open can run. */
static void ksyms_cache_forget_kept(void)
{
	ksyms_vmlinux_kept_free(ksyms_kept);
	ksyms_kept = NULL;
	ksyms_stat_set(vmlinux_kept_bytes, 0);
}

/*
 * Caller holds ksyms_cache_mutex and the cache has no vmlinux table: makes
 * one from the kept form, or reads it and makes the kept form, which is
 * then *@made for the caller to keep once the open succeeds.
 */
static int ksyms_cache_load_vmlinux(struct ksyms_vmlinux **loaded,
				    struct ksyms_vmlinux_kept **made)
{
	int err;

	if (ksyms_kept && ksyms_inject_forget_kept())
		ksyms_cache_forget_kept();
	if (ksyms_kept)
		return ksyms_vmlinux_restore(ksyms_kept, loaded);
	err = ksyms_vmlinux_load(loaded);
	if (err)
		return err;
	err = ksyms_vmlinux_keep(*loaded, made);
	if (err) {
		ksyms_vmlinux_free(*loaded);
		*loaded = NULL;
	}
	return err;
}

/**
 * ksyms_cache_get - the snapshot an open is to show
 *
 * The cached snapshot if every object is as it was when it was built,
 * else a new one, which replaces it in the cache.  Makes vmlinux's table
 * first if the cache gave it back.  Holds ksyms_cache_mutex throughout,
 * so one open at a time reads or builds.
 *
 * Return: the snapshot, with a reference for the caller to drop with
 * ksyms_snapshot_put(); or an ERR_PTR (-EINTR on a fatal signal while
 * waiting, or what loading or building returned), the cache then as it
 * was.
 */
struct ksyms_snapshot *ksyms_cache_get(void)
{
	struct ksyms_vmlinux *loaded = NULL;
	struct ksyms_vmlinux_kept *made = NULL;
	struct ksyms_snapshot *snap;
	bool built = false;
	int err;

	if (mutex_lock_killable(&ksyms_cache_mutex))
		return ERR_PTR(-EINTR);
	if (!ksyms_vmlinux) {
		err = ksyms_cache_load_vmlinux(&loaded, &made);
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
		snap = ksyms_build_snapshot(ksyms_vmlinux, ksyms_cached);
		if (IS_ERR(snap)) {
			err = PTR_ERR(snap);
			goto undo;
		}
		built = true;
		ksyms_cache_replace(snap);
	}
	if (made) {
		ksyms_kept = made;
		ksyms_stat_set(vmlinux_kept_bytes,
			       ksyms_vmlinux_kept_bytes(made));
	}
	/* A warm open changed nothing the shrinker counts. */
	if (built || loaded)
		ksyms_cache_account();
	mutex_unlock(&ksyms_cache_mutex);
	return snap;

undo:
	if (loaded) {
		ksyms_vmlinux_free(loaded);
		ksyms_vmlinux = NULL;
	}
	ksyms_vmlinux_kept_free(made);
out:
	mutex_unlock(&ksyms_cache_mutex);
	return ERR_PTR(err);
}

/**
 * ksyms_cache_pages - the pages the cache holds
 *
 * The cached snapshot's image and vmlinux's table, as of the last change
 * to the cache: what ksyms_cache_drop() can give back, so not the kept
 * form.  Takes no lock, for the shrinker.
 *
 * Return: the number of pages.
 */
unsigned long ksyms_cache_pages(void)
{
	return atomic_long_read(&ksyms_cache_held_pages);
}

/**
 * ksyms_cache_drop - give the cache back
 * @wait: wait for an open that holds ksyms_cache_mutex, else give up
 *
 * Drops the cached snapshot and vmlinux's table; descriptors keep their
 * own snapshot, and the next open rebuilds the cache.
 *
 * Return: the pages given back (the snapshot's only if no descriptor
 * still holds it), or -EBUSY if !@wait and an open holds the mutex.
 */
long ksyms_cache_drop(bool wait)
{
	unsigned long freed;

	if (wait)
		mutex_lock(&ksyms_cache_mutex);
	else if (!mutex_trylock(&ksyms_cache_mutex))
		return -EBUSY;
	freed = ksyms_cache_clear();
	mutex_unlock(&ksyms_cache_mutex);
	return freed;
}

/**
 * ksyms_cache_exit - give back the cache and the kept form
 *
 * At module exit, when no open can run again.
 */
void ksyms_cache_exit(void)
{
	ksyms_cache_drop(true);
	ksyms_cache_forget_kept();
}
