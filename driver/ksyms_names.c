// SPDX-License-Identifier: GPL-2.0-only
/*
 * The name index behind KIOCGVALUE and KIOCGSYMBOL; see ksyms_names.h.
 *
 * One allocation holds the bucket offsets and the symbol indices sorted by
 * bucket (a counting sort), so a lookup costs one hash and a chain of about
 * two names, and building costs two passes over the names, with no memory
 * beyond the index: 6 bytes a symbol.
 */
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "ksyms_names.h"

/* Symbols per bucket, on average, when every symbol has a name. */
#define KSYMS_NAMES_LOAD	2

/* 32-bit FNV-1a: fast, and good enough on identifiers. */
#define KSYMS_FNV_OFFSET	2166136261U
#define KSYMS_FNV_PRIME		16777619U

static u32 ksyms_names_hash(const char *name, u32 *len)
{
	const unsigned char *p = (const unsigned char *)name;
	u32 h = KSYMS_FNV_OFFSET;
	u32 n = 0;

	for (; p[n]; n++)
		h = (h ^ p[n]) * KSYMS_FNV_PRIME;
	*len = n;
	return h;
}

static u32 ksyms_names_nr_buckets(u64 nr_syms)
{
	u32 nr = 1;

	while ((u64)nr * KSYMS_NAMES_LOAD < nr_syms)
		nr <<= 1;
	return nr;
}

/**
 * ksyms_names_bytes() - Size of the memory a name index needs
 * @nr_syms: entries in the symbol table, the null symbol included
 *
 * The bucket offsets and one symbol index for each entry, all u32.
 *
 * Context: Any context.
 * Return: The bytes ksyms_names_build() needs for @nr_syms symbols, or 0
 * if the index cannot count that many.
 */
u64 ksyms_names_bytes(u64 nr_syms)
{
	if (nr_syms > U32_MAX / 2)
		return 0;
	return ((u64)ksyms_names_nr_buckets(nr_syms) + 1 + nr_syms) *
	       sizeof(u32);
}

/* The symbol's name; NULL for the null symbol, "" and a name out of range. */
static const char *ksyms_names_name(const struct ksyms_names *names, u32 i)
{
	u32 off = names->syms[i].st_name;

	if (!i || off >= names->strtab_size || !names->strtab[off])
		return NULL;
	return names->strtab + off;
}

static u32 ksyms_names_bucket(const struct ksyms_names *names,
			      const char *name, u32 *len)
{
	return ksyms_names_hash(name, len) & (names->nr_buckets - 1);
}

/**
 * ksyms_names_build() - Index a symbol table by name
 * @names: the index to set up
 * @mem: ksyms_names_bytes(@nr_syms) bytes, u32-aligned, for the index
 * @syms: the symbol table; its entry 0, the null symbol, is not indexed
 * @nr_syms: entries in @syms
 * @strtab: the string table that @syms' st_name offsets point into
 * @strtab_size: bytes in @strtab
 *
 * Indexes every named symbol of @syms; entry 0, symbols with an empty
 * name and those whose st_name lies outside @strtab are left out.
 * Building makes two passes over the names and uses no memory beyond
 * @mem.  The index points into @syms and @strtab rather than copying
 * them: they must outlive it.  Once built, it is only read, so lookups
 * with ksyms_names_find() need no lock.
 *
 * Context: Any context; takes no lock and allocates nothing.
 * Return: 0, or -EINVAL if @nr_syms is too large for the index, or
 * @strtab is empty or does not end in a NUL.
 */
int ksyms_names_build(struct ksyms_names *names, void *mem,
		      const Elf64_Sym *syms, u64 nr_syms,
		      const char *strtab, u64 strtab_size)
{
	u32 *start = mem;
	const char *name;
	u32 i, b, len;

	if (!ksyms_names_bytes(nr_syms) || !strtab_size ||
	    strtab[strtab_size - 1])
		return -EINVAL;
	names->syms = syms;
	names->nr_syms = nr_syms;
	names->strtab = strtab;
	names->strtab_size = strtab_size;
	names->nr_buckets = ksyms_names_nr_buckets(nr_syms);
	names->longest = 0;
	names->start = start;
	names->order = start + names->nr_buckets + 1;

	/* Count each bucket's names one slot ahead, then sum. */
	memset(start, 0, (names->nr_buckets + 1) * sizeof(*start));
	for (i = 0; i < nr_syms; i++) {
		name = ksyms_names_name(names, i);
		if (!name)
			continue;
		b = ksyms_names_bucket(names, name, &len);
		start[b + 1]++;
		if (len > names->longest)
			names->longest = len;
	}
	for (b = 0; b < names->nr_buckets; b++)
		start[b + 1] += start[b];

	/*
	 * Place each index at its bucket's cursor, which start[b] serves as
	 * and so ends at the next bucket's offset; shift them back after.
	 * Indices go in ascending, so each chain is in image order.
	 */
	for (i = 0; i < nr_syms; i++) {
		name = ksyms_names_name(names, i);
		if (name)
			names->order[start[ksyms_names_bucket(names, name,
							      &len)]++] = i;
	}
	for (b = names->nr_buckets; b > 0; b--)
		start[b] = start[b - 1];
	start[0] = 0;
	return 0;
}

/**
 * ksyms_names_find() - Find a symbol by name in a name index
 * @names: an index from ksyms_names_build()
 * @name: the name, NUL-terminated
 * @scope: KSYMS_NAMES_GLOBAL for global and weak symbols only;
 *	KSYMS_NAMES_ANY to fall back to a local one
 *
 * Global and weak symbols come first: they are what the name means
 * across the kernel, where a local one is private to its file, so a local
 * symbol is the answer only when none of them has the name.  Among
 * several, the first in image order wins (each hash chain is in image
 * order).
 *
 * Context: Any context; the index is only read, so concurrent lookups
 * need no lock.
 * Return: The index in the symbol table of the first global or weak
 * symbol called @name, else (with KSYMS_NAMES_ANY) of the first local
 * one, or -ENOENT if there is none.
 */
s64 ksyms_names_find(const struct ksyms_names *names, const char *name,
		     enum ksyms_names_scope scope)
{
	s64 first_local = -ENOENT;
	const Elf64_Sym *sym;
	u32 b, i, len;

	b = ksyms_names_bucket(names, name, &len);
	if (len > names->longest)
		return -ENOENT;
	for (i = names->start[b]; i < names->start[b + 1]; i++) {
		sym = &names->syms[names->order[i]];
		if (strcmp(names->strtab + sym->st_name, name))
			continue;
		if (ELF64_ST_BIND(sym->st_info) != STB_LOCAL)
			return names->order[i];
		if (scope == KSYMS_NAMES_ANY && first_local < 0)
			first_local = names->order[i];
	}
	return first_local;
}
