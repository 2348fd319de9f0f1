// SPDX-License-Identifier: GPL-2.0
/*
 * BSD tools as they read /dev/ksyms, built against Linux's libelf
 * (elfutils), whose elf_memory() copies nothing: the names they keep
 * point into the KIOCGADDR mapping.
 *
 * - FreeBSD's lockstat (cddl/contrib/opensolaris/cmd/lockstat/sym.c):
 *   open, KIOCGSIZE, KIOCGADDR, elf_memory() on the mapping, keep the
 *   symbols' name pointers, close(2), then resolve for the rest of the
 *   run.
 * - OpenBSD's btrace: elf_begin(fd, ELF_C_READ), the same table, close(2).
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ksyms_test.h"

/* lockstat's own table: an address, a size and a kept name pointer. */
struct kept_sym {
	uint64_t addr;
	uint64_t size;
	const char *name;
};

struct kept_table {
	struct kept_sym *syms;
	size_t nr;
};

static int cmp_kept(const void *a, const void *b)
{
	const struct kept_sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* lockstat's symbol loader: every named symbol, sorted by address. */
static int keep_symbols(Elf *elf, struct kept_table *t)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	Elf_Data *data;
	size_t i, n;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &shdr) && shdr.sh_type == SHT_SYMTAB)
			break;
	if (!scn || !(data = elf_getdata(scn, NULL)) || !shdr.sh_entsize)
		return -1;
	n = shdr.sh_size / shdr.sh_entsize;
	t->syms = calloc(n, sizeof(*t->syms));
	if (!t->syms)
		return -1;
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(data, i, &sym))
			return -1;
		name = elf_strptr(elf, shdr.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		t->syms[t->nr++] = (struct kept_sym){ sym.st_value,
						      sym.st_size, name };
	}
	qsort(t->syms, t->nr, sizeof(*t->syms), cmp_kept);
	return 0;
}

/* lockstat's addr_to_sym(): the last symbol at or below @addr. */
static const struct kept_sym *resolve(const struct kept_table *t,
				      uint64_t addr)
{
	size_t lo = 0, hi = t->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &t->syms[lo - 1] : NULL;
}

/*
 * After close(2): every kept name is read (a fault kills the test), and
 * every vmlinux function /proc/kallsyms lists resolves to a symbol at its
 * address with its name.
 */
static void check_resolves(struct __test_metadata *_metadata,
			   const struct kept_table *t)
{
	struct ksu_kallsyms ks;
	size_t i, tried = 0, same = 0, bytes = 0;

	for (i = 0; i < t->nr; i++)
		bytes += strlen(t->syms[i].name);
	EXPECT_LT(0UL, bytes);
	ASSERT_EQ(0, ksu_kallsyms_load(&ks));
	for (i = 0; i < ks.nr_vmlinux; i++) {
		const struct ksu_ksym *k = &ks.syms[i];
		const struct kept_sym *s;

		if (k->type != 'T' && k->type != 't')
			continue;
		tried++;
		/* of aliases at one address, any is an answer */
		s = resolve(t, k->addr);
		same += s && s->addr == k->addr;
	}
	ksu_kallsyms_free(&ks);
	EXPECT_LT(1000UL, tried);
	EXPECT_EQ(tried, same) TH_LOG("%zu of %zu functions resolved", same,
				      tried);
}

FIXTURE(ports) {
	struct kept_table t;
};

FIXTURE_SETUP(ports)
{
	ASSERT_NE(EV_NONE, elf_version(EV_CURRENT));
}

FIXTURE_TEARDOWN(ports)
{
	free(self->t.syms);
}

TEST_F(ports, lockstat_elf_memory_then_close)
{
	size_t size = 0;
	void *addr = NULL;
	Elf *elf;
	int fd;

	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
	ASSERT_EQ(0, ioctl(fd, KIOCGSIZE, &size));
	ASSERT_EQ(0, ioctl(fd, KIOCGADDR, &addr));
	elf = elf_memory(addr, size);
	ASSERT_NE(NULL, elf) TH_LOG("elf_memory: %s", elf_errmsg(-1));
	ASSERT_EQ(0, keep_symbols(elf, &self->t));
	ASSERT_EQ(0, close(fd));
	check_resolves(_metadata, &self->t);
	elf_end(elf);
}

TEST_F(ports, btrace_elf_begin_then_close)
{
	Elf *elf;
	int fd;

	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
	elf = elf_begin(fd, ELF_C_READ, NULL);
	ASSERT_NE(NULL, elf) TH_LOG("elf_begin: %s", elf_errmsg(-1));
	ASSERT_EQ(0, keep_symbols(elf, &self->t));
	ASSERT_EQ(0, close(fd));
	check_resolves(_metadata, &self->t);
	elf_end(elf);
}

TEST_HARNESS_MAIN
