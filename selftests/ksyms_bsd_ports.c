// SPDX-License-Identifier: GPL-2.0-only
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
 *
 * And fstat's st_size, which elfutils and libbsd's nlist() size their
 * reads and mappings by, after a module change made a newer snapshot of
 * another size: an older descriptor is still read whole.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bsd/nlist.h>

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

/* Symbols and the last symbol's name as elfutils reads @fd with @cmd. */
static int elfutils_read(int fd, Elf_Cmd cmd, size_t *nsyms, char *last,
			 size_t len)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	GElf_Sym sym;
	Elf_Data *data;
	const char *name;
	Elf *elf;
	int ret = -1;

	elf = elf_begin(fd, cmd, NULL);
	if (!elf)
		return -1;
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &shdr) && shdr.sh_type == SHT_SYMTAB)
			break;
	if (scn && (data = elf_getdata(scn, NULL)) && shdr.sh_entsize) {
		*nsyms = shdr.sh_size / shdr.sh_entsize;
		if (gelf_getsym(data, *nsyms - 1, &sym) &&
		    (name = elf_strptr(elf, shdr.sh_link, sym.st_name))) {
			snprintf(last, len, "%s", name);
			ret = 0;
		}
	}
	elf_end(elf);
	return ret;
}

/* A child that opens the device and holds it until its pipe closes. */
static pid_t hold_new_open(int *release)
{
	int go[2], ready[2], fd;
	char byte = 0;
	pid_t pid;

	if (pipe(go) || pipe(ready))
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		fd = ksu_open(O_RDONLY);
		byte = fd >= 0 ? 'o' : 'x';
		if (write(ready[1], &byte, 1) != 1)
			_exit(1);
		if (read(go[0], &byte, 1) < 0)
			_exit(1);
		_exit(fd >= 0 ? 0 : 2);
	}
	close(go[0]);
	close(ready[1]);
	if (pid < 0 || read(ready[0], &byte, 1) != 1 || byte != 'o') {
		close(go[1]);
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	*release = go[1];
	return pid;
}

/* libbsd's nlist() of init_task, on an open of its own, in a child. */
static int nlist_child(void *unused)
{
	struct nlist nl[2] = { { .n_name = "init_task" }, { .n_name = NULL } };

	(void)unused;
	return nlist(ksu_dev_path(), nl) == 0 && nl[0].n_value ? 0 : 1;
}

#define EU_READELF	"/usr/bin/eu-readelf"

/* eu-readelf -S on a new open, in a child; 0 if it read every section. */
static int eu_readelf_child(void *unused)
{
	int null = open("/dev/null", O_WRONLY);

	(void)unused;
	if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
		return 126;
	execl(EU_READELF, "eu-readelf", "-S", ksu_dev_path(), (char *)NULL);
	return 127;
}

/*
 * @fd's snapshot, read by elfutils through read() and mmap(), agrees with
 * what pread() gave, and nlist() and eu-readelf work beside it.
 */
static void check_older_descriptor(struct __test_metadata *_metadata, int fd,
				   const struct ksu_image *img)
{
	static const Elf_Cmd cmds[] = { ELF_C_READ, ELF_C_READ_MMAP };
	char last[512];
	struct stat st;
	size_t i, n;

	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_LE((off_t)img->size, st.st_size)
		TH_LOG("st_size %lld cuts this descriptor's %zu-byte image short",
		       (long long)st.st_size, img->size);
	for (i = 0; i < 2; i++) {
		n = 0;
		last[0] = '\0';
		EXPECT_EQ(0, elfutils_read(fd, cmds[i], &n, last, sizeof(last)))
			TH_LOG("%s: %s", i ? "ELF_C_READ_MMAP" : "ELF_C_READ",
			       elf_errmsg(-1));
		EXPECT_EQ(img->nsyms, n);
		EXPECT_STREQ(ksu_sym_name(img, &img->syms[img->nsyms - 1]), last);
	}
	EXPECT_EQ(0, ksu_run_child(nlist_child, NULL));
	if (!access(EU_READELF, X_OK)) {
		EXPECT_EQ(0, ksu_run_child(eu_readelf_child, NULL));
	} else {
		TH_LOG("no %s here: not run", EU_READELF);
	}
}

/*
 * Open, then a module load or unload, then a newer open elsewhere: the
 * older descriptor's image is smaller or larger than the newer one.
 */
TEST_F_TIMEOUT(ports, older_descriptor_after_module_change, 120)
{
	struct ksu_module mods[KSU_MAX_TEST_MODULES];
	int n, round, fd, release, status;
	struct ksu_image img;
	pid_t pid;

	n = ksu_test_modules(mods, KSU_MAX_TEST_MODULES);
	if (n <= 0)
		SKIP(return, "no test modules in $KSYMS_TEST_MODULES");
	if (ksu_module_loaded(mods[0].name))
		ASSERT_EQ(0, ksu_module_unload_wait(mods[0].name));
	for (round = 0; round < 2; round++) {
		const bool load = round == 0;	/* older smaller, then larger */

		fd = ksu_open(O_RDONLY);
		ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
		ASSERT_EQ(0, ksu_image_from_fd(&img, fd)) TH_LOG("%s", img.err);
		if (load) {
			ASSERT_EQ(0, ksu_module_load(mods[0].path));
		} else {
			ASSERT_EQ(0, ksu_module_unload_wait(mods[0].name));
		}
		pid = hold_new_open(&release);
		ASSERT_LT(0, pid) TH_LOG("the newer open failed");
		check_older_descriptor(_metadata, fd, &img);
		close(release);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
		ksu_image_free(&img);
		close(fd);
	}
}

TEST_HARNESS_MAIN
