// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmlinux's symbol table, from the first part of /proc/kallsyms: read once
 * (it never changes after boot), typed by kallsyms' letters, sized as
 * kallsyms sizes them, and split into locals and the rest as the image
 * wants them.
 */
#include <linux/elf.h>
#include <linux/string.h>

#include "ksyms_debug.h"
#include "ksyms_elf.h"
#include "ksyms_kallsyms.h"
#include "ksyms_nm.h"
#include "ksyms_vmlinux.h"

#define KSYMS_VMLINUX_INITIAL	(64 * 1024)

static int ksyms_vmlinux_add_line(const struct ksyms_kallsyms_line *line,
				  void *arg)
{
	struct ksyms_vmlinux_reader *r = arg;
	Elf64_Sym *sym;
	int err;

	/* vmlinux comes first; the first module line ends it. */
	if (line->in_module)
		return 1;
	err = ksyms_grow((void **)&r->syms, r->nr_syms, &r->cap_syms,
			 r->nr_syms + 1, sizeof(*r->syms),
			 KSYMS_VMLINUX_INITIAL);
	if (!err)
		err = ksyms_grow((void **)&r->types, r->nr_syms, &r->cap_types,
				 r->nr_syms + 1, sizeof(*r->types),
				 KSYMS_VMLINUX_INITIAL);
	if (!err)
		err = ksyms_grow((void **)&r->strtab, r->strtab_size,
				 &r->cap_strtab,
				 r->strtab_size + line->namelen + 1, 1,
				 KSYMS_VMLINUX_INITIAL);
	if (err)
		return err;
	sym = &r->syms[r->nr_syms];
	ksyms_nm_to_sym(line->type, line->addr, sym);
	sym->st_name = r->strtab_size;
	r->types[r->nr_syms++] = line->type;
	memcpy(r->strtab + r->strtab_size, line->name, line->namelen);
	r->strtab_size += line->namelen;
	r->strtab[r->strtab_size++] = '\0';
	r->seen_address |= line->addr != 0;
	return 0;
}

/*
 * Stable split into locals then the rest, as the image wants them, with
 * their letters; the order bitmap keeps kallsyms' own order.
 */
static int ksyms_vmlinux_split(struct ksyms_vmlinux_reader *r,
			       struct ksyms_vmlinux *vml)
{
	u64 i, local = 0, global = 0, to;

	for (i = 0; i < r->nr_syms; i++)
		vml->nr_locals += ksyms_elf_is_local(&r->syms[i]);
	vml->nr_globals = r->nr_syms - vml->nr_locals;
	vml->syms = ksyms_kvmalloc_array(r->nr_syms, sizeof(*vml->syms));
	vml->letters = ksyms_kvmalloc_array(r->nr_syms, 1);
	vml->order = ksyms_kvmalloc_array(DIV_ROUND_UP(r->nr_syms, 8), 1);
	if (!vml->syms || !vml->letters || !vml->order)
		return -ENOMEM;
	memset(vml->order, 0, DIV_ROUND_UP(r->nr_syms, 8));
	for (i = 0; i < r->nr_syms; i++) {
		if (ksyms_elf_is_local(&r->syms[i])) {
			to = local++;
		} else {
			to = vml->nr_locals + global++;
			vml->order[i / 8] |= 1U << (i % 8);
		}
		vml->syms[to] = r->syms[i];
		vml->letters[to] = r->types[i];
	}
	vml->strtab = r->strtab;
	vml->strtab_size = r->strtab_size;
	r->strtab = NULL;
	return 0;
}

/*
 * Types each symbol by the section its letter needs (see
 * docs/image-format.md): one pass to count the sections, one to place.
 * The symbols are in address order, so each section is a run of them.
 */
static int ksyms_vmlinux_place(struct ksyms_vmlinux_reader *r,
			       struct ksyms_vmlinux *vml)
{
	struct ksyms_elf_chunker c;
	u64 i;

	ksyms_elf_chunker_init(&c, NULL, 0, KSYMS_ELF_SECTION_SPAN);
	for (i = 0; i < r->nr_syms; i++)
		ksyms_elf_place(&c, &r->syms[i], ksyms_nm_kind(r->types[i]),
				KSYMS_SHN_FIRST_TYPED);
	ksyms_elf_chunker_finish(&c);
	vml->sections = ksyms_kvmalloc_array(c.nr ? c.nr : 1,
					     sizeof(*vml->sections));
	if (!vml->sections)
		return -ENOMEM;
	ksyms_elf_chunker_init(&c, vml->sections, c.nr,
			       KSYMS_ELF_SECTION_SPAN);
	for (i = 0; i < r->nr_syms; i++)
		r->syms[i].st_shndx =
			ksyms_elf_place(&c, &r->syms[i],
					ksyms_nm_kind(r->types[i]),
					KSYMS_SHN_FIRST_TYPED);
	ksyms_elf_chunker_finish(&c);
	vml->nr_sections = c.nr;
	vml->zero_size = c.zero_size;
	vml->nobits_size = c.nobits_size;
	return 0;
}

