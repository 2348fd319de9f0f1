// SPDX-License-Identifier: GPL-2.0-only
/*
 * Groups an object's symbols into typed sections, which give nm the
 * letters kallsyms prints: one section open per kind, closed when the next
 * symbol of that kind would make it wider than the span.
 */
#include <linux/elf.h>
#include <linux/string.h>
#include <linux/types.h>

#include "ksyms_elf.h"

/**
 * ksyms_elf_chunker_init() - start grouping one object's symbols
 * @c: the chunker
 * @out: where the sections go as they close, or NULL only to count them
 * @cap: room at @out
 * @max_span: the widest section to make, bar one wider symbol
 */
void ksyms_elf_chunker_init(struct ksyms_elf_chunker *c,
			    struct ksyms_typed_section *out, u64 cap,
			    u64 max_span)
{
	memset(c, 0, sizeof(*c));
	c->out = out;
	c->cap = cap;
	c->max_span = max_span;
}

static void ksyms_elf_chunker_close(struct ksyms_elf_chunker *c, u32 kind)
{
	struct ksyms_typed_section *cur = &c->cur[kind];
	u64 *largest;

	if (!c->open[kind])
		return;
	largest = kind == KSYMS_KIND_BSS ? &c->nobits_size : &c->zero_size;
	if (cur->size > *largest)
		*largest = cur->size;
	if (c->out && c->ordinal[kind] < c->cap)
		c->out[c->ordinal[kind]] = *cur;
	c->open[kind] = false;
}

/**
 * ksyms_elf_chunker_add() - place an extent in a section of its kind
 * @c: the chunker
 * @kind: the section's kind, below %KSYMS_NR_KINDS
 * @addr: where the extent starts
 * @end: where it ends; taken as @addr if below it
 *
 * Return: the ordinal of the section that holds it.
 */
u64 ksyms_elf_chunker_add(struct ksyms_elf_chunker *c, u32 kind, u64 addr,
			  u64 end)
{
	struct ksyms_typed_section *cur = &c->cur[kind];
	u64 lo, hi;

	if (end < addr)
		end = addr;
	if (c->open[kind]) {
		lo = addr < cur->addr ? addr : cur->addr;
		hi = end > cur->addr + cur->size ? end : cur->addr + cur->size;
		if (hi - lo <= c->max_span) {
			cur->addr = lo;
			cur->size = hi - lo;
			return c->ordinal[kind];
		}
	}
	ksyms_elf_chunker_close(c, kind);
	cur->addr = addr;
	cur->size = end - addr;
	cur->kind = kind;
	c->open[kind] = true;
	c->ordinal[kind] = c->nr;
	return c->nr++;
}

/**
 * ksyms_elf_chunker_finish() - close every open section
 * @c: the chunker
 *
 * After it, @c->nr, @c->zero_size and @c->nobits_size are final.
 */
void ksyms_elf_chunker_finish(struct ksyms_elf_chunker *c)
{
	u32 kind;

	for (kind = 0; kind < KSYMS_NR_KINDS; kind++)
		ksyms_elf_chunker_close(c, kind);
}

/**
 * ksyms_elf_place() - the section index of one symbol
 * @c: the chunker of the symbol's object
 * @sym: the symbol: st_value and st_size
 * @kind: its kind, from its kallsyms letter
 * @first_shndx: the section index of the object's first typed section
 *
 * Return: @first_shndx plus its section's ordinal, or SHN_ABS for
 * %KSYMS_KIND_ABS, for an extent that wraps, and for a text or data
 * symbol wider than the chunker's span.
 */
u16 ksyms_elf_place(struct ksyms_elf_chunker *c, const Elf64_Sym *sym,
		    u32 kind, u64 first_shndx)
{
	u64 end = sym->st_value + sym->st_size;

	if (kind >= KSYMS_NR_KINDS || end < sym->st_value)
		return SHN_ABS;
	/*
	 * The zero run is as long as the widest PROGBITS section.  kallsyms'
	 * sizes run to the next symbol, so a symbol before a gap can be
	 * megabytes wide: such a symbol stays absolute (nm prints A or a
	 * for it) rather than make every image that much longer.
	 */
	if (kind != KSYMS_KIND_BSS && sym->st_size > c->max_span)
		return SHN_ABS;
	return first_shndx + ksyms_elf_chunker_add(c, kind, sym->st_value,
						   end);
}
