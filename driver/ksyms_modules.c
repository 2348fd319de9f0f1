// SPDX-License-Identifier: GPL-2.0-only
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
#include <linux/spinlock.h>
#include <linux/string.h>

#include "ksyms_modules.h"

/* Notifications remembered: more since a snapshot and none is copied. */
#define KSYMS_MODULE_EVENTS	64

static atomic64_t ksyms_generation = ATOMIC64_INIT(0);
/*
 * The module notification g was about, at [g % KSYMS_MODULE_EVENTS]:
 * compared, never dereferenced.  Written with the generation, under the
 * lock; the generation alone is read without it.
 */
static DEFINE_SPINLOCK(ksyms_events_lock);
static const struct module *ksyms_events[KSYMS_MODULE_EVENTS];

static int ksyms_module_event(struct notifier_block *nb, unsigned long state,
			      void *data)
{
	u64 generation;

	/* Never fail this: an error from COMING aborts the module's load. */
	spin_lock(&ksyms_events_lock);
	generation = atomic64_read(&ksyms_generation) + 1;
	ksyms_events[generation % KSYMS_MODULE_EVENTS] = data;
	atomic64_set(&ksyms_generation, generation);
	spin_unlock(&ksyms_events_lock);
	return NOTIFY_DONE;
}

/**
 * ksyms_module_touched_since - whether a module may have changed
 * @mod: the module, compared by address and never dereferenced
 * @since: a module generation, from ksyms_modules_generation()
 *
 * The same address can hold another module by now, loaded after the
 * first one went: that took notifications about the address.  Takes the
 * notifier's spinlock.
 *
 * Return: true if a notification since @since was about @mod, or there
 * were more than are remembered.
 */
bool ksyms_module_touched_since(const struct module *mod, u64 since)
{
	bool touched = false;
	u64 now, g;

	spin_lock(&ksyms_events_lock);
	now = atomic64_read(&ksyms_generation);
	if (now - since > KSYMS_MODULE_EVENTS)
		touched = true;
	for (g = since + 1; !touched && g <= now; g++)
		touched = ksyms_events[g % KSYMS_MODULE_EVENTS] == mod;
	spin_unlock(&ksyms_events_lock);
	return touched;
}

static struct notifier_block ksyms_module_nb = {
	.notifier_call = ksyms_module_event,
};

/**
 * ksyms_modules_generation - the module generation
 *
 * Bumped by every module load, init completion and unload.  Takes no
 * lock.
 *
 * Return: the number of module notifications so far.
 */
u64 ksyms_modules_generation(void)
{
	return atomic64_read(&ksyms_generation);
}

/**
 * ksyms_modules_init - start counting module notifications
 *
 * At module init, before any snapshot is built.
 *
 * Return: 0, or the error registering the notifier returned.
 */
int ksyms_modules_init(void)
{
	return register_module_notifier(&ksyms_module_nb);
}

/**
 * ksyms_modules_exit - stop counting module notifications
 *
 * At module exit, once no snapshot can be built.
 */
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
 * The module code itself reads mod->kallsyms under preempt_disable(), but
 * the table it replaces at the switch to the core one is freed after
 * synchronize_rcu(), which since v4.20 waits for rcu_read_lock() sections
 * too: those stay preemptible on PREEMPT_RT, and may take spinlock_t.
 */
static struct mod_kallsyms *ksyms_module_kallsyms(struct module *mod)
{
	return rcu_dereference(mod->kallsyms);
}

/**
 * ksyms_modules_collect - the modules loaded now, in load order
 * @views: where to record each module (only its ->mod)
 * @cap: room in @views
 * @going: if not NULL, incremented by the kallsyms positions of the GOING
 *	modules, which /proc/kallsyms still lists
 *
 * Caller holds rcu_read_lock(), which keeps every module recorded valid
 * until it drops it; this takes the module kset's list_lock to walk it.
 *
 * Return: how many modules there are, which may be more than @cap: then
 * only the first @cap are recorded.
 */
unsigned int ksyms_modules_collect(struct ksyms_module_view *views,
				   unsigned int cap, u64 *going)
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
		if (!mod)
			continue;
		if (!ksyms_module_listed(mod)) {
			if (going && READ_ONCE(mod->state) == MODULE_STATE_GOING)
				*going += ksyms_module_kallsyms(mod)->num_symtab;
			continue;
		}
		if (nr < cap)
			views[nr].mod = mod;
		nr++;
	}
	spin_unlock(&kset->list_lock);
	return nr;
}

/**
 * ksyms_module_view_fill - record what a module's symbol table is now
 * @view: the view, whose ->mod ksyms_modules_collect() recorded
 *
 * Caller holds the rcu_read_lock() it collected the module under: the
 * table recorded is valid only until it drops it.
 */
void ksyms_module_view_fill(struct ksyms_module_view *view)
{
	view->kallsyms = ksyms_module_kallsyms(view->mod);
	view->num_symtab = view->kallsyms->num_symtab;
	strscpy(view->name, view->mod->name, sizeof(view->name));
}
