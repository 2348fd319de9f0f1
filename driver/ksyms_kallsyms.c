// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/kallsyms as the kernel's own answer to two questions: may this
 * caller see addresses, and what are vmlinux's symbols.
 *
 * Nothing that enumerates kernel symbols is exported to modules, and
 * calling unexported functions through pointers crashes on IBT kernels, so
 * the driver reads the file the kernel itself serves, from a procfs of its
 * own (ksyms_initfs.c).  Its proc_ops have no read_iter, so kernel_read()
 * refuses it; the exported seq_read_iter() on the opened file is the read
 * it would do.
 */
#include <linux/bits.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uio.h>

#include "ksyms_compat.h"
#include "ksyms_debug.h"
#include "ksyms_elf.h"
#include "ksyms_initfs.h"
#include "ksyms_kallsyms.h"
#include "ksyms_nm.h"

#define KSYMS_KALLSYMS_NAME	"kallsyms"	/* in the driver's procfs */
/* Lines are at most KSYM_NAME_LEN plus an address, a type and a module. */
#define KSYMS_KALLSYMS_CHUNK	(64 * 1024)
/* What the privilege check reads, as the notes on per-cpu symbols advise. */
#define KSYMS_KALLSYMS_PROBE	PAGE_SIZE
#define KSYMS_VMLINUX_INITIAL	(64 * 1024)
/* Enough for a few dozen BPF programs in one read. */
#define KSYMS_KALLSYMS_TAIL_CHUNK	(8 * 1024)
#define KSYMS_TAIL_INITIAL	(4 * 1024)

static int ksyms_with_kallsyms(bool cap_syslog,
			       int (*fn)(struct file *, void *), void *arg)
{
	struct file *file = ksyms_proc_open(KSYMS_KALLSYMS_NAME, cap_syslog);
	int err;

	if (IS_ERR(file))
		return PTR_ERR(file);
	err = fn(file, arg);
	fput(file);
	return err;
}

static ssize_t ksyms_kallsyms_read(struct file *file, loff_t *pos, char *buf,
				   size_t len)
{
	struct kvec kvec = { .iov_base = buf, .iov_len = len };
	struct iov_iter iter;
	struct kiocb kiocb;
	ssize_t ret;

	init_sync_kiocb(&kiocb, file);
	kiocb.ki_pos = *pos;
	iov_iter_kvec(&iter, ITER_DEST, &kvec, 1, len);
	ret = seq_read_iter(&kiocb, &iter);
	if (ret > 0)
		*pos = kiocb.ki_pos;
	return ret;
}

/* Called for each line; a positive return stops the walk early. */
typedef int (*ksyms_line_fn)(const struct ksyms_kallsyms_line *line,
			     void *arg);

/*
 * Makes the next read of @file start at kallsyms position @first, the way
 * kallsyms' own s_start() seeks: vmlinux's symbols are positions
 * [0, kallsyms_num_syms), the modules' symbol tables follow, then the
 * rest (see ksyms_kallsyms_read_tail()).  lseek() would instead show every
 * record before the byte offset asked for.  seq_read_iter() starts over at
 * record 0 from byte offset 0 only, and shows from m->index when the
 * offset is the one it left off at, so the read goes on from byte 1 of its
 * own count.  The file is /proc/kallsyms of the driver's procfs, so its
 * private_data is kallsyms' seq_file.  Returns the byte offset to read
 * from.
 */
static loff_t ksyms_kallsyms_seek(struct file *file, loff_t first)
{
	struct seq_file *m = file->private_data;

	if (!first)
		return 0;
	m->index = first;
	m->count = 0;
	m->from = 0;
	m->read_pos = 1;
	return 1;
}

/*
 * Feeds complete lines to @fn, from position @first on, reading @chunk
 * bytes at a time; with @once, only the lines of the first chunk.
 */
