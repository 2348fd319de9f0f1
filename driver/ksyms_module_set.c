// SPDX-License-Identifier: GPL-2.0-only
/*
 * The loaded modules as one snapshot holds them: measured first, then
 * written into the image at exactly the size measured.  Each module's
 * object is read from its symbol table, or copied from the last image
 * when that image holds the same table and no module notification has
 * been about the module since.  Both passes read the module list under
 * RCU; the second fails with -EAGAIN if it differs from the first.
 */
#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "ksyms_buildid.h"
#include "ksyms_debug.h"
#include "ksyms_elf.h"
#include "ksyms_module_set.h"
#include "ksyms_module_sizes.h"
#include "ksyms_module_symbols.h"
#include "ksyms_modules.h"

#define KSYMS_MODULES_INITIAL	64
/* Addresses a module's size index first has room for. */
#define KSYMS_SIZES_INITIAL	4096
/* Bounds the resizing loop when modules keep arriving. */
#define KSYMS_MODULES_RESIZES	4

/* Room to size the symbols of a module of up to @cap symbols. */
static int ksyms_module_set_sizes_alloc(struct ksyms_module_sizes *sizes,
					unsigned int cap)
{
	memset(sizes, 0, sizeof(*sizes));
	sizes->cap = max(cap, 1U);
	sizes->values = ksyms_kvmalloc_array(sizes->cap,
					     sizeof(*sizes->values));
	return sizes->values ? 0 : -ENOMEM;
}

static void ksyms_module_set_sizes_free(struct ksyms_module_sizes *sizes)
{
	ksyms_kvfree(sizes->values);
	sizes->values = NULL;
}

static bool ksyms_module_unchanged(const struct ksyms_module_view *then,
				   const struct ksyms_module_view *now)
{
	return then->mod == now->mod && then->kallsyms == now->kallsyms &&
	       then->num_symtab == now->num_symtab;
}

/*
 * The object of @prev's image to copy @now's module from, looking at and
 * after @prev's view *@from: the view must have seen the same table, with
 * its build ID read, and nothing may have happened to the module since.
 * Else KSYMS_MODULE_FRESH.  Both sets are in load order, so one pass over
 * @prev finds them all.
 */
static u64 ksyms_module_copy_from(const struct ksyms_module_source *prev,
				  const struct ksyms_module_view *now,
				  unsigned int *from)
{
	unsigned int k;

	if (!prev)
		return KSYMS_MODULE_FRESH;
	for (k = *from; k < prev->set->nr; k++)
		if (ksyms_module_unchanged(&prev->set->views[k], now))
			break;
	/* A build ID that could not be read is tried again. */
	if (k == prev->set->nr || !prev->set->views[k].build_id.settled ||
	    ksyms_module_touched_since(now->mod, prev->generation))
		return KSYMS_MODULE_FRESH;
	*from = k + 1;
	return k + 1;	/* object 0 is vmlinux */
}

static void ksyms_module_set_add(struct ksyms_module_set *set,
				 struct ksyms_module_view *view,
				 const struct ksyms_elf_layout *needs)
{
	view->nr_sections = needs->nr_sections;
	set->max_sections = max(set->max_sections, needs->nr_sections);
	set->nr_locals += needs->nr_locals;
	set->nr_globals += needs->nr_globals;
	set->strtab_size += needs->strtab_size;
	set->nr_sections += needs->nr_sections;
	set->zero_size = max(set->zero_size, needs->zero_size);
	set->nobits_size = max(set->nobits_size, needs->nobits_size);
	set->build_ids_size += needs->build_ids_size;
}

/*
 * Decides, for each module of @set, whether its object is copied from
 * @prev's image, build ID and all, or read from its table, and counts
 * what it needs.  False, with set->max_symtab saying how much, when a
 * module has more symbols than @sizes has room for: all are looked at
 * first, so one more try with that much room is enough.  Caller holds
 * rcu_read_lock().
 */
static bool ksyms_module_set_plan(struct ksyms_module_set *set,
				  const struct ksyms_module_source *prev,
				  struct ksyms_module_sizes *sizes)
{
	unsigned int i, from = 0;

	for (i = 0; i < set->nr; i++) {
		ksyms_module_view_fill(&set->views[i]);
		set->max_symtab = max(set->max_symtab,
				      set->views[i].num_symtab);
	}
	if (set->max_symtab > sizes->cap)
		return false;
	for (i = 0; i < set->nr; i++) {
		struct ksyms_module_view *view = &set->views[i];
		struct ksyms_elf_layout needs;

		set->kallsyms_positions += view->num_symtab;
		set->init_tables |= view->kallsyms != &view->mod->core_kallsyms;
		view->copy_from = ksyms_module_copy_from(prev, view, &from);
		if (view->copy_from != KSYMS_MODULE_FRESH) {
			view->build_id =
				prev->set->views[view->copy_from - 1].build_id;
			ksyms_elf_object_needs(&prev->image, view->copy_from,
					       &needs);
		} else {
			ksyms_module_count(view, sizes, &needs);
		}
		ksyms_module_set_add(set, view, &needs);
	}
	return true;
}

/* Build IDs of the modules read fresh, from sysfs. */
static int ksyms_module_set_build_ids(struct ksyms_module_set *set)
{
	unsigned int i;
	int err;

	for (i = 0; i < set->nr; i++) {
		struct ksyms_module_view *view = &set->views[i];

		if (view->copy_from != KSYMS_MODULE_FRESH)
			continue;
		err = ksyms_build_id_module(view->name, &view->build_id);
		if (err)
			return err;
		set->build_ids_size +=
			ksyms_elf_build_id_note_size(view->build_id.size);
	}
	return 0;
}

