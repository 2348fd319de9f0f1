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
#include <linux/bsearch.h>
#include <linux/ctype.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "ksyms_buildid.h"
#include "ksyms_compat.h"
#include "ksyms_debug.h"
#include "ksyms_modules.h"
#include "ksyms_nm.h"

#define KSYMS_MODULES_INITIAL	64
/* Bounds the resizing loop when modules keep arriving. */
#define KSYMS_MODULES_RESIZES	4

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

/*
 * Whether @mod may have changed since generation @since: a notification
 * about it, or too many to tell.  The same address can hold another
 * module by now, loaded after the first one went: that took notifications
 * about the address.
 */
static bool ksyms_module_touched_since(const struct module *mod, u64 since)
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
 * The module code itself reads mod->kallsyms under preempt_disable(), but
 * the table it replaces at the switch to the core one is freed after
 * synchronize_rcu(), which since v4.20 waits for rcu_read_lock() sections
 * too: those stay preemptible on PREEMPT_RT, and may take spinlock_t.
 */
static struct mod_kallsyms *ksyms_module_kallsyms(struct module *mod)
{
	return rcu_dereference(mod->kallsyms);
}

/*
 * Records up to @cap modules, in load order, and returns how many there
 * are; adds to *@going (if not NULL) the kallsyms positions of the GOING
 * ones, which /proc/kallsyms still lists.  Caller holds rcu_read_lock().
 */
