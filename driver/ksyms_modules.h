/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSYMS_MODULES_H
#define KSYMS_MODULES_H

#include <linux/types.h>

#include <linux/ksyms.h>

#include "ksyms_buildid.h"
#include "ksyms_elf.h"

struct module;
struct mod_kallsyms;

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
};

int ksyms_modules_init(void);
void ksyms_modules_exit(void);
/* Bumped by every module load, init completion and unload. */
u64 ksyms_modules_generation(void);

/*
 * Fills @set; -EAGAIN if the module list moved while it was being read.
 * Build IDs of modules @prev saw unchanged are taken from it, the others
 * read from sysfs.
 */
int ksyms_modules_measure(struct ksyms_module_set *set,
			  const struct ksyms_module_set *prev);
/*
 * Appends the symbols, typed sections, object records and build IDs of
 * @set at @at; -EAGAIN if any module changed since it was measured.
 */
int ksyms_modules_write(const struct ksyms_module_set *set,
			struct ksyms_elf_cursor *at);
void ksyms_module_set_free(struct ksyms_module_set *set);

#endif /* KSYMS_MODULES_H */
