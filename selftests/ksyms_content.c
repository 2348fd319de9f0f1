// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the /dev/ksyms image says against what /proc/kallsyms says, with the
 * test modules loaded: the same (name, address) multiset, in kallsyms'
 * order, vmlinux symbols typed and sized from their nm letters, every
 * symbol in the typed section its letter asks for (SHN_ABS for absolute
 * and weak ones).  ksyms_module_content checks the modules' symbols.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_content_fixture.h"

#define MAX_REPORT	10

struct rec {
	uint64_t addr;
	const char *name;
	uint64_t size;
	unsigned char info;
	char type;		/* nm letter; 0 for image records */
	bool exempt_size;	/* the size may also be 0 */
};

static int rec_cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	return ksu_cmp_addr_name(x->addr, x->name, y->addr, y->name);
}

/* /proc/kallsyms shows real addresses to us: otherwise nothing is tested. */
TEST_F(content, kallsyms_shows_addresses)
{
	size_t i, nonzero = 0;

	for (i = 0; i < self->ks.count; i++)
		nonzero += self->ks.syms[i].addr != 0;
	EXPECT_LT(self->ks.count / 2, nonzero);
}

TEST_F(content, same_names_and_addresses)
{
	const struct ksu_image *img = &self->img;
	const struct ksu_kallsyms *ks = &self->ks;
	size_t ni = img->nsyms - 1, nk = ks->count, i, j;
	size_t missing = 0, extra = 0, unnamed = 0;
	struct rec *ri, *rk;

	ri = calloc(ni + 1, sizeof(*ri));
	rk = calloc(nk + 1, sizeof(*rk));
	ASSERT_NE(NULL, ri);
	ASSERT_NE(NULL, rk);
	for (i = 0; i < ni; i++) {
		const Elf64_Sym *s = &img->syms[i + 1];

		ri[i].addr = s->st_value;
		ri[i].name = ksu_sym_name(img, s);
		if (!ri[i].name) {
			unnamed++;
			ri[i].name = "";
		}
	}
	for (i = 0; i < nk; i++) {
		rk[i].addr = ks->syms[i].addr;
		rk[i].name = ks->syms[i].name;
	}
	qsort(ri, ni, sizeof(*ri), rec_cmp);
	qsort(rk, nk, sizeof(*rk), rec_cmp);

	for (i = j = 0; i < ni || j < nk;) {
		int c;

		if (i == ni)
			c = 1;
		else if (j == nk)
			c = -1;
		else
			c = rec_cmp(&ri[i], &rk[j]);
		if (!c) {
			i++;
			j++;
		} else if (c < 0) {
			if (extra++ < MAX_REPORT)
				TH_LOG("in the image, not in /proc/kallsyms: %016llx %s",
				       (unsigned long long)ri[i].addr, ri[i].name);
			i++;
		} else {
			if (missing++ < MAX_REPORT)
				TH_LOG("in /proc/kallsyms, not in the image: %016llx %s",
				       (unsigned long long)rk[j].addr, rk[j].name);
			j++;
		}
	}
	EXPECT_EQ(0UL, unnamed);
	EXPECT_EQ(0UL, extra);
	EXPECT_EQ(0UL, missing);
	EXPECT_EQ(nk, ni) TH_LOG("%zu symbols in the image (null excluded), %zu lines in /proc/kallsyms",
				 ni, nk);
	free(ri);
	free(rk);
}

/*
 * .ksyms.kallsyms puts the image back in /proc/kallsyms' order (vmlinux,
 * then the modules newest first, as the kernel's module list has them,
 * then the pseudo-objects, flagged KSYMS_OBJECT_PSEUDO, as they are), with
 * kallsyms' exact letters: every line agrees (address, letter, name,
 * module), module exports in upper case included.
 */
