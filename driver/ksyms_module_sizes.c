// SPDX-License-Identifier: GPL-2.0-only
/*
 * The size of a module symbol whose ELF size is 0: the distance to the
 * module's next symbol above it of the same kind (ksyms_module_symbols.c
 * says why).  A module's table is not in address order, so each kind's
 * addresses are sorted once per module and each size is a binary search:
 * n log n for the module, where asking every other symbol was n squared
 * (with the benchmark's 68 modules, most of a cold open).  The caller
 * provides the room: this file only reads a table and sorts, so it builds
 * on the host too, where a test compares it with asking every symbol.
 */
#include <linux/module.h>
#include <linux/sort.h>

#include "ksyms_module_sizes.h"
#include "ksyms_nm.h"

static int ksyms_module_sizes_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Symbol @i counts: kallsyms lists it (it has a name) and it has a kind. */
static u32 ksyms_module_sizes_kind(const struct mod_kallsyms *ks,
				   unsigned int i)
{
	if (!ks->strtab[ks->symtab[i].st_name])
		return KSYMS_NR_KINDS;
	return ksyms_nm_kind(ks->typetab[i]);
}

/**
 * ksyms_module_sizes_index() - Index one module's addresses
 * @sizes: room for at least @ks->num_symtab addresses
 * @ks: the module's symbol table
 *
 * A table larger than the room is indexed only up to the room.
 * Only the kinds that have a symbol of size 0 are indexed: a module whose
 * symbols all have sizes costs one pass.  Caller holds the
 * rcu_read_lock() it read @ks under; sorting does not sleep.
 */
void ksyms_module_sizes_index(struct ksyms_module_sizes *sizes,
			      const struct mod_kallsyms *ks)
{
	unsigned int count[KSYMS_NR_KINDS] = {}, at[KSYMS_NR_KINDS];
	bool wanted[KSYMS_NR_KINDS] = {};
	unsigned int i, n = ks->num_symtab;
	u32 kind;

	if (n > sizes->cap)
		n = sizes->cap;
	for (i = 1; i < n; i++) {
		kind = ksyms_module_sizes_kind(ks, i);
		if (kind >= KSYMS_NR_KINDS)
			continue;
		count[kind]++;
		wanted[kind] |= !ks->symtab[i].st_size;
	}
	sizes->start[0] = 0;
	for (kind = 0; kind < KSYMS_NR_KINDS; kind++) {
		at[kind] = sizes->start[kind];
		sizes->start[kind + 1] = sizes->start[kind] +
					 (wanted[kind] ? count[kind] : 0);
	}
	for (i = 1; i < n; i++) {
		kind = ksyms_module_sizes_kind(ks, i);
		if (kind < KSYMS_NR_KINDS && wanted[kind])
			sizes->values[at[kind]++] = ks->symtab[i].st_value;
	}
	for (kind = 0; kind < KSYMS_NR_KINDS; kind++)
		sort(sizes->values + sizes->start[kind],
		     sizes->start[kind + 1] - sizes->start[kind],
		     sizeof(*sizes->values), ksyms_module_sizes_cmp, NULL);
}

/**
 * ksyms_module_sizes_gap() - Distance to the next address above, by kind
 * @sizes: the module's index, from ksyms_module_sizes_index()
 * @kind: the symbol's kind, one with a symbol of size 0
 * @value: the symbol's address
 *
 * Return: how far above @value the lowest higher address of @kind is, or
 * U64_MAX if there is none.
 */
u64 ksyms_module_sizes_gap(const struct ksyms_module_sizes *sizes,
			   u32 kind, u64 value)
{
	unsigned int lo = sizes->start[kind], hi = sizes->start[kind + 1];

	/* The first address above @value: upper bound. */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (sizes->values[mid] <= value)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sizes->start[kind + 1] ? sizes->values[lo] - value :
	       U64_MAX;
}
