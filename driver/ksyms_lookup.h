/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_LOOKUP_H
#define KSYMS_LOOKUP_H

#include <linux/compiler_types.h>
#include <linux/elf.h>

#include "ksyms_names.h"

struct ksyms_snapshot;

int ksyms_lookup(struct ksyms_snapshot *snap, const char __user *uname,
		 enum ksyms_names_scope scope, Elf64_Sym *sym);

#endif /* KSYMS_LOOKUP_H */
