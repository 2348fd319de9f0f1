/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_MODULE_SYMBOLS_H
#define KSYMS_MODULE_SYMBOLS_H

#include "ksyms_elf.h"
#include "ksyms_modules.h"

struct mod_kallsyms;
struct ksyms_module_sizes;

void ksyms_module_count(const struct ksyms_module_view *view,
			struct ksyms_module_sizes *sizes,
			struct ksyms_elf_layout *needs);
int ksyms_module_copy(struct ksyms_elf_cursor *at,
		      const struct ksyms_module_view *view,
		      const struct mod_kallsyms *ks,
		      struct ksyms_module_sizes *sizes,
		      struct ksyms_typed_section *secs);

#endif /* KSYMS_MODULE_SYMBOLS_H */
