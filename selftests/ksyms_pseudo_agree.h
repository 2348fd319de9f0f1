/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the pseudo-object tests check of an image: that it lists what
 * /proc/kallsyms lists, each symbol in the object kallsyms names, the
 * pseudo-objects after the modules.  Included by one program each, after
 * ksyms_test.h.
 */
#ifndef KSYMS_PSEUDO_AGREE_H
#define KSYMS_PSEUDO_AGREE_H

#include <stdlib.h>
#include <string.h>

/* Index of the first pseudo-object in @obj (of @nr): they follow the modules. */
static inline size_t first_pseudo(const struct ksyms_object *obj, size_t nr)
{
	size_t k = 1;

	while (k < nr && !(obj[k].flags & KSYMS_OBJECT_PSEUDO))
		k++;
	return k;
}

/*
 * Whether the image holds @name at @addr in a pseudo-object called
 * @module, with a size if it is not the highest there.
 */
static inline bool in_pseudo_object(const struct ksu_image *img, const char *name,
			     uint64_t addr, const char *module)
{
	size_t nr;
	const struct ksyms_object *obj = ksu_objects(img, &nr);
	long i = ksu_image_find(img, name, addr), k;

	if (i < 0)
		return false;
	k = ksu_object_of(img, i);
	return k >= (long)first_pseudo(obj, nr) &&
	       (obj[k].flags & KSYMS_OBJECT_PSEUDO) &&
	       !strcmp(obj[k].name, module);
}

/*
 * The image and /proc/kallsyms, read right after it, list the same lines,
 * each in the object kallsyms names (pseudo-objects after the modules);
 * returns how many lines were of pseudo-objects named @module.
 */
static inline size_t agree(struct __test_metadata *_metadata,
		    const struct ksu_image *img, const char *module)
{
	size_t i, of_module = 0, wrong = 0, nr, pseudo;
	const struct ksyms_object *obj = ksu_objects(img, &nr);
	size_t *idx = ksu_sorted_symbols(img);
	struct ksu_kallsyms ks;

	pseudo = first_pseudo(obj, nr);
	if (!idx || ksu_kallsyms_load(&ks)) {
		EXPECT_TRUE(false) TH_LOG("out of memory or no /proc/kallsyms");
		free(idx);
		return 0;
	}
	for (i = 0; i < ks.count; i++) {
		const struct ksu_ksym *k = &ks.syms[i];
		long s = ksu_find_sorted(img, idx, k->name, k->addr);
		long o = s < 0 ? -1 : ksu_object_of(img, s);
		const char *want = k->module ? k->module : "vmlinux";

		if (o < 0 || strcmp(obj[o].name, want)) {
			if (wrong++ < 5)
				TH_LOG("%llx %s [%s]: %s", (unsigned long long)k->addr,
				       k->name, want, o < 0 ? "not in the image" :
				       obj[o].name);
			continue;
		}
		if (module && !strcmp(want, module)) {
			of_module++;
			if ((o < (long)pseudo ||
			     !(obj[o].flags & KSYMS_OBJECT_PSEUDO)) && wrong++ < 5)
				TH_LOG("%s: object %ld is not a pseudo-object after the modules (%zu)",
				       k->name, o, pseudo);
		}
	}
	EXPECT_EQ(0UL, wrong);
	EXPECT_EQ(ks.count, img->nsyms - 1);
	ksu_kallsyms_free(&ks);
	free(idx);
	return of_module;
}

#endif