/**
 * ksyms_module_set_measure - see which modules are loaded and what they need
 * @set: filled with the modules, in load order, and what they need
 * @prev: the snapshot to copy unchanged modules from, or NULL
 *
 * Modules @prev saw and that have not changed since are to be copied from
 * its image, build ID and all; the others are measured from their symbol
 * tables, their build IDs read from sysfs.  Reads the module list under
 * rcu_read_lock(), and the build IDs after it, so may sleep.
 *
 * Return: 0; -EAGAIN if modules kept arriving while the list was read;
 * -ENOMEM.  On failure @set holds nothing to free.
 */
int ksyms_module_set_measure(struct ksyms_module_set *set,
			     const struct ksyms_module_source *prev)
{
	unsigned int cap = KSYMS_MODULES_INITIAL, nr;
	unsigned int symtab_cap = KSYMS_SIZES_INITIAL;
	struct ksyms_module_sizes sizes;
	bool fits = false;
	int resizes;

	for (resizes = 0; resizes < KSYMS_MODULES_RESIZES; resizes++) {
		memset(set, 0, sizeof(*set));
		set->views = ksyms_kvmalloc_array(cap, sizeof(*set->views));
		if (!set->views)
			return -ENOMEM;
		if (ksyms_module_set_sizes_alloc(&sizes, symtab_cap)) {
			ksyms_module_set_free(set);
			return -ENOMEM;
		}
		rcu_read_lock();
		nr = ksyms_modules_collect(set->views, cap,
					   &set->kallsyms_positions);
		if (nr <= cap) {
			set->nr = nr;
			fits = ksyms_module_set_plan(set, prev, &sizes);
		}
		rcu_read_unlock();
		ksyms_module_set_sizes_free(&sizes);
		if (nr <= cap && fits)
			return ksyms_module_set_build_ids(set);
		/*
		 * More modules, or a module with more symbols, than room:
		 * grow outside RCU and look again.
		 */
		cap = max(cap, nr + KSYMS_MODULES_INITIAL);
		symtab_cap = max(symtab_cap, set->max_symtab);
		ksyms_module_set_free(set);
	}
	return -EAGAIN;
}

/**
 * ksyms_module_set_write - write the modules' objects
 * @set: the modules, as ksyms_module_set_measure() measured them
 * @prev: what it measured them against
 * @at: where the image is being written
 *
 * Appends the symbols, typed sections, object records and build IDs of
 * @set, copying from @prev's image what the measure said to.  Reads the
 * module list and tables again under rcu_read_lock().
 *
 * Return: 0; -EAGAIN if any module changed since it was measured;
 * -ENOMEM.
 */
int ksyms_module_set_write(const struct ksyms_module_set *set,
			   const struct ksyms_module_source *prev,
			   struct ksyms_elf_cursor *at)
{
	struct ksyms_typed_section *secs;
	struct ksyms_module_view *now;
	const struct ksyms_module_view *view;
	struct ksyms_module_sizes sizes;
	unsigned int cap = set->nr + 1, nr, i;
	int err = 0;

	now = ksyms_kvmalloc_array(cap, sizeof(*now));
	secs = ksyms_kvmalloc_array(max_t(u64, set->max_sections, 1),
				    sizeof(*secs));
	if (!now || !secs ||
	    ksyms_module_set_sizes_alloc(&sizes, set->max_symtab)) {
		ksyms_kvfree(secs);
		ksyms_kvfree(now);
		return -ENOMEM;
	}
	rcu_read_lock();
	nr = ksyms_modules_collect(now, cap, NULL);
	if (nr != set->nr)
		err = -EAGAIN;
	for (i = 0; i < nr && !err; i++) {
		view = &set->views[i];
		ksyms_module_view_fill(&now[i]);
		if (!ksyms_module_unchanged(view, &now[i]))
			err = -EAGAIN;
		else if (view->copy_from != KSYMS_MODULE_FRESH)
			err = ksyms_elf_cursor_copy_object(at, &prev->image,
							   view->copy_from);
		else
			err = ksyms_module_copy(at, view, now[i].kallsyms,
						&sizes, secs);
	}
	rcu_read_unlock();
	ksyms_module_set_sizes_free(&sizes);
	ksyms_kvfree(secs);
	ksyms_kvfree(now);
	/* Room ran out: something grew that the notifier has not told yet. */
	return err == -ENOSPC ? -EAGAIN : err;
}

/**
 * ksyms_module_set_account - count how a snapshot got its modules
 * @set: the modules of a snapshot just built
 *
 * Adds to the debugfs stats the modules read from their tables and those
 * copied from the last image.
 */
void ksyms_module_set_account(const struct ksyms_module_set *set)
{
	unsigned int i, copied = 0;

	for (i = 0; i < set->nr; i++)
		copied += set->views[i].copy_from != KSYMS_MODULE_FRESH;
	ksyms_stat_add(modules_copied, copied);
	ksyms_stat_add(modules_read, set->nr - copied);
}

/**
 * ksyms_module_set_free - free what a module set holds
 * @set: the set; it may be freed again
 */
void ksyms_module_set_free(struct ksyms_module_set *set)
{
	ksyms_kvfree(set->views);
	set->views = NULL;
}
