/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host shim for the kernel's <linux/module.h>: struct mod_kallsyms, a
 * module's symbol table as kernel/module/kallsyms.c lays it out, with the
 * members the driver reads.
 */
#ifndef KSYMS_HOST_SHIM_LINUX_MODULE_H
#define KSYMS_HOST_SHIM_LINUX_MODULE_H

#include <linux/elf.h>

struct mod_kallsyms {
	Elf64_Sym *symtab;
	unsigned int num_symtab;
	char *strtab;
	char *typetab;
};

#endif