TEST_F(content, kallsyms_order_and_letters)
{
	const struct ksu_image *img = &self->img;
	const Elf64_Shdr *sh = &img->shdr[KSU_SHN_KALLSYMS];
	const Elf64_Shdr *osh = &img->shdr[KSU_SHN_OBJECTS];
	const struct ksyms_object *obj;
	const unsigned char *letters, *order;
	size_t nobj, nmod, k, n, j, pos = 0, bit, bad = 0, upper_module = 0;
	size_t *first_bit;

	ASSERT_LE(sh->sh_offset + sh->sh_size, img->size);
	ASSERT_EQ(img->nsyms + (img->nsyms - 1 + 7) / 8, sh->sh_size);
	letters = img->data + sh->sh_offset;
	order = letters + img->nsyms;
	obj = (const struct ksyms_object *)(img->data + osh->sh_offset);
	nobj = osh->sh_size / sizeof(*obj);
	ASSERT_LE(1UL, nobj);
	/* vmlinux and the modules, then the pseudo-objects */
	for (nmod = 1; nmod < nobj && !(obj[nmod].flags & KSYMS_OBJECT_PSEUDO);
	     nmod++)
		;
	for (k = nmod; k < nobj; k++)
		EXPECT_TRUE(obj[k].flags & KSYMS_OBJECT_PSEUDO) TH_LOG("%s", obj[k].name);
	/* the bitmap is in image (load) order */
	first_bit = calloc(nobj, sizeof(*first_bit));
	ASSERT_NE(NULL, first_bit);
	for (k = 1; k < nobj; k++)
		first_bit[k] = first_bit[k - 1] + obj[k - 1].nr_locals +
			       obj[k - 1].nr_globals;
	for (n = 0; n < nobj; n++) {
		uint64_t local, global;

		/* vmlinux, the modules newest first, the rest in order */
		k = !n ? 0 : n < nmod ? nmod - n : n;
		local = obj[k].first_local;
		global = obj[k].first_global;
		bit = first_bit[k];
		for (j = 0; j < obj[k].nr_locals + obj[k].nr_globals;
		     j++, bit++, pos++) {
			size_t i = order[bit / 8] & (1U << (bit % 8)) ?
				   global++ : local++;
			const struct ksu_ksym *want;
			const char *name = ksu_sym_name(img, &img->syms[i]);
			const char *module = k ? obj[k].name : NULL;

			ASSERT_LT(pos, self->ks.count);
			want = &self->ks.syms[pos];
			upper_module += module && want->type >= 'A' &&
					want->type <= 'Z';
			if (want->addr == img->syms[i].st_value &&
			    want->type == letters[i] && !strcmp(want->name, name) &&
			    !module == !want->module &&
			    (!module || !strcmp(module, want->module)))
				continue;
			if (bad++ < MAX_REPORT)
				TH_LOG("line %zu: kallsyms %llx %c %s [%s], image %llx %c %s [%s]",
				       pos, (unsigned long long)want->addr,
				       want->type, want->name,
				       want->module ? want->module : "",
				       (unsigned long long)img->syms[i].st_value,
				       letters[i], name, module ? module : "");
		}
		EXPECT_EQ(obj[k].first_local + obj[k].nr_locals, local);
		EXPECT_EQ(obj[k].first_global + obj[k].nr_globals, global);
	}
	free(first_bit);
	ksft_print_msg("%zu lines in kallsyms order, %zu differ; %zu exported module symbols\n",
		       pos, bad, upper_module);
	EXPECT_EQ(0UL, bad);
	EXPECT_EQ(self->ks.count, pos);
}

/* The typed section nm needs to print letter @t; NULL for SHN_ABS. */
static const char *letter_section(char t)
{
	switch (t) {
	case 't': case 'T':
		return ".text";
	case 'r': case 'R':
		return ".rodata";
	case 'd': case 'D': case 'g': case 'G':
		return ".data";
	case 'b': case 'B': case 's': case 'S':
		return ".bss";
	}
	return NULL;
}

TEST_F(content, every_symbol_in_its_letters_section)
{
	const struct ksu_image *img = &self->img;
	const Elf64_Shdr *names_sh = &img->shdr[img->ehdr->e_shstrndx];
	const char *names = (const char *)img->data + names_sh->sh_offset;
	size_t i, checked = 0, bad = 0;

	for (i = 1; i < img->nsyms; i++) {
		const Elf64_Sym *sym = &img->syms[i];
		const char *name = ksu_sym_name(img, sym);
		const struct ksu_ksym *k = ksu_kallsyms_find(&self->ks,
							     sym->st_value,
							     name);
		const char *want, *got = NULL;

		if (!k)
			continue;
		checked++;
		want = letter_section(k->type);
		if (sym->st_shndx != SHN_ABS) {
			if (sym->st_shndx < KSU_SHN_FIRST_TYPED ||
			    sym->st_shndx >= img->ehdr->e_shnum)
				got = "(no such section)";
			else
				got = names + img->shdr[sym->st_shndx].sh_name;
		}
		/* Text or data wider than a typed section stays absolute. */
		if (want && !got && strcmp(want, ".bss") &&
		    sym->st_size > KSU_SECTION_SPAN)
			want = NULL;
		if (!want != !got || (want && strcmp(want, got))) {
			if (bad++ < MAX_REPORT)
				TH_LOG("%s '%c': in %s, want %s", name, k->type,
				       got ? got : "SHN_ABS",
				       want ? want : "SHN_ABS");
		}
	}
	EXPECT_EQ(0UL, bad);
	EXPECT_LT((img->nsyms - 1) / 2, checked);
}

static unsigned char letter_bind(char t)
{
	switch (t) {
	case 'w': case 'W': case 'v': case 'V':
		return STB_WEAK;
	}
	return (t >= 'A' && t <= 'Z') ? STB_GLOBAL : STB_LOCAL;
}

/* The ELF type nm's letter promises, or -1 when it promises nothing. */
static int letter_type(char t)
{
	switch (t) {
	case 't': case 'T':
		return STT_FUNC;
	case 'd': case 'D': case 'b': case 'B': case 'r': case 'R':
	case 'v': case 'V':
		return STT_OBJECT;
	case 'a': case 'A':
		return STT_NOTYPE;
	}
	return -1;
}

static bool letter_absolute(char t)
{
	return t == 'a' || t == 'A';
}