static unsigned int ksyms_modules_collect(struct ksyms_module_view *views,
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

static const char *ksyms_module_name(const struct mod_kallsyms *ks,
				     unsigned int i)
{
	return ks->strtab + ks->symtab[i].st_name;
}

/* The typed section kallsyms' letter for symbol @i asks for. */
static u32 ksyms_module_kind(const struct mod_kallsyms *ks, unsigned int i)
{
	return ksyms_nm_kind(ks->typetab[i]);
}

static int ksyms_export_cmp(const void *name, const void *sym)
{
	return strcmp(name, ksyms_kernel_symbol_name(sym));
}

/* kernel/module/kallsyms.c's is_exported(): mod->syms is sorted by name. */
static bool ksyms_module_exported(const struct module *mod, const char *name,
				  unsigned long value)
{
	const struct ksyms_kernel_symbol *ks;

	ks = bsearch(name, ksyms_module_exports(mod), mod->num_syms,
		     sizeof(*ks), ksyms_export_cmp);
	return ks && ksyms_kernel_symbol_value(ks) == value;
}

static bool ksyms_module_symbol_exported(const struct module *mod,
					 const struct mod_kallsyms *ks,
					 unsigned int i)
{
	return ksyms_module_exported(mod, ksyms_module_name(ks, i),
				     ks->symtab[i].st_value);
}

/*
 * The letter /proc/kallsyms prints for symbol @i: its typetab letter,
 * upper case if the module exports it (s_show() in kernel/kallsyms.c).
 */
static char ksyms_module_letter(const struct mod_kallsyms *ks, unsigned int i,
				bool exported)
{
	return exported ? toupper(ks->typetab[i]) : tolower(ks->typetab[i]);
}

/*
 * The binding /proc/kallsyms gives it: "global if it is exported, local
 * if not" (s_show()), as vmlinux's come from the case of their letters.
 * nm then prints kallsyms' letter, case included; a module's global that
 * is not exported would be upper case in nm and lower case in kallsyms.
 */
static u8 ksyms_module_binding(const Elf64_Sym *sym, bool exported)
{
	if (!exported)
		return STB_LOCAL;
	return ELF64_ST_BIND(sym->st_info) == STB_WEAK ? STB_WEAK : STB_GLOBAL;
}

/*
 * Symbol @i's size: its own, or for one whose ELF st_size is 0, the
 * distance to the module's next symbol above it of the same kind, as %pS
 * measures a module symbol (find_kallsyms_symbol()) and as vmlinux's
 * sizes are measured (ksyms_nm_fill_sizes()).  A reader that respects
 * sizes (FreeBSD's lockstat drops size-0 symbols) can then resolve an
 * address in it.  The last of its kind, and one followed by a gap wider
 * than a typed section, keep 0.
 */
static u64 ksyms_module_symbol_size(const struct mod_kallsyms *ks,
				    unsigned int i)
{
	const Elf64_Sym *sym = &ks->symtab[i];
	u32 kind = ksyms_module_kind(ks, i);
	u64 best = KSYMS_ELF_SECTION_SPAN + 1;
	unsigned int j;

	if (sym->st_size || kind >= KSYMS_NR_KINDS)
		return sym->st_size;
	for (j = 1; j < ks->num_symtab; j++) {
		u64 value = ks->symtab[j].st_value;

		if (value > sym->st_value && value - sym->st_value < best &&
		    ksyms_module_name(ks, j)[0] &&
		    ksyms_module_kind(ks, j) == kind)
			best = value - sym->st_value;
	}
	return best <= KSYMS_ELF_SECTION_SPAN ? best : 0;
}

/*
 * Symbol @i as the image holds it: bound as /proc/kallsyms labels it,
 * sized as above; its section index is the placer's.
 */
static Elf64_Sym ksyms_module_symbol(const struct mod_kallsyms *ks,
				     unsigned int i, bool exported)
{
	Elf64_Sym sym = ks->symtab[i];

	sym.st_info = ELF64_ST_INFO(ksyms_module_binding(&sym, exported),
				    ELF64_ST_TYPE(sym.st_info));
	sym.st_size = ksyms_module_symbol_size(ks, i);
	return sym;
}

/*
 * What the module's symbols need of the layout: slots (global when
 * exported), names and typed sections (placed as ksyms_module_copy() will
 * place them); its build ID is read later.  Caller holds rcu_read_lock().
 */
static void ksyms_module_count(const struct ksyms_module_view *view,
			       struct ksyms_elf_layout *needs)
{
	const struct mod_kallsyms *ks = view->kallsyms;
	struct ksyms_elf_chunker c;
	unsigned int i;

	memset(needs, 0, sizeof(*needs));
	ksyms_elf_chunker_init(&c, NULL, 0, KSYMS_ELF_SECTION_SPAN);
	/* Index 0 is the null symbol; /proc/kallsyms skips empty names. */
	for (i = 1; i < ks->num_symtab; i++) {
		const char *name = ksyms_module_name(ks, i);
		bool exported;
		Elf64_Sym sym;

		if (!name[0])
			continue;
		exported = ksyms_module_symbol_exported(view->mod, ks, i);
		if (exported)
			needs->nr_globals++;
		else
			needs->nr_locals++;
		needs->strtab_size += strlen(name) + 1;
		sym = ksyms_module_symbol(ks, i, exported);
		ksyms_elf_place(&c, &sym, ksyms_module_kind(ks, i), 0);
	}
	ksyms_elf_chunker_finish(&c);
	needs->nr_objects = 1;
	needs->nr_sections = c.nr;
	needs->zero_size = c.zero_size;
	needs->nobits_size = c.nobits_size;
}

/*
 * The module's symbols, typed sections and object record.  @secs has room
 * for the sections ksyms_module_count() counted; a different count means
 * the table changed.
 */
static int ksyms_module_copy(struct ksyms_elf_cursor *at,
			     const struct ksyms_module_view *view,
			     const struct mod_kallsyms *ks,
			     struct ksyms_typed_section *secs)
{
	struct ksyms_object *obj = ksyms_elf_object_begin(at, view->name);
	u64 shndx = ksyms_elf_cursor_shndx(at);
	struct ksyms_elf_chunker c;
	unsigned int i;
	int err;

	if (!obj)
		return -ENOSPC;
	ksyms_elf_chunker_init(&c, secs, view->nr_sections,
			       KSYMS_ELF_SECTION_SPAN);
	for (i = 1; i < ks->num_symtab; i++) {
		const char *name = ksyms_module_name(ks, i);
		bool exported;
		Elf64_Sym sym;

		if (!name[0])
			continue;
		exported = ksyms_module_symbol_exported(view->mod, ks, i);
		sym = ksyms_module_symbol(ks, i, exported);
		/* The module's own section indices mean nothing here. */
		sym.st_shndx = ksyms_elf_place(&c, &sym,
					       ksyms_module_kind(ks, i), shndx);
		err = ksyms_elf_cursor_add(at, &sym, name, strlen(name),
					   ksyms_module_letter(ks, i, exported));
		if (err)
			return err;
	}
	ksyms_elf_chunker_finish(&c);
	if (c.nr != view->nr_sections)
		return -EAGAIN;
	return ksyms_elf_object_end(at, obj, secs, c.nr, view->build_id.bytes,
				    view->build_id.size);
}

/* Caller holds rcu_read_lock(). */
static void ksyms_module_view_fill(struct ksyms_module_view *view)
{
	view->kallsyms = ksyms_module_kallsyms(view->mod);
	view->num_symtab = view->kallsyms->num_symtab;
	strscpy(view->name, view->mod->name, sizeof(view->name));
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
 * what it needs.  Caller holds rcu_read_lock().
 */
static void ksyms_modules_plan(struct ksyms_module_set *set,
			       const struct ksyms_module_source *prev)
{
	unsigned int i, from = 0;

	for (i = 0; i < set->nr; i++) {
		struct ksyms_module_view *view = &set->views[i];
		struct ksyms_elf_layout needs;

		ksyms_module_view_fill(view);
		set->kallsyms_positions += view->num_symtab;
		set->init_tables |= view->kallsyms != &view->mod->core_kallsyms;
		view->copy_from = ksyms_module_copy_from(prev, view, &from);
		if (view->copy_from != KSYMS_MODULE_FRESH) {
			view->build_id =
				prev->set->views[view->copy_from - 1].build_id;
			ksyms_elf_object_needs(&prev->image, view->copy_from,
					       &needs);
		} else {
			ksyms_module_count(view, &needs);
		}
		ksyms_module_set_add(set, view, &needs);
	}
}

/* Build IDs of the modules read fresh, from sysfs. */
static int ksyms_modules_build_ids(struct ksyms_module_set *set)
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

int ksyms_modules_measure(struct ksyms_module_set *set,
			  const struct ksyms_module_source *prev)
{
	unsigned int cap = KSYMS_MODULES_INITIAL, nr;
	int resizes;

	memset(set, 0, sizeof(*set));
	for (resizes = 0; resizes < KSYMS_MODULES_RESIZES; resizes++) {
		set->views = ksyms_kvmalloc_array(cap, sizeof(*set->views));
		if (!set->views)
			return -ENOMEM;
		rcu_read_lock();
		set->kallsyms_positions = 0;
		nr = ksyms_modules_collect(set->views, cap,
					   &set->kallsyms_positions);
		if (nr <= cap) {
			set->nr = nr;
			ksyms_modules_plan(set, prev);
		}
		rcu_read_unlock();
		if (nr <= cap)
			return ksyms_modules_build_ids(set);
		/* More modules than room: grow outside RCU and look again. */
		ksyms_module_set_free(set);
		cap = nr + KSYMS_MODULES_INITIAL;
	}
	return -EAGAIN;
}

int ksyms_modules_write(const struct ksyms_module_set *set,
			const struct ksyms_module_source *prev,
			struct ksyms_elf_cursor *at)
{
	struct ksyms_typed_section *secs;
	struct ksyms_module_view *now;
	const struct ksyms_module_view *view;
	unsigned int cap = set->nr + 1, nr, i;
	int err = 0;

	now = ksyms_kvmalloc_array(cap, sizeof(*now));
	if (!now)
		return -ENOMEM;
	secs = ksyms_kvmalloc_array(max_t(u64, set->max_sections, 1),
				    sizeof(*secs));
	if (!secs) {
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
						secs);
	}
	rcu_read_unlock();
	ksyms_kvfree(secs);
	ksyms_kvfree(now);
	/* Room ran out: something grew that the notifier has not told yet. */
	return err == -ENOSPC ? -EAGAIN : err;
}

void ksyms_modules_account(const struct ksyms_module_set *set)
{
	unsigned int i, copied = 0;

	for (i = 0; i < set->nr; i++)
		copied += set->views[i].copy_from != KSYMS_MODULE_FRESH;
	atomic_long_add(copied, &ksyms_stats.modules_copied);
	atomic_long_add(set->nr - copied, &ksyms_stats.modules_read);
}

void ksyms_module_set_free(struct ksyms_module_set *set)
{
	ksyms_kvfree(set->views);
	set->views = NULL;
}
