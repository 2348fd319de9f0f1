/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSYMS_MODULES_H
#define KSYMS_MODULES_H

#include <linux/limits.h>
#include <linux/types.h>

#include <linux/ksyms.h>

#include "ksyms_buildid.h"
#include "ksyms_elf.h"

struct module;
struct mod_kallsyms;

/* A module's object is read from its symbol table, not copied. */
#define KSYMS_MODULE_FRESH	U64_MAX

/*
 * What a snapshot saw of one module: enough to tell whether it changed
 * since, and what its object record needs.
 */
struct ksyms_module_view {
	struct module *mod;
	struct mod_kallsyms *kallsyms;
	unsigned int num_symtab;
	char name[KSYMS_OBJECT_NAME_LEN];
	u64 nr_sections;
	struct ksyms_build_id build_id;
	/* Its object in the earlier image, or KSYMS_MODULE_FRESH. */
	u64 copy_from;
};

/* The loaded modules in load order, and what their symbols need. */
struct ksyms_module_set {
	struct ksyms_module_view *views;
	unsigned int nr;
	unsigned int cap;
	u64 nr_locals;
	u64 nr_globals;
	u64 strtab_size;	/* names and their NULs */
	u64 nr_sections;	/* typed sections, all modules */
	u64 max_sections;	/* the most one module has */
	u64 zero_size;		/* as in struct ksyms_elf_layout */
	u64 nobits_size;
	u64 build_ids_size;	/* bytes of their build ID notes */
	/*
	 * A module still had its init-time table: it is LIVE and its __init
	 * symbols are about to be freed with no further notification.
	 */
	bool init_tables;
	/*
	 * The positions /proc/kallsyms gives module symbols (every entry of
	 * every table it lists), after vmlinux's own.
	 */
	u64 kallsyms_positions;
};

/*
 * The snapshot a build may copy unchanged modules from: what it saw, its
 * image, and the module generation it was built at.
 */
struct ksyms_module_source {
	const struct ksyms_module_set *set;
	struct ksyms_elf_source image;
	u64 generation;
};

int ksyms_modules_init(void);
void ksyms_modules_exit(void);
/* Bumped by every module load, init completion and unload. */
u64 ksyms_modules_generation(void);

/*
 * Fills @set; -EAGAIN if the module list moved while it was being read.
 * Modules @prev (or NULL) saw and that have not changed since are to be
 * copied from its image, build ID and all; the others are measured from
 * their symbol tables, their build IDs read from sysfs.
 */
int ksyms_modules_measure(struct ksyms_module_set *set,
			  const struct ksyms_module_source *prev);
/*
 * Appends the symbols, typed sections, object records and build IDs of
 * @set at @at, copying from @prev what ksyms_modules_measure() said to;
 * -EAGAIN if any module changed since it was measured.
 */
int ksyms_modules_write(const struct ksyms_module_set *set,
			const struct ksyms_module_source *prev,
			struct ksyms_elf_cursor *at);
/* Counts, in the debugfs stats, how a snapshot got its modules. */
void ksyms_modules_account(const struct ksyms_module_set *set);
void ksyms_module_set_free(struct ksyms_module_set *set);

#endif /* KSYMS_MODULES_H */