static int ksyms_kallsyms_each_line(struct file *file, loff_t first,
				    size_t chunk, bool once, ksyms_line_fn fn,
				    void *arg)
{
	struct ksyms_kallsyms_line line;
	size_t held = 0;
	loff_t pos = ksyms_kallsyms_seek(file, first);
	char *buf;
	int err = 0;

	buf = ksyms_kvmalloc_array(chunk, 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		size_t start = 0, i;
		ssize_t got;

		if (held == chunk) {
			err = -EINVAL;	/* a line longer than any kallsyms line */
			break;
		}
		got = ksyms_kallsyms_read(file, &pos, buf + held, chunk - held);
		if (got <= 0) {
			err = got;
			break;
		}
		held += got;
		for (i = 0; i < held && !err; i++) {
			if (buf[i] != '\n')
				continue;
			err = ksyms_kallsyms_parse_line(buf + start, i - start,
							&line);
			if (!err)
				err = fn(&line, arg);
			start = i + 1;
		}
		if (err)
			break;
		memmove(buf, buf + start, held - start);
		held -= start;
		if (once)
			break;
	}
	ksyms_kvfree(buf);
	return err < 0 ? err : 0;
}

static int ksyms_probe_line(const struct ksyms_kallsyms_line *line, void *arg)
{
	bool *seen = arg;

	*seen = line->addr != 0;
	return *seen;
}

static int ksyms_probe_kallsyms(struct file *file, void *arg)
{
	bool *seen = arg;

	return ksyms_kallsyms_each_line(file, 0, KSYMS_KALLSYMS_PROBE, true,
					ksyms_probe_line, seen);
}

int ksyms_kallsyms_probe(bool cap_syslog)
{
	bool seen = false;
	int err;

	err = ksyms_with_kallsyms(cap_syslog, ksyms_probe_kallsyms, &seen);
	if (err == -ENOMEM)
		return err;
	if (err)
		return -ENXIO;	/* a kernel without /proc/kallsyms */
	return seen ? 0 : -EPERM;
}

/* The vmlinux table while it is being read, in kallsyms order. */
struct ksyms_vmlinux_reader {
	Elf64_Sym *syms;
	char *types;
	u64 nr_syms;
	u64 cap_syms;
	u64 cap_types;
	char *strtab;
	u64 strtab_size;
	u64 cap_strtab;
	bool seen_address;
};

/* kvrealloc() changed its signature in v6.12; a copy works everywhere. */
static int ksyms_grow(void **ptr, u64 used, u64 *cap, u64 need, size_t elem,
		      u64 initial)
{
	u64 new_cap = *cap ? *cap : initial;
	void *bigger;

	while (new_cap < need)
		new_cap *= 2;
	if (new_cap == *cap)
		return 0;
	bigger = ksyms_kvmalloc_array(new_cap, elem);
	if (!bigger)
		return -ENOMEM;
	if (used)
		memcpy(bigger, *ptr, used * elem);
	ksyms_kvfree(*ptr);
	*ptr = bigger;
	*cap = new_cap;
	return 0;
}

static int ksyms_vmlinux_add_line(const struct ksyms_kallsyms_line *line,
				  void *arg)
{
	struct ksyms_vmlinux_reader *r = arg;
	Elf64_Sym *sym;
	int err;

	/* vmlinux comes first; the first module line ends it. */
	if (line->in_module)
		return 1;
	err = ksyms_grow((void **)&r->syms, r->nr_syms, &r->cap_syms,
			 r->nr_syms + 1, sizeof(*r->syms),
			 KSYMS_VMLINUX_INITIAL);
	if (!err)
		err = ksyms_grow((void **)&r->types, r->nr_syms, &r->cap_types,
				 r->nr_syms + 1, sizeof(*r->types),
				 KSYMS_VMLINUX_INITIAL);
	if (!err)
		err = ksyms_grow((void **)&r->strtab, r->strtab_size,
				 &r->cap_strtab,
				 r->strtab_size + line->namelen + 1, 1,
				 KSYMS_VMLINUX_INITIAL);
	if (err)
		return err;
	sym = &r->syms[r->nr_syms];
	ksyms_nm_to_sym(line->type, line->addr, sym);
	sym->st_name = r->strtab_size;
	r->types[r->nr_syms++] = line->type;
	memcpy(r->strtab + r->strtab_size, line->name, line->namelen);
	r->strtab_size += line->namelen;
	r->strtab[r->strtab_size++] = '\0';
	r->seen_address |= line->addr != 0;
	return 0;
}

