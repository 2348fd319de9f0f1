// SPDX-License-Identifier: GPL-2.0-only
/*
 * One module's symbols as the image holds them: named, lettered, bound
 * and sized as /proc/kallsyms shows them, and placed in typed sections,
 * first counted and then written as the module's object.  The module's
 * table is read under RCU (ksyms_modules.c).
 */
#include <linux/bsearch.h>
#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/string.h>

#include "ksyms_compat.h"
#include "ksyms_elf.h"
#include "ksyms_module_sizes.h"
#include "ksyms_module_symbols.h"
#include "ksyms_modules.h"
#include "ksyms_nm.h"

static const char *ksyms_module_name(const struct mod_kallsyms *ks,
				     unsigned int i)
{
	return ks->strtab + ks->symtab[i].st_name;
}

/* The typed section kallsyms' letter for symbol @i asks for. */
static u32 ksyms_module_kind(const struct mod_kallsyms *ks, unsigned int i)
{
	return ksyms_nm_kind(ks->typetab[i]);
}

static int ksyms_export_cmp(const void *name, const void *sym)
{
	return strcmp(name, ksyms_kernel_symbol_name(sym));
}

/* kernel/module/kallsyms.c's is_exported(): mod->syms is sorted by name. */
static bool ksyms_module_exported(const struct module *mod, const char *name,
				  unsigned long value)
{
	const struct ksyms_kernel_symbol *ks;

	ks = bsearch(name, ksyms_module_exports(mod), mod->num_syms,
		     sizeof(*ks), ksyms_export_cmp);
	return ks && ksyms_kernel_symbol_value(ks) == value;
}

/*
 * EXPORT_SYMBOL() declares its symbol extern, so a local (static) symbol
 * is never the one an export names: most of a module's symbols are
 * settled without searching the export table.
 */
static bool ksyms_module_symbol_exported(const struct module *mod,
					 const struct mod_kallsyms *ks,
					 unsigned int i)
{
	if (ELF64_ST_BIND(ks->symtab[i].st_info) == STB_LOCAL)
		return false;
	return ksyms_module_exported(mod, ksyms_module_name(ks, i),
				     ks->symtab[i].st_value);
}

/*
 * The letter /proc/kallsyms prints for symbol @i: its typetab letter,
 * upper case if the module exports it (s_show() in kernel/kallsyms.c).
 */
static char ksyms_module_letter(const struct mod_kallsyms *ks, unsigned int i,
				bool exported)
{
	return exported ? toupper(ks->typetab[i]) : tolower(ks->typetab[i]);
}

/*
 * The binding /proc/kallsyms gives it: "global if it is exported, local
 * if not" (s_show()), as vmlinux's come from the case of their letters.
 * nm then prints kallsyms' letter, case included; a module's global that
 * is not exported would be upper case in nm and lower case in kallsyms.
 */
static u8 ksyms_module_binding(const Elf64_Sym *sym, bool exported)
{
	if (!exported)
		return STB_LOCAL;
	return ELF64_ST_BIND(sym->st_info) == STB_WEAK ? STB_WEAK : STB_GLOBAL;
}

/*
 * Symbol @i's size: its own, or for one whose ELF st_size is 0, the
 * distance to the module's next symbol above it of the same kind, as %pS
 * measures a module symbol (find_kallsyms_symbol()) and as vmlinux's
 * sizes are measured (ksyms_nm_fill_sizes()).  A reader that respects
 * sizes (FreeBSD's lockstat drops size-0 symbols) can then resolve an
 * address in it.  The last of its kind, and one followed by a gap wider
 * than a typed section, keep 0.  @sizes indexes the module's addresses.
 */
static u64 ksyms_module_symbol_size(const struct mod_kallsyms *ks,
				    const struct ksyms_module_sizes *sizes,
				    unsigned int i)
{
	const Elf64_Sym *sym = &ks->symtab[i];
	u32 kind = ksyms_module_kind(ks, i);
	u64 gap;

	if (sym->st_size || kind >= KSYMS_NR_KINDS)
		return sym->st_size;
	gap = ksyms_module_sizes_gap(sizes, kind, sym->st_value);
	return gap <= KSYMS_ELF_SECTION_SPAN ? gap : 0;
}

/*
 * Symbol @i as the image holds it: bound as /proc/kallsyms labels it,
 * sized as above; its section index is the placer's.
 */
