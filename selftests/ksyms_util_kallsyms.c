// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/kallsyms read into a sorted table, the answer the image is checked
 * against.
 * See ksyms_util.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksyms_util.h"

static int ksu_ksym_ptr_cmp(const void *a, const void *b)
{
	const struct ksu_ksym *x = *(struct ksu_ksym * const *)a;
	const struct ksu_ksym *y = *(struct ksu_ksym * const *)b;

	return ksu_cmp_addr_name(x->addr, x->name, y->addr, y->name);
}

/* "ADDR T NAME" or "ADDR T NAME\t[MODULE]"; modifies @line. */
static int ksu_parse_kallsyms_line(char *line, struct ksu_ksym *out)
{
	char *p = line, *end, *name, *mod;
	unsigned long long addr;

	errno = 0;
	addr = strtoull(p, &end, 16);
	if (errno || end == p || end[0] != ' ' || !end[1] || end[2] != ' ')
		return -EINVAL;
	out->addr = addr;
	out->type = end[1];
	name = end + 3;
	out->name = name;
	out->module = NULL;
	p = strchr(name, '\t');
	if (p) {
		*p++ = '\0';
		if (*p != '[')
			return -EINVAL;
		mod = p + 1;
		p = mod + strcspn(mod, "] ");
		*p = '\0';
		out->module = mod;
	}
	return *name ? 0 : -EINVAL;
}

int ksu_kallsyms_load(struct ksu_kallsyms *ks)
{
	size_t size, lines = 0, i;
	unsigned char *data;
	char *line, *next;
	int fd, ret;

	memset(ks, 0, sizeof(*ks));
	fd = open("/proc/kallsyms", O_RDONLY);
	if (fd < 0)
		return -errno;
	ret = ksu_read_all(fd, &data, &size);
	close(fd);
	if (ret)
		return ret;
	ks->buf = (char *)data;
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	ks->syms = calloc(lines + 1, sizeof(*ks->syms));
	ks->sorted = calloc(lines + 1, sizeof(*ks->sorted));
	if (!ks->syms || !ks->sorted) {
		ksu_kallsyms_free(ks);
		return -ENOMEM;
	}
	for (line = ks->buf; line && *line; line = next) {
		struct ksu_ksym *k = &ks->syms[ks->count];

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (ksu_parse_kallsyms_line(line, k)) {
			ksu_kallsyms_free(ks);
			return -EPROTO;
		}
		if (!k->module)
			ks->nr_vmlinux++;
		ks->sorted[ks->count] = k;
		ks->count++;
	}
	qsort(ks->sorted, ks->count, sizeof(*ks->sorted), ksu_ksym_ptr_cmp);
	return 0;
}

void ksu_kallsyms_free(struct ksu_kallsyms *ks)
{
	free(ks->buf);
	free(ks->syms);
	free(ks->sorted);
	memset(ks, 0, sizeof(*ks));
}

const struct ksu_ksym *ksu_kallsyms_find(const struct ksu_kallsyms *ks,
					 uint64_t addr, const char *name)
{
	size_t lo = 0, hi = ks->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ksu_ksym *k = ks->sorted[mid];
		int c = ksu_cmp_addr_name(k->addr, k->name, addr, name);

		if (!c)
			return k;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t ksu_kallsyms_count_name(const struct ksu_kallsyms *ks,
			       const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < ks->count; i++)
		n += !strcmp(ks->syms[i].name, name);
	return n;
}