static int ksyms_read_vmlinux(struct file *file, void *arg)
{
	return ksyms_kallsyms_each_line(file, 0, KSYMS_KALLSYMS_CHUNK, false,
					ksyms_vmlinux_add_line, arg);
}

/*
 * Stable split into locals then the rest, as the image wants them, with
 * their letters; the order bitmap keeps kallsyms' own order.
 */
static int ksyms_vmlinux_split(struct ksyms_vmlinux_reader *r,
			       struct ksyms_vmlinux *vml)
{
	u64 i, local = 0, global = 0, to;

	for (i = 0; i < r->nr_syms; i++)
		vml->nr_locals += ksyms_elf_is_local(&r->syms[i]);
	vml->nr_globals = r->nr_syms - vml->nr_locals;
	vml->syms = ksyms_kvmalloc_array(r->nr_syms, sizeof(*vml->syms));
	vml->letters = ksyms_kvmalloc_array(r->nr_syms, 1);
	vml->order = ksyms_kvmalloc_array(DIV_ROUND_UP(r->nr_syms, 8), 1);
	if (!vml->syms || !vml->letters || !vml->order)
		return -ENOMEM;
	memset(vml->order, 0, DIV_ROUND_UP(r->nr_syms, 8));
	for (i = 0; i < r->nr_syms; i++) {
		if (ksyms_elf_is_local(&r->syms[i])) {
			to = local++;
		} else {
			to = vml->nr_locals + global++;
			vml->order[i / 8] |= 1U << (i % 8);
		}
		vml->syms[to] = r->syms[i];
		vml->letters[to] = r->types[i];
	}
	vml->strtab = r->strtab;
	vml->strtab_size = r->strtab_size;
	r->strtab = NULL;
	return 0;
}

/*
 * Types each symbol by the section its letter needs (see
 * docs/image-format.md): one pass to count the sections, one to place.
 * The symbols are in address order, so each section is a run of them.
 */
static int ksyms_vmlinux_place(struct ksyms_vmlinux_reader *r,
			       struct ksyms_vmlinux *vml)
{
	struct ksyms_elf_chunker c;
	u64 i;

	ksyms_elf_chunker_init(&c, NULL, 0, KSYMS_ELF_SECTION_SPAN);
	for (i = 0; i < r->nr_syms; i++)
		ksyms_elf_place(&c, &r->syms[i], ksyms_nm_kind(r->types[i]),
				KSYMS_SHN_FIRST_TYPED);
	ksyms_elf_chunker_finish(&c);
	vml->sections = ksyms_kvmalloc_array(c.nr ? c.nr : 1,
					     sizeof(*vml->sections));
	if (!vml->sections)
		return -ENOMEM;
	ksyms_elf_chunker_init(&c, vml->sections, c.nr,
			       KSYMS_ELF_SECTION_SPAN);
	for (i = 0; i < r->nr_syms; i++)
		r->syms[i].st_shndx =
			ksyms_elf_place(&c, &r->syms[i],
					ksyms_nm_kind(r->types[i]),
					KSYMS_SHN_FIRST_TYPED);
	ksyms_elf_chunker_finish(&c);
	vml->nr_sections = c.nr;
	vml->zero_size = c.zero_size;
	vml->nobits_size = c.nobits_size;
	return 0;
}

/* The text of the lines after vmlinux's, while it is being read. */
struct ksyms_tail_reader {
	char *text;
	u64 size;
	u64 cap;
};

