/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSYMS_MODULES_H
#define KSYMS_MODULES_H

#include <linux/types.h>

#include "ksyms_elf.h"

struct module;
struct mod_kallsyms;

/* What a snapshot saw of one module, to tell whether it changed since. */
struct ksyms_module_view {
	struct module *mod;
	struct mod_kallsyms *kallsyms;
	unsigned int num_symtab;
};

/* The loaded modules in load order, and what their symbols need. */
struct ksyms_module_set {
	struct ksyms_module_view *views;
	unsigned int nr;
	unsigned int cap;
	u64 nr_locals;
	u64 nr_globals;
	u64 strtab_size;	/* names and their NULs */
};

int ksyms_modules_init(void);
void ksyms_modules_exit(void);
/* Bumped by every module load, init completion and unload. */
u64 ksyms_modules_generation(void);

/* Fills @set; -EAGAIN if the module list moved while it was being read. */
int ksyms_modules_measure(struct ksyms_module_set *set);
/* Appends the symbols of @set; -EAGAIN if any module changed since. */
int ksyms_modules_write(const struct ksyms_module_set *set,
			struct ksyms_elf_writer *w);
void ksyms_module_set_free(struct ksyms_module_set *set);

#endif /* KSYMS_MODULES_H */
