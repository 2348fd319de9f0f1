// SPDX-License-Identifier: GPL-2.0-only
/*
 * Building a snapshot: vmlinux's table (read once: it never changes after
 * boot) followed by every module's symbols as they are now, then what
 * kallsyms lists after the modules (BPF programs and trampolines,
 * ksyms_pseudo.h), measured first and then written into an image of
 * exactly that size.
 *
 * A module that an earlier snapshot holds and that has not changed since
 * is copied from that snapshot's image instead of being read again.  A
 * build that sees modules change under it tries again, three times in
 * all, then gives up with ENXIO, as FreeBSD does.
 */
#include <linux/elf.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "ksyms_build.h"
#include "ksyms_debug.h"
#include "ksyms_elf.h"
#include "ksyms_module_set.h"
#include "ksyms_modules.h"
#include "ksyms_pseudo.h"
#include "ksyms_snapshot.h"
#include "ksyms_vmlinux.h"

#define KSYMS_BUILD_TRIES	3

static void ksyms_build_layout(struct ksyms_elf_layout *layout,
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
static int ksyms_build_pseudo(const struct ksyms_module_set *mods,
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
static int ksyms_build_vmlinux(struct ksyms_elf_cursor *at,
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
static void ksyms_build_source(const struct ksyms_snapshot *snap,
			       struct ksyms_module_source *src)
{
	src->set = &snap->modules;
	src->image.image = snap->image;
	src->image.layout = &snap->layout;
	src->generation = snap->generation;
}

/* One attempt; -EAGAIN when modules changed while it ran. */
static int ksyms_build_try(const struct ksyms_vmlinux *vml,
			   const struct ksyms_snapshot *from,
			   struct ksyms_snapshot *snap)
{
	struct ksyms_module_source cached, *prev = NULL;
	struct ksyms_module_set mods;
	struct ksyms_elf_layout *layout = &snap->layout;
	struct ksyms_elf_cursor at;
	u64 size;
	int err;

	if (from) {
		ksyms_build_source(from, &cached);
		prev = &cached;
	}
	snap->generation = ksyms_modules_generation();
	err = ksyms_module_set_measure(&mods, prev);
	if (err)
		goto out;
	err = ksyms_build_pseudo(&mods, &snap->pseudo);
	if (err)
		goto out;
	ksyms_build_layout(layout, vml, &mods, snap->pseudo);
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
	err = ksyms_build_vmlinux(&at, vml);
	if (!err)
		err = ksyms_module_set_write(&mods, prev, &at);
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

/**
 * ksyms_build_snapshot - build a snapshot of every object as it is now
 * @vml: vmlinux's table
 * @from: the snapshot to copy unchanged modules from, or NULL
 *
 * Tries again when modules change while it reads them, three times in
 * all.  Reads the module list under RCU, never waiting for module load
 * or unload, and files in procfs and sysfs: process context.  The caller
 * holds @from.
 *
 * Return: the snapshot with one reference, or an ERR_PTR: -ENXIO when
 * modules kept changing, -ENOMEM, or what reading the lines after the
 * modules returned.
 */
struct ksyms_snapshot *ksyms_build_snapshot(const struct ksyms_vmlinux *vml,
					    const struct ksyms_snapshot *from)
{
	struct ksyms_snapshot *snap;
	int tries, err = -EAGAIN;

	snap = ksyms_kzalloc(sizeof(*snap));
	if (!snap)
		return ERR_PTR(-ENOMEM);
	for (tries = 0; tries < KSYMS_BUILD_TRIES && err == -EAGAIN; tries++)
		err = ksyms_build_try(vml, from, snap);
	if (err) {
		ksyms_kfree(snap);
		return ERR_PTR(err == -EAGAIN ? -ENXIO : err);
	}
	ksyms_snapshot_track(snap);
	ksyms_stat_inc(snapshot_builds);
	ksyms_module_set_account(&snap->modules);
	return snap;
}