static int ksyms_tail_add_line(const struct ksyms_kallsyms_line *line,
			       void *arg)
{
	struct ksyms_tail_reader *r = arg;
	int err;

	/* kallsyms lists vmlinux's symbols before, never after. */
	if (!line->in_module)
		return -EINVAL;
	err = ksyms_grow((void **)&r->text, r->size, &r->cap,
			 r->size + line->len + 1, 1, KSYMS_TAIL_INITIAL);
	if (err)
		return err;
	memcpy(r->text + r->size, line->text, line->len);
	r->size += line->len;
	r->text[r->size++] = '\n';
	return 0;
}

struct ksyms_tail_read {
	u64 modules;
	struct ksyms_tail_reader r;
};

/*
 * Past vmlinux's symbols on any kernel, and near enough that the module
 * index kallsyms derives from it (an unsigned int) stays past every module.
 */
#define KSYMS_KALLSYMS_PAST_VMLINUX	BIT_ULL(30)

/*
 * kallsyms notes where each section ends as a reader first walks past it.
 * Asked for a position past vmlinux's and every module's, it finds no
 * module there and lists the rest from that position on.  Where the
 * modules are numbered from the first position asked for, one record read
 * there first puts their start there, and the rest starts @modules
 * positions on.
 */
static int ksyms_read_tail(struct file *file, void *arg)
{
	struct ksyms_tail_read *read = arg;
	loff_t first = KSYMS_KALLSYMS_PAST_VMLINUX;

	if (KSYMS_KALLSYMS_MODULES_FROM_FIRST_READ) {
		loff_t pos = ksyms_kallsyms_seek(file, first);
		char byte;
		ssize_t got = ksyms_kallsyms_read(file, &pos, &byte, 1);

		if (got < 0)
			return got;
		first += read->modules;
	}
	return ksyms_kallsyms_each_line(file, first,
					KSYMS_KALLSYMS_TAIL_CHUNK, false,
					ksyms_tail_add_line, &read->r);
}

int ksyms_kallsyms_read_tail(u64 modules, char **text, u64 *size)
{
	struct ksyms_tail_read read = { .modules = modules };
	int err;

	if (modules > U32_MAX)
		return -EINVAL;
	err = ksyms_with_kallsyms(true, ksyms_read_tail, &read);
	if (err) {
		ksyms_kvfree(read.r.text);
		return err == -ENOMEM ? err : -ENXIO;
	}
	*text = read.r.text;
	*size = read.r.size;
	return 0;
}

int ksyms_vmlinux_load(struct ksyms_vmlinux **out)
{
	struct ksyms_vmlinux_reader r = {};
	struct ksyms_vmlinux *vml;
	int err;

	vml = ksyms_kzalloc(sizeof(*vml));
	if (!vml)
		return -ENOMEM;
	err = ksyms_with_kallsyms(true, ksyms_read_vmlinux, &r);
	/* A caller that lost the right to see addresses meanwhile. */
	if (!err && !r.seen_address)
		err = -EPERM;
	if (!err && !r.nr_syms)
		err = -ENXIO;
	if (!err) {
		ksyms_nm_fill_sizes(r.syms, r.types, r.nr_syms);
		err = ksyms_vmlinux_place(&r, vml);
	}
	if (!err)
		err = ksyms_vmlinux_split(&r, vml);
	if (!err)
		err = ksyms_build_id_vmlinux(&vml->build_id);
	ksyms_kvfree(r.syms);
	ksyms_kvfree(r.types);
	ksyms_kvfree(r.strtab);
	if (err) {
		ksyms_vmlinux_free(vml);
		return err == -ENOMEM || err == -EPERM ?
		       err : -ENXIO;
	}
	atomic_long_inc(&ksyms_stats.vmlinux_builds);
	*out = vml;
	return 0;
}

void ksyms_vmlinux_free(struct ksyms_vmlinux *vml)
{
	if (!vml)
		return;
	ksyms_kvfree(vml->syms);
	ksyms_kvfree(vml->letters);
	ksyms_kvfree(vml->order);
	ksyms_kvfree(vml->strtab);
	ksyms_kvfree(vml->sections);
	ksyms_kfree(vml);
}