/*
 * Expected vmlinux records: binding and type from the letter, size = the
 * distance to the next higher address in /proc/kallsyms (address) order.
 * Where that order breaks, and for the last symbol, the size is 0.
 */
static struct rec *vmlinux_expected(const struct ksu_kallsyms *ks,
				    size_t *nlocal, size_t *nglobal)
{
	const struct ksu_ksym **v;
	struct rec *r;
	size_t n = 0, i;
	uint64_t next_higher = 0;
	bool have_next = false;

	v = calloc(ks->nr_vmlinux + 1, sizeof(*v));
	r = calloc(ks->nr_vmlinux + 1, sizeof(*r));
	if (!v || !r) {
		free(v);
		free(r);
		return NULL;
	}
	for (i = 0; i < ks->count; i++)
		if (!ks->syms[i].module)
			v[n++] = &ks->syms[i];
	*nlocal = *nglobal = 0;
	for (i = n; i-- > 0;) {
		const struct ksu_ksym *k = v[i];
		int type = letter_type(k->type);

		if (i + 1 < n) {
			if (v[i + 1]->addr < k->addr) {
				have_next = false;
			} else if (v[i + 1]->addr > k->addr) {
				next_higher = v[i + 1]->addr;
				have_next = true;
			}
		}
		r[i].addr = k->addr;
		r[i].name = k->name;
		r[i].type = k->type;
		r[i].size = have_next ? next_higher - k->addr : 0;
		r[i].exempt_size = letter_absolute(k->type);
		r[i].info = ELF64_ST_INFO(letter_bind(k->type),
					  type < 0 ? 0 : type);
		if (letter_bind(k->type) == STB_LOCAL)
			(*nlocal)++;
		else
			(*nglobal)++;
	}
	free(v);
	return r;
}

static bool rec_matches(const struct rec *exp, const struct rec *got)
{
	if (ELF64_ST_BIND(exp->info) != ELF64_ST_BIND(got->info))
		return false;
	if (letter_type(exp->type) >= 0 &&
	    ELF64_ST_TYPE(exp->info) != ELF64_ST_TYPE(got->info))
		return false;
	if (got->size != exp->size && !(exp->exempt_size && got->size == 0))
		return false;
	return true;
}

/*
 * The first symbols of the local region and of the global region are
 * exactly vmlinux's, bound, typed and sized as the letters say.
 */
TEST_F(content, vmlinux_first_typed_and_sized)
{
	const struct ksu_image *img = &self->img;
	size_t nlocal, nglobal, n, i, j, bad = 0, unmatched = 0;
	struct rec *exp, *got;

	exp = vmlinux_expected(&self->ks, &nlocal, &nglobal);
	ASSERT_NE(NULL, exp);
	n = nlocal + nglobal;
	ASSERT_LE(1 + nlocal, img->first_global)
		TH_LOG("%zu vmlinux locals, sh_info %zu", nlocal,
		       img->first_global);
	ASSERT_LE(img->first_global + nglobal, img->nsyms)
		TH_LOG("%zu vmlinux globals, %zu symbols from sh_info %zu",
		       nglobal, img->nsyms - img->first_global,
		       img->first_global);
	got = calloc(n + 1, sizeof(*got));
	ASSERT_NE(NULL, got);
	for (i = 0; i < n; i++) {
		size_t idx = i < nlocal ? 1 + i : img->first_global + i - nlocal;
		const Elf64_Sym *s = &img->syms[idx];

		got[i].addr = s->st_value;
		got[i].name = ksu_sym_name(img, s);
		got[i].info = s->st_info;
		got[i].size = s->st_size;
		if (!got[i].name)
			got[i].name = "";
	}
	qsort(exp, n, sizeof(*exp), rec_cmp);
	qsort(got, n, sizeof(*got), rec_cmp);

	/* walk groups of equal (address, name) */
	for (i = 0; i < n;) {
		size_t end = i, k;

		while (end < n && !rec_cmp(&exp[i], &exp[end]))
			end++;
		for (j = i; j < end; j++) {
			if (rec_cmp(&exp[i], &got[j])) {
				if (unmatched++ < MAX_REPORT)
					TH_LOG("expected vmlinux symbol %016llx %s, the image has %016llx %s here",
					       (unsigned long long)exp[i].addr,
					       exp[i].name,
					       (unsigned long long)got[j].addr,
					       got[j].name);
				continue;
			}
			for (k = i; k < end; k++)
				if (rec_matches(&exp[k], &got[j]))
					break;
			if (k < end)
				continue;
			if (bad++ < MAX_REPORT)
				TH_LOG("%s (%c): bind %u type %u size %llu; expected bind %u type %d size %llu",
				       got[j].name, exp[i].type,
				       ELF64_ST_BIND(got[j].info),
				       ELF64_ST_TYPE(got[j].info),
				       (unsigned long long)got[j].size,
				       ELF64_ST_BIND(exp[i].info),
				       letter_type(exp[i].type),
				       (unsigned long long)exp[i].size);
		}
		i = end;
	}
	EXPECT_EQ(0UL, unmatched);
	EXPECT_EQ(0UL, bad);
	free(exp);
	free(got);
}

TEST_HARNESS_MAIN