/**
 * ksyms_vmlinux_assemble() - Make vmlinux's table from its symbols
 * @r: the symbols in kallsyms order; its arrays are freed, whatever the
 *     outcome
 * @id: vmlinux's build ID, or NULL to read it
 * @out: set to the table, on success
 *
 * Sizes the symbols as kallsyms sizes them, places them in typed
 * sections, splits them into locals and the rest and gives the table its
 * build ID: the same steps, so the same table, whether @r was read from
 * /proc/kallsyms or restored from the kept form.
 *
 * Context: Process context; may sleep.
 * Return: 0, -ENOMEM, or -ENXIO when the build ID cannot be read.  Free
 * *@out with ksyms_vmlinux_free().
 */
int ksyms_vmlinux_assemble(struct ksyms_vmlinux_reader *r,
			   const struct ksyms_build_id *id,
			   struct ksyms_vmlinux **out)
{
	struct ksyms_vmlinux *vml;
	int err = -ENOMEM;

	vml = ksyms_kzalloc(sizeof(*vml));
	if (vml) {
		ksyms_nm_fill_sizes(r->syms, r->types, r->nr_syms);
		err = ksyms_vmlinux_place(r, vml);
	}
	if (!err)
		err = ksyms_vmlinux_split(r, vml);
	if (!err && id)
		vml->build_id = *id;
	else if (!err)
		err = ksyms_build_id_vmlinux(&vml->build_id);
	ksyms_kvfree(r->syms);
	ksyms_kvfree(r->types);
	ksyms_kvfree(r->strtab);
	r->syms = NULL;
	r->types = NULL;
	r->strtab = NULL;
	if (err) {
		ksyms_vmlinux_free(vml);
		return err == -ENOMEM ? err : -ENXIO;
	}
	*out = vml;
	return 0;
}

/**
 * ksyms_vmlinux_load() - Read vmlinux's symbol table from /proc/kallsyms
 * @out: set to the table, on success
 *
 * Reads the lines before the first module's, as a reader holding
 * CAP_SYSLOG sees them: the whole of vmlinux's symbols, so the caller
 * keeps the table (it never changes after boot) rather than reading it
 * at every open.  The symbols are typed and bound by their letters, and
 * made a table by ksyms_vmlinux_assemble().
 *
 * Context: Process context; may sleep, for long.
 * Return: 0; -EPERM if /proc/kallsyms shows no addresses, as when
 * kptr_restrict was raised after the caller's access check; -ENOMEM; or
 * -ENXIO on any other failure.  Free *@out with ksyms_vmlinux_free().
 */
int ksyms_vmlinux_load(struct ksyms_vmlinux **out)
{
	struct ksyms_vmlinux_reader r = {};
	int err;

	err = ksyms_kallsyms_each(ksyms_vmlinux_add_line, &r);
	/* A caller that lost the right to see addresses meanwhile. */
	if (!err && !r.seen_address)
		err = -EPERM;
	if (!err && !r.nr_syms)
		err = -ENXIO;
	if (err) {
		ksyms_kvfree(r.syms);
		ksyms_kvfree(r.types);
		ksyms_kvfree(r.strtab);
		return err == -ENOMEM || err == -EPERM ? err : -ENXIO;
	}
	err = ksyms_vmlinux_assemble(&r, NULL, out);
	if (!err)
		ksyms_stat_inc(vmlinux_builds);
	return err;
}

/**
 * ksyms_vmlinux_free() - Free a table from ksyms_vmlinux_load()
 * @vml: the table, or NULL
 *
 * Context: Process context (it may free vmalloc memory).
 */
void ksyms_vmlinux_free(struct ksyms_vmlinux *vml)
{
	if (!vml)
		return;
	ksyms_kvfree(vml->syms);
	ksyms_kvfree(vml->letters);
	ksyms_kvfree(vml->order);
	ksyms_kvfree(vml->strtab);
	ksyms_kvfree(vml->sections);
	ksyms_kfree(vml);
}
