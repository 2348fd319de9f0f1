/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every difference between the kernels ksyms builds for lives here, each
 * with the kernel change behind it.  No version test appears anywhere else.
 */
#ifndef KSYMS_COMPAT_H
#define KSYMS_COMPAT_H

#include <linux/device.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/module.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/version.h>
#include <linux/workqueue.h>

/* The one place the driver asks which kernel it is built for. */
#define KSYMS_KERNEL_AT_LEAST(major, minor) \
	(KERNEL_VERSION(major, minor, 0) <= LINUX_VERSION_CODE)

#ifndef CONFIG_KALLSYMS
#error "ksyms needs CONFIG_KALLSYMS: module symbol tables exist only with it"
#endif

#ifndef CONFIG_64BIT
#error "ksyms writes ELF64 images and supports 64-bit kernels only"
#endif

/*
 * v6.1, "iov_iter: saner checks for attempt to copy to/from iterator"
 * added ITER_DEST for what was READ.
 */
#ifndef ITER_DEST
#define ITER_DEST READ
#endif

/*
 * v6.5, "kallsyms: remove unused arch_get_kallsym() helper": before it,
 * /proc/kallsyms had an (empty) architecture section between vmlinux and
 * the modules, which ends at the first position a reader asks for past
 * vmlinux's, so the modules are numbered from there; since, they are
 * numbered from the end of vmlinux's symbols.
 */
#define KSYMS_KALLSYMS_MODULES_FROM_FIRST_READ	(!KSYMS_KERNEL_AT_LEAST(6, 5))

/*
 * v6.2, "driver core: make struct class.devnode() take a const *".
 */
#if KSYMS_KERNEL_AT_LEAST(6, 2)
#define KSYMS_DEVNODE_DEVICE const struct device
#else
#define KSYMS_DEVNODE_DEVICE struct device
#endif

/*
 * v6.0, "mm: shrinkers: provide shrinkers with names" gave
 * register_shrinker() a name; v6.7, "mm: shrinker: add infrastructure for
 * dynamically allocating shrinker" replaced it with shrinker_alloc() and
 * shrinker_register().
 */
static inline struct shrinker *
ksyms_shrinker_create(const char *name,
		      unsigned long (*count)(struct shrinker *,
					     struct shrink_control *),
		      unsigned long (*scan)(struct shrinker *,
					    struct shrink_control *))
{
	struct shrinker *shrinker;

#if KSYMS_KERNEL_AT_LEAST(6, 7)
	shrinker = shrinker_alloc(0, "%s", name);
	if (!shrinker)
		return ERR_PTR(-ENOMEM);
	shrinker->count_objects = count;
	shrinker->scan_objects = scan;
	shrinker_register(shrinker);
#else
	int err;

	shrinker = kzalloc(sizeof(*shrinker), GFP_KERNEL);
	if (!shrinker)
		return ERR_PTR(-ENOMEM);
	shrinker->count_objects = count;
	shrinker->scan_objects = scan;
	shrinker->seeks = DEFAULT_SEEKS;
#if KSYMS_KERNEL_AT_LEAST(6, 0)
	err = register_shrinker(shrinker, "%s", name);
#else
	err = register_shrinker(shrinker);
#endif
	if (err) {
		kfree(shrinker);
		return ERR_PTR(err);
	}
#endif
	return shrinker;
}

static inline void ksyms_shrinker_destroy(struct shrinker *shrinker)
{
#if KSYMS_KERNEL_AT_LEAST(6, 7)
	shrinker_free(shrinker);
#else
	unregister_shrinker(shrinker);
	kfree(shrinker);
#endif
}

/*
 * v6.3, "mm: introduce vma->vm_flags wrapper functions" made vm_flags
 * read-only outside these helpers.
 */
static inline void ksyms_vm_flags_mod(struct vm_area_struct *vma,
				      unsigned long set, unsigned long clear)
{
#if KSYMS_KERNEL_AT_LEAST(6, 3)
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

/*
 * v6.4, "driver core: class: remove module * from class_create()".
 */
static inline struct class *ksyms_class_create(const char *name)
{
#if KSYMS_KERNEL_AT_LEAST(6, 4)
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

/*
 * v6.17, "workqueue: Add system_percpu_wq and system_dfl_wq": the unbound
 * system workqueue got its new name; later kernels warn on every module
 * that still queues on system_unbound_wq, which is to be removed.
 */
#if KSYMS_KERNEL_AT_LEAST(6, 17)
#define ksyms_unbound_wq system_dfl_wq
#else
#define ksyms_unbound_wq system_unbound_wq
#endif

/*
 * v7.3, nullfs as the root of the mount tree: kernel threads start in an
 * empty private nullfs and resolve paths in userspace init's filesystem
 * only inside scoped_with_init_fs().  Before, every kernel thread shared
 * init's fs_struct, so a path resolved there already.
 */
static inline struct file *ksyms_filp_open_init_fs(const char *path, int flags)
{
#if KSYMS_KERNEL_AT_LEAST(7, 3)
	struct file *file;

	scoped_with_init_fs()
		file = filp_open(path, flags, 0);
	return file;
#else
	return filp_open(path, flags, 0);
#endif
}

/*
 * v5.15, "switch file_open_root() to struct path", added
 * file_open_root_mnt().
 */
static inline struct file *ksyms_file_open_root_mnt(struct vfsmount *mnt,
						    const char *name,
						    int flags)
{
#if KSYMS_KERNEL_AT_LEAST(5, 15)
	return file_open_root_mnt(mnt, name, flags, 0);
#else
	return file_open_root(mnt->mnt_root, mnt, name, flags, 0);
#endif
}

/*
 * A module's exports (mod->syms), which kallsyms reads to print a module
 * symbol in upper case.  struct kernel_symbol left <linux/export.h> for
 * kernel/module/internal.h between v6.1 and v6.12 (the v6.5 rework of
 * EXPORT_SYMBOL), so module.h has it as an incomplete type since; its
 * layout is the same in v5.10, v6.1, v6.12 and v7.3.  This copy is it.
 */
struct ksyms_kernel_symbol {
#ifdef CONFIG_HAVE_ARCH_PREL32_RELOCATIONS
	int value_offset;
	int name_offset;
	int namespace_offset;
#else
	unsigned long value;
	const char *name;
	const char *namespace;
#endif
};

static inline const struct ksyms_kernel_symbol *
ksyms_module_exports(const struct module *mod)
{
	return (const struct ksyms_kernel_symbol *)mod->syms;
}

static inline const char *
ksyms_kernel_symbol_name(const struct ksyms_kernel_symbol *sym)
{
#ifdef CONFIG_HAVE_ARCH_PREL32_RELOCATIONS
	return offset_to_ptr(&sym->name_offset);
#else
	return sym->name;
#endif
}

static inline unsigned long
ksyms_kernel_symbol_value(const struct ksyms_kernel_symbol *sym)
{
#ifdef CONFIG_HAVE_ARCH_PREL32_RELOCATIONS
	return (unsigned long)offset_to_ptr(&sym->value_offset);
#else
	return sym->value;
#endif
}

#endif /* KSYMS_COMPAT_H */
