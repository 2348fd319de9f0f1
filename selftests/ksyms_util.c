// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the /dev/ksyms selftests; see ksyms_util.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>

#include "ksyms_util.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE	4
#endif

size_t ksu_page_size(void)
{
	static size_t pagesz;

	if (!pagesz)
		pagesz = (size_t)sysconf(_SC_PAGESIZE);
	return pagesz;
}

const char *ksu_dev_path(void)
{
	const char *p = getenv("KSYMS_TEST_DEVICE");

	return p && *p ? p : KSYMS_PATH;
}

int ksu_open(int flags)
{
	int fd = open(ksu_dev_path(), flags);

	return fd < 0 ? -errno : fd;
}

int ksu_open_close(void)
{
	int fd = ksu_open(O_RDONLY);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static int ksu_grow(unsigned char **bufp, size_t *cap, size_t need)
{
	unsigned char *nbuf;
	size_t ncap = *cap ? *cap : 1 << 20;

	while (ncap < need)
		ncap *= 2;
	if (ncap == *cap)
		return 0;
	nbuf = realloc(*bufp, ncap);
	if (!nbuf)
		return -ENOMEM;
	*bufp = nbuf;
	*cap = ncap;
	return 0;
}

/*
 * Reads until EOF, growing by @chunk bytes: read() from the current
 * position, asking for all the room there is, or, if @positional, pread()
 * from offset 0 in @chunk-byte requests.
 */
static int ksu_slurp(int fd, size_t chunk, bool positional,
		     unsigned char **bufp, size_t *sizep)
{
	unsigned char *buf = NULL;
	size_t cap = 0, len = 0;
	ssize_t n;

	for (;;) {
		if (ksu_grow(&buf, &cap, len + chunk + 1)) {
			free(buf);
			return -ENOMEM;
		}
		n = positional ? pread(fd, buf + len, chunk, (off_t)len) :
				 read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			int err = -errno;

			if (errno == EINTR)
				continue;
			free(buf);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*bufp = buf;
	*sizep = len;
	return 0;
}

int ksu_read_all(int fd, unsigned char **bufp, size_t *sizep)
{
	return ksu_slurp(fd, 65536, false, bufp, sizep);
}

int ksu_pread_all(int fd, size_t chunk, unsigned char **bufp, size_t *sizep)
{
	return ksu_slurp(fd, chunk ? chunk : 1 << 20, true, bufp, sizep);
}

static int ksu_image_fail(struct ksu_image *img, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(img->err, sizeof(img->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int ksu_image_parse(struct ksu_image *img, unsigned char *data, size_t size)
{
	const Elf64_Shdr *sym_sh, *str_sh;
	const Elf64_Ehdr *eh;

	memset(img, 0, sizeof(*img));
	img->data = data;
	img->size = size;
	eh = (const Elf64_Ehdr *)data;

	if (size < KSU_HDR_SIZE)
		return ksu_image_fail(img, "image of %zu bytes is shorter than %d",
			       size, KSU_HDR_SIZE);
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64)
		return ksu_image_fail(img, "not a 64-bit ELF image");
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum < 3 ||
	    eh->e_shoff > size ||
	    (size - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum ||
	    eh->e_shoff % 8)
		return ksu_image_fail(img, "bad section header table (off %llu num %u)",
			       (unsigned long long)eh->e_shoff, eh->e_shnum);
	img->ehdr = eh;
	img->shdr = (const Elf64_Shdr *)(data + eh->e_shoff);

	sym_sh = &img->shdr[1];
	if (sym_sh->sh_type != SHT_SYMTAB ||
	    sym_sh->sh_entsize != sizeof(Elf64_Sym) ||
	    sym_sh->sh_offset > size || sym_sh->sh_size > size - sym_sh->sh_offset ||
	    sym_sh->sh_offset % 8 || sym_sh->sh_size % sizeof(Elf64_Sym) ||
	    sym_sh->sh_link == 0 || sym_sh->sh_link >= eh->e_shnum)
		return ksu_image_fail(img, "bad .symtab section header");
	str_sh = &img->shdr[sym_sh->sh_link];
	if (str_sh->sh_type != SHT_STRTAB || str_sh->sh_offset > size ||
	    str_sh->sh_size > size - str_sh->sh_offset || str_sh->sh_size == 0)
		return ksu_image_fail(img, "bad .strtab section header");

	img->syms = (const Elf64_Sym *)(data + sym_sh->sh_offset);
	img->nsyms = sym_sh->sh_size / sizeof(Elf64_Sym);
	img->first_global = sym_sh->sh_info;
	if (img->first_global > img->nsyms)
		return ksu_image_fail(img, "sh_info %zu beyond %zu symbols",
			       img->first_global, img->nsyms);
	img->strtab = (const char *)(data + str_sh->sh_offset);
	img->strsz = str_sh->sh_size;
	return 0;
}

int ksu_image_from_fd(struct ksu_image *img, int fd)
{
	unsigned char *data;
	size_t size;
	int ret;

	memset(img, 0, sizeof(*img));
	ret = ksu_pread_all(fd, 0, &data, &size);
	if (ret) {
		snprintf(img->err, sizeof(img->err), "reading the image: %s",
			 strerror(-ret));
		return ret;
	}
	return ksu_image_parse(img, data, size);
}

int ksu_image_load(struct ksu_image *img)
{
	int fd, ret;

	memset(img, 0, sizeof(*img));
	fd = ksu_open(O_RDONLY);
	if (fd < 0) {
		snprintf(img->err, sizeof(img->err), "open %s: %s",
			 ksu_dev_path(), strerror(-fd));
		return fd;
	}
	ret = ksu_image_from_fd(img, fd);
	close(fd);
	return ret;
}

void ksu_image_free(struct ksu_image *img)
{
	free(img->data);
	memset(img, 0, sizeof(*img));
}

const char *ksu_sym_name(const struct ksu_image *img, const Elf64_Sym *sym)
{
	if (sym->st_name >= img->strsz)
		return NULL;
	if (!memchr(img->strtab + sym->st_name, '\0',
		    img->strsz - sym->st_name))
		return NULL;
	return img->strtab + sym->st_name;
}

long ksu_image_find(const struct ksu_image *img, const char *name,
		    uint64_t value)
{
	size_t i;

	for (i = 1; i < img->nsyms; i++) {
		const char *n;

		if (img->syms[i].st_value != value)
			continue;
		n = ksu_sym_name(img, &img->syms[i]);
		if (n && !strcmp(n, name))
			return (long)i;
	}
	return -1;
}

int ksu_cmp_addr_name(uint64_t a1, const char *n1, uint64_t a2,
		      const char *n2)
{
	if (a1 != a2)
		return a1 < a2 ? -1 : 1;
	return strcmp(n1, n2);
}

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

void ksu_module_name(const char *path, char *name, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t i;
	char *ko;

	base = base ? base + 1 : path;
	snprintf(name, len, "%s", base);
	ko = strstr(name, ".ko");
	if (ko)
		*ko = '\0';
	for (i = 0; name[i]; i++)
		if (name[i] == '-')
			name[i] = '_';
}

int ksu_test_modules(struct ksu_module *mods, int max)
{
	const char *list = getenv("KSYMS_TEST_MODULES");
	char line[PATH_MAX];
	int n = 0;
	FILE *f;

	if (!list || !*list)
		return -ENOENT;
	f = fopen(list, "r");
	if (!f)
		return -errno;
	while (n < max && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		snprintf(mods[n].path, sizeof(mods[n].path), "%s", line);
		ksu_module_name(line, mods[n].name, sizeof(mods[n].name));
		n++;
	}
	fclose(f);
	return n;
}

static bool ksu_ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !strcmp(s + ls - lx, suffix);
}

int ksu_module_load(const char *path)
{
	int flags = 0, fd, ret;

	if (ksu_ends_with(path, ".xz") || ksu_ends_with(path, ".gz") ||
	    ksu_ends_with(path, ".zst"))
		flags |= MODULE_INIT_COMPRESSED_FILE;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", flags);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

int ksu_module_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

int ksu_module_unload_wait(const char *name)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i, ret = 0;

	for (i = 0; i < 250; i++) {
		ret = ksu_module_unload(name);
		if (ret != -EAGAIN && ret != -EBUSY)
			break;
		nanosleep(&ts, NULL);
	}
	return ret;
}

bool ksu_module_loaded(const char *name)
{
	char line[512];
	size_t len = strlen(name);
	bool found = false;
	FILE *f;

	f = fopen("/proc/modules", "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, name, len) && line[len] == ' ';
	fclose(f);
	return found;
}

int ksu_modules_in_load_order(struct ksu_modname *names, int max)
{
	char line[512];
	int n = 0, i;
	size_t len;
	FILE *f;

	f = fopen("/proc/modules", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (n == max) {
			fclose(f);
			return -E2BIG;
		}
		len = strcspn(line, " ");
		if (len >= KSU_MODNAME_LEN)
			len = KSU_MODNAME_LEN - 1;
		memcpy(names[n].name, line, len);
		names[n].name[len] = '\0';
		n++;
	}
	fclose(f);
	/* /proc/modules is newest first */
	for (i = 0; i < n / 2; i++) {
		struct ksu_modname tmp = names[i];

		names[i] = names[n - 1 - i];
		names[n - 1 - i] = tmp;
	}
	return n;
}

const char *ksu_ksyms_ko(void)
{
	const char *ko = getenv("KSYMS_KO");

	return ko && *ko ? ko : NULL;
}

int ksu_ksyms_ensure_loaded(void)
{
	const char *ko = ksu_ksyms_ko();

	if (ksu_module_loaded("ksyms"))
		return 0;
	if (!ko)
		return -ENOENT;
	return ksu_module_load(ko);
}

bool ksu_debugfs_present(void)
{
	return access(KSU_DEBUGFS "/stats", R_OK) == 0;
}

/* One "name value" line, without its newline, into the next entry. */
static int ksu_stat_parse(struct ksu_stats *st, const char *line)
{
	size_t len = strcspn(line, " ");
	char *end;
	long val;

	if (!len || len >= KSU_STAT_NAME_LEN || line[len] != ' ' ||
	    st->count == KSU_STATS_MAX)
		return -EPROTO;
	errno = 0;
	val = strtol(line + len + 1, &end, 10);
	if (errno || end == line + len + 1 || *end)
		return -EPROTO;
	memcpy(st->stat[st->count].name, line, len);
	st->stat[st->count].name[len] = '\0';
	st->stat[st->count].value = val;
	st->count++;
	return 0;
}

int ksu_stats_read(struct ksu_stats *st)
{
	unsigned char *buf;
	char *line, *next;
	size_t size;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = ksu_read_path(KSU_DEBUGFS "/stats", &buf, &size);
	if (ret)
		return ret;
	for (line = (char *)buf; !ret && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		ret = ksu_stat_parse(st, line);
	}
	free(buf);
	if (!ret && !st->count)
		ret = -EPROTO;
	if (ret)
		st->count = 0;
	return ret;
}

int ksu_stat_find(const struct ksu_stats *st, const char *name, long *val)
{
	int i;

	for (i = 0; i < st->count; i++) {
		if (!strcmp(st->stat[i].name, name)) {
			*val = st->stat[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

long ksu_stat(const struct ksu_stats *st, const char *name)
{
	long val;

	if (ksu_stat_find(st, name, &val)) {
		fprintf(stderr, "# %s/stats: no counter \"%s\" (%d read)\n",
			KSU_DEBUGFS, name, st->count);
		fflush(stderr);
		abort();
	}
	return val;
}

/* A 1 s timer on a loaded emulated machine, with room to spare. */
#define KSU_IDLE_WAIT_MS	15000
#define KSU_IDLE_POLL_MS	100

int ksu_cache_drop_idle(void)
{
	struct ksu_stats before, now;
	long secs;
	int ms, ret;

	ret = ksu_stats_read(&before);
	if (!ret)
		ret = ksu_read_long(KSU_IDLE_PARAM, &secs);
	if (!ret)
		ret = ksu_write_long(KSU_IDLE_PARAM, 1);
	if (ret)
		return ret;
	ret = -ETIMEDOUT;
	for (ms = 0; ms < KSU_IDLE_WAIT_MS; ms += KSU_IDLE_POLL_MS) {
		if (!ksu_stats_read(&now) &&
		    ksu_stat(&now, "drops_idle") >
		    ksu_stat(&before, "drops_idle")) {
			ret = 0;
			break;
		}
		usleep(KSU_IDLE_POLL_MS * 1000);
	}
	if (ksu_write_long(KSU_IDLE_PARAM, secs) && !ret)
		ret = -EIO;
	return ret;
}

int ksu_write_str(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

int ksu_write_long(const char *path, long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld\n", val);
	return ksu_write_str(path, buf);
}

int ksu_read_long(const char *path, long *val)
{
	char buf[32];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	errno = 0;
	*val = strtol(buf, NULL, 10);
	return errno ? -errno : 0;
}

int ksu_debugfs_write(const char *file, long val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", KSU_DEBUGFS, file);
	return ksu_write_long(path, val);
}

int ksu_read_path(const char *path, unsigned char **bufp, size_t *sizep)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = ksu_read_all(fd, bufp, sizep);
	close(fd);
	return ret;
}

long ksu_meminfo_kb(const char *field)
{
	size_t n = strlen(field);
	long val = -ENOENT;
	char line[128];
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, n) && line[n] == ':') {
			val = strtol(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

int ksu_drop_caches(int what)
{
	return ksu_write_long("/proc/sys/vm/drop_caches", what);
}

int ksu_maps_count(void)
{
	unsigned char *buf;
	size_t size, i;
	int ret, n = 0;

	ret = ksu_read_path("/proc/self/maps", &buf, &size);
	if (ret)
		return ret;
	for (i = 0; i < size; i++)
		n += buf[i] == '\n';
	free(buf);
	return n;
}

static bool ksu_maps_match(uintptr_t addr, char *line, size_t len,
			   bool covering)
{
	unsigned char *buf;
	char *l, *next;
	size_t size;
	bool found = false;

	if (ksu_read_path("/proc/self/maps", &buf, &size))
		return false;
	for (l = (char *)buf; l && *l && !found; l = next) {
		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		char *end;
		uintptr_t start = (uintptr_t)strtoull(l, &end, 16);
		uintptr_t stop = (uintptr_t)strtoull(end + 1, NULL, 16);

		if (start == addr ||
		    (covering && start <= addr && addr < stop)) {
			snprintf(line, len, "%s", l);
			found = true;
		}
	}
	free(buf);
	return found;
}

bool ksu_maps_find(uintptr_t addr, char *line, size_t len)
{
	return ksu_maps_match(addr, line, len, false);
}

bool ksu_maps_covering(uintptr_t addr, char *line, size_t len)
{
	return ksu_maps_match(addr, line, len, true);
}

int ksu_dev_mappings(void)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		n += !!strstr(line, ksu_dev_path());
	fclose(f);
	return n;
}

static int ksu_dev_mappings_child(void *unused)
{
	(void)unused;
	return ksu_dev_mappings();
}

int ksu_child_dev_mappings(void)
{
	return ksu_run_child(ksu_dev_mappings_child, NULL);
}

int ksu_smaps_flags(uintptr_t addr, char *flags, size_t len)
{
	char line[512];
	bool in = false;
	int ret = -ENOENT;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;

		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			in = start == addr;
		} else if (in && !strncmp(line, "VmFlags:", 8)) {
			snprintf(flags, len, "%s", line + 8);
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

int ksu_pagemap(const void *addr, uint64_t *pfn, bool *present)
{
	uint64_t ent;
	off_t off = (off_t)((uintptr_t)addr / ksu_page_size() * sizeof(ent));
	int fd, ret = 0;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pread(fd, &ent, sizeof(ent), off) != sizeof(ent))
		ret = errno ? -errno : -EIO;
	close(fd);
	if (ret)
		return ret;
	*present = ent >> 63;
	*pfn = ent & ((1ULL << 55) - 1);
	return 0;
}

int ksu_run_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int ksu_become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(KSU_NOBODY, KSU_NOBODY, KSU_NOBODY) ||
	    setresuid(KSU_NOBODY, KSU_NOBODY, KSU_NOBODY))
		return -errno;
	return 0;
}

int ksu_drop_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	unsigned int idx = (unsigned int)cap / 32;
	uint32_t bit = 1U << (cap % 32);

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[idx].effective &= ~bit;
	data[idx].permitted &= ~bit;
	data[idx].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	/* check it took */
	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	return (data[idx].effective & bit) ? -EPERM : 0;
}
