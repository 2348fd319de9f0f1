/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_MODULE_SET_H
#define KSYMS_MODULE_SET_H

#include <linux/types.h>

#include "ksyms_elf.h"
#include "ksyms_modules.h"

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
	/* The most symbols a module has. */
	unsigned int max_symtab;
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

int ksyms_module_set_measure(struct ksyms_module_set *set,
			     const struct ksyms_module_source *prev);
int ksyms_module_set_write(const struct ksyms_module_set *set,
			   const struct ksyms_module_source *prev,
			   struct ksyms_elf_cursor *at);
void ksyms_module_set_account(const struct ksyms_module_set *set);
void ksyms_module_set_free(struct ksyms_module_set *set);

#endif /* KSYMS_MODULE_SET_H */
