/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_MODULES_H
#define KSYMS_MODULES_H

#include <linux/limits.h>
#include <linux/types.h>

#include <linux/ksyms.h>

#include "ksyms_buildid.h"

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

int ksyms_modules_init(void);
void ksyms_modules_exit(void);
u64 ksyms_modules_generation(void);
bool ksyms_module_touched_since(const struct module *mod, u64 since);
unsigned int ksyms_modules_collect(struct ksyms_module_view *views,
				   unsigned int cap, u64 *going);
void ksyms_module_view_fill(struct ksyms_module_view *view);

#endif /* KSYMS_MODULES_H */