static Elf64_Sym ksyms_module_symbol(const struct mod_kallsyms *ks,
				     const struct ksyms_module_sizes *sizes,
				     unsigned int i, bool exported)
{
	Elf64_Sym sym = ks->symtab[i];

	sym.st_info = ELF64_ST_INFO(ksyms_module_binding(&sym, exported),
				    ELF64_ST_TYPE(sym.st_info));
	sym.st_size = ksyms_module_symbol_size(ks, sizes, i);
	return sym;
}

/**
 * ksyms_module_count - what a module's symbols need of the image
 * @view: the module, its table recorded by ksyms_module_view_fill()
 * @sizes: room to index the module's @view->num_symtab addresses
 * @needs: set to its symbol slots (global when exported), names and typed
 *	sections, placed as ksyms_module_copy() will place them; its build
 *	ID is not counted here
 *
 * Caller holds the rcu_read_lock() the table was recorded under.
 */
void ksyms_module_count(const struct ksyms_module_view *view,
			struct ksyms_module_sizes *sizes,
			struct ksyms_elf_layout *needs)
{
	const struct mod_kallsyms *ks = view->kallsyms;
	struct ksyms_elf_chunker c;
	unsigned int i;

	memset(needs, 0, sizeof(*needs));
	ksyms_module_sizes_index(sizes, ks);
	ksyms_elf_chunker_init(&c, NULL, 0, KSYMS_ELF_SECTION_SPAN);
	/* Index 0 is the null symbol; /proc/kallsyms skips empty names. */
	for (i = 1; i < ks->num_symtab; i++) {
		const char *name = ksyms_module_name(ks, i);
		bool exported;
		Elf64_Sym sym;

		if (!name[0])
			continue;
		exported = ksyms_module_symbol_exported(view->mod, ks, i);
		if (exported)
			needs->nr_globals++;
		else
			needs->nr_locals++;
		needs->strtab_size += strlen(name) + 1;
		sym = ksyms_module_symbol(ks, sizes, i, exported);
		ksyms_elf_place(&c, &sym, ksyms_module_kind(ks, i), 0);
	}
	ksyms_elf_chunker_finish(&c);
	needs->nr_objects = 1;
	needs->nr_sections = c.nr;
	needs->zero_size = c.zero_size;
	needs->nobits_size = c.nobits_size;
}

/**
 * ksyms_module_copy - write a module's object from its symbol table
 * @at: where the image is being written
 * @view: the module as it was measured
 * @ks: its symbol table now
 * @sizes: room to index its @ks->num_symtab addresses
 * @secs: room for the typed sections ksyms_module_count() counted
 *
 * Writes the module's symbols, typed sections and object record, with
 * the build ID @view holds.  Caller holds rcu_read_lock(), under which it
 * read @ks.
 *
 * Return: 0; -EAGAIN when the table no longer gives the sections counted;
 * -ENOSPC when it needs more room than was measured.
 */
int ksyms_module_copy(struct ksyms_elf_cursor *at,
		      const struct ksyms_module_view *view,
		      const struct mod_kallsyms *ks,
		      struct ksyms_module_sizes *sizes,
		      struct ksyms_typed_section *secs)
{
	struct ksyms_object *obj = ksyms_elf_object_begin(at, view->name);
	u64 shndx = ksyms_elf_cursor_shndx(at);
	struct ksyms_elf_chunker c;
	unsigned int i;
	int err;

	if (!obj)
		return -ENOSPC;
	ksyms_module_sizes_index(sizes, ks);
	ksyms_elf_chunker_init(&c, secs, view->nr_sections,
			       KSYMS_ELF_SECTION_SPAN);
	for (i = 1; i < ks->num_symtab; i++) {
		const char *name = ksyms_module_name(ks, i);
		bool exported;
		Elf64_Sym sym;

		if (!name[0])
			continue;
		exported = ksyms_module_symbol_exported(view->mod, ks, i);
		sym = ksyms_module_symbol(ks, sizes, i, exported);
		/* The module's own section indices mean nothing here. */
		sym.st_shndx = ksyms_elf_place(&c, &sym,
					       ksyms_module_kind(ks, i), shndx);
		err = ksyms_elf_cursor_add(at, &sym, name, strlen(name),
					   ksyms_module_letter(ks, i, exported));
		if (err)
			return err;
	}
	ksyms_elf_chunker_finish(&c);
	if (c.nr != view->nr_sections)
		return -EAGAIN;
	return ksyms_elf_object_end(at, obj, secs, c.nr, view->build_id.bytes,
				    view->build_id.size);
}

