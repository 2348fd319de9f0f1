/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What /proc/kallsyms lists after the modules, with no module behind it:
 * JIT-ed BPF programs, trampolines and dispatchers ("[bpf]"), ftrace
 * trampolines ("[__builtin__ftrace]"), kprobe instruction pages
 * ("[__builtin__kprobes]"), and the __init functions of modules that
 * ftrace remembers after freeing them (under the module's own name).
 * Each run of lines with one name in brackets is one object of the image,
 * after the modules, named as kallsyms names it.
 *
 * None of them sends a notification when it comes or goes, so every open
 * reads them again (a few lines, from the position kallsyms gives the
 * first of them) and reuses the cached image only if they are the same.
 */
#ifndef KSYMS_PSEUDO_H
#define KSYMS_PSEUDO_H

#include <linux/elf.h>
#include <linux/types.h>

#include <linux/ksyms.h>

#include "ksyms_elf.h"

struct ksyms_pseudo_object {
	char name[KSYMS_OBJECT_NAME_LEN];
	u64 first;		/* its first symbol */
	u64 nr;
	struct ksyms_typed_section *sections;
	u64 nr_sections;
};

struct ksyms_pseudo {
	char *text;		/* the lines as read, to compare */
	u64 text_size;
	/* From ksyms_pseudo_parse(), in kallsyms order. */
	Elf64_Sym *syms;	/* st_name: the name's offset in text */
	u32 *namelen;
	char *letters;
	struct ksyms_pseudo_object *objects;
	u64 nr_objects;
	struct ksyms_typed_section *sections;
	/* What they add to an image's layout. */
	struct ksyms_elf_layout needs;
};

int ksyms_pseudo_read(u64 modules, struct ksyms_pseudo **out);
bool ksyms_pseudo_equal(const struct ksyms_pseudo *a,
			const struct ksyms_pseudo *b);
int ksyms_pseudo_parse(struct ksyms_pseudo *pseudo);
int ksyms_pseudo_write(struct ksyms_pseudo *pseudo,
		       struct ksyms_elf_cursor *at);
void ksyms_pseudo_free(struct ksyms_pseudo *pseudo);

#endif /* KSYMS_PSEUDO_H */
