// SPDX-License-Identifier: GPL-2.0-only
/*
 * The image's object table, and its symbols in (address, name) order for
 * lookups: what ksyms_util.h declares after ksu_image_find().
 */
#include <stdlib.h>

#include "ksyms_util.h"

const struct ksyms_object *ksu_objects(const struct ksu_image *img,
				       size_t *nr)
{
	const Elf64_Shdr *sh;

	*nr = 0;
	if (img->ehdr->e_shnum <= KSU_SHN_OBJECTS)
		return NULL;
	sh = &img->shdr[KSU_SHN_OBJECTS];
	if (sh->sh_offset > img->size ||
	    sh->sh_size > img->size - sh->sh_offset)
		return NULL;
	*nr = sh->sh_size / sizeof(struct ksyms_object);
	return (const struct ksyms_object *)(img->data + sh->sh_offset);
}

long ksu_object_of(const struct ksu_image *img, size_t i)
{
	size_t k, nr;
	const struct ksyms_object *obj = ksu_objects(img, &nr);

	for (k = 0; k < nr; k++)
		if ((i >= obj[k].first_local &&
		     i - obj[k].first_local < obj[k].nr_locals) ||
		    (i >= obj[k].first_global &&
		     i - obj[k].first_global < obj[k].nr_globals))
			return (long)k;
	return -1;
}

static const char *name_or_empty(const struct ksu_image *img,
				 const Elf64_Sym *sym)
{
	const char *name = ksu_sym_name(img, sym);

	return name ? name : "";
}

/* The image qsort() is ordering symbol indices of: qsort() takes no context. */
static const struct ksu_image *sorting;

static int by_addr_name(const void *a, const void *b)
{
	const Elf64_Sym *x = &sorting->syms[*(const size_t *)a];
	const Elf64_Sym *y = &sorting->syms[*(const size_t *)b];

	return ksu_cmp_addr_name(x->st_value, name_or_empty(sorting, x),
				 y->st_value, name_or_empty(sorting, y));
}

size_t *ksu_sorted_symbols(const struct ksu_image *img)
{
	size_t n = img->nsyms ? img->nsyms - 1 : 0;
	size_t *idx = calloc(n + 1, sizeof(*idx)), i;

	if (!idx)
		return NULL;
	for (i = 0; i < n; i++)
		idx[i] = i + 1;
	sorting = img;
	qsort(idx, n, sizeof(*idx), by_addr_name);
	return idx;
}

long ksu_find_sorted(const struct ksu_image *img, const size_t *idx,
		     const char *name, uint64_t addr)
{
	size_t lo = 0, hi = img->nsyms ? img->nsyms - 1 : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const Elf64_Sym *sym = &img->syms[idx[mid]];
		int c = ksu_cmp_addr_name(sym->st_value, name_or_empty(img, sym),
					  addr, name);

		if (!c)
			return (long)idx[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}
