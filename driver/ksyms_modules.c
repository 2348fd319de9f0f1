// SPDX-License-Identifier: GPL-2.0
/*
 * Loaded modules and their symbol tables, read without blocking module
 * load or unload.
 *
 * The module list and its mutex are not exported.  The module kset is
 * reachable through THIS_MODULE, and lists every module's kobject in the
 * order the modules were loaded.  free_module() removes a module's kobject
 * from the kset, then calls synchronize_rcu() before it frees the module:
 * a module seen in the kset inside an RCU read-side critical section stays
 * valid until that section ends.  mod->kallsyms is RCU-managed too (the
 * init-time table is freed after a grace period once the module is live).
 *
 * The driver takes no module reference (that would make a racing rmmod
 * fail) and holds the kset's list_lock only to copy out pointers.  A
 * generation count, bumped by the module notifier, tells a snapshot
 * whether anything changed while it was being copied.
 *
 * A module joins the kset after its COMING notification: a snapshot built
 * in between lacks it, and is rebuilt at the next open after the module's
 * LIVE notification.
 */
#include <linux/atomic.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "ksyms_debug.h"
#include "ksyms_modules.h"

#define KSYMS_MODULES_INITIAL	64
/* Bounds the resizing loop when modules keep arriving. */
#define KSYMS_MODULES_RESIZES	4

static atomic64_t ksyms_generation = ATOMIC64_INIT(0);

static int ksyms_module_event(struct notifier_block *nb, unsigned long state,
			      void *data)
{
	/* Never fail this: an error from COMING aborts the module's load. */
	atomic64_inc(&ksyms_generation);
	return NOTIFY_DONE;
}

static struct notifier_block ksyms_module_nb = {
	.notifier_call = ksyms_module_event,
};

u64 ksyms_modules_generation(void)
{
	return atomic64_read(&ksyms_generation);
}

int ksyms_modules_init(void)
{
	return register_module_notifier(&ksyms_module_nb);
}

void ksyms_modules_exit(void)
{
	unregister_module_notifier(&ksyms_module_nb);
}

static bool ksyms_module_listed(const struct module *mod)
{
	enum module_state state = READ_ONCE(mod->state);

	/* A GOING module may linger in the kset; its symbols are leaving. */
	return state == MODULE_STATE_COMING || state == MODULE_STATE_LIVE;
}

/*
 * Records up to @cap modules, in load order, and returns how many there
 * are.  Caller holds rcu_read_lock().
 */
static unsigned int ksyms_modules_collect(struct ksyms_module_view *views,
					  unsigned int cap)
{
	struct kset *kset = THIS_MODULE->mkobj.kobj.kset;
	const struct kobj_type *ktype = THIS_MODULE->mkobj.kobj.ktype;
	struct kobject *kobj;
	unsigned int nr = 0;

	spin_lock(&kset->list_lock);
	list_for_each_entry(kobj, &kset->list, entry) {
		struct module *mod;

		if (kobj->ktype != ktype)
			continue;
		/* Built-in code with parameters has a kobject and no module. */
		mod = container_of(kobj, struct module_kobject, kobj)->mod;
		if (!mod || !ksyms_module_listed(mod))
			continue;
		if (nr < cap)
			views[nr].mod = mod;
		nr++;
	}
	spin_unlock(&kset->list_lock);
	return nr;
}

static const char *ksyms_module_name(const struct mod_kallsyms *ks,
				     unsigned int i)
{
	return ks->strtab + ks->symtab[i].st_name;
}

/* Caller holds rcu_read_lock() and has preemption disabled. */
static void ksyms_module_count(struct ksyms_module_set *set,
			       const struct mod_kallsyms *ks)
{
	unsigned int i;

	/* Index 0 is the null symbol; /proc/kallsyms skips empty names. */
	for (i = 1; i < ks->num_symtab; i++) {
		const char *name = ksyms_module_name(ks, i);

		if (!name[0])
			continue;
		if (ksyms_elf_is_local(&ks->symtab[i]))
			set->nr_locals++;
		else
			set->nr_globals++;
		set->strtab_size += strlen(name) + 1;
	}
}

static int ksyms_module_copy(struct ksyms_elf_writer *w,
			     const struct mod_kallsyms *ks)
{
	unsigned int i;
	int err;

	for (i = 1; i < ks->num_symtab; i++) {
		const char *name = ksyms_module_name(ks, i);
		Elf64_Sym sym = ks->symtab[i];

		if (!name[0])
			continue;
		/* Values are final run-time addresses; see ksyms_nm_to_sym(). */
		sym.st_shndx = SHN_ABS;
		err = ksyms_elf_add(w, &sym, name, strlen(name));
		if (err)
			return err;
	}
	return 0;
}

static struct mod_kallsyms *ksyms_module_kallsyms(struct module *mod)
{
	return rcu_dereference_sched(mod->kallsyms);
}

/* Caller holds rcu_read_lock() and has preemption disabled. */
static void ksyms_module_view_fill(struct ksyms_module_view *view)
{
	view->kallsyms = ksyms_module_kallsyms(view->mod);
	view->num_symtab = view->kallsyms->num_symtab;
}

int ksyms_modules_measure(struct ksyms_module_set *set)
{
	unsigned int cap = KSYMS_MODULES_INITIAL, nr, i;
	int resizes;

	memset(set, 0, sizeof(*set));
	for (resizes = 0; resizes < KSYMS_MODULES_RESIZES; resizes++) {
		set->views = ksyms_kvmalloc_array(cap, sizeof(*set->views));
		if (!set->views)
			return -ENOMEM;
		rcu_read_lock();
		nr = ksyms_modules_collect(set->views, cap);
		for (i = 0; nr <= cap && i < nr; i++) {
			preempt_disable();
			ksyms_module_view_fill(&set->views[i]);
			ksyms_module_count(set, set->views[i].kallsyms);
			preempt_enable();
		}
		rcu_read_unlock();
		if (nr <= cap) {
			set->nr = nr;
			return 0;
		}
		/* More modules than room: grow outside RCU and look again. */
		ksyms_module_set_free(set);
		cap = nr + KSYMS_MODULES_INITIAL;
	}
	return -EAGAIN;
}

static bool ksyms_module_unchanged(const struct ksyms_module_view *then,
				   const struct ksyms_module_view *now)
{
	return then->mod == now->mod && then->kallsyms == now->kallsyms &&
	       then->num_symtab == now->num_symtab;
}

int ksyms_modules_write(const struct ksyms_module_set *set,
			struct ksyms_elf_writer *w)
{
	struct ksyms_module_view *now;
	unsigned int cap = set->nr + 1, nr, i;
	int err = 0;

	now = ksyms_kvmalloc_array(cap, sizeof(*now));
	if (!now)
		return -ENOMEM;
	rcu_read_lock();
	nr = ksyms_modules_collect(now, cap);
	if (nr != set->nr)
		err = -EAGAIN;
	for (i = 0; i < nr && !err; i++) {
		preempt_disable();
		ksyms_module_view_fill(&now[i]);
		if (!ksyms_module_unchanged(&set->views[i], &now[i]))
			err = -EAGAIN;
		else
			err = ksyms_module_copy(w, now[i].kallsyms);
		preempt_enable();
	}
	rcu_read_unlock();
	ksyms_kvfree(now);
	/* Room ran out: something grew that the notifier has not told yet. */
	return err == -ENOSPC ? -EAGAIN : err;
}

void ksyms_module_set_free(struct ksyms_module_set *set)
{
	ksyms_kvfree(set->views);
	set->views = NULL;
}
