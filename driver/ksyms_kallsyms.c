// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/kallsyms as the kernel's own answer to three questions: may this
 * caller see addresses, what are vmlinux's symbols (ksyms_vmlinux.c reads
 * them through ksyms_kallsyms_each()), and what is listed after the
 * modules.
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
#include "ksyms_initfs.h"
#include "ksyms_kallsyms.h"
#include "ksyms_nm.h"

#define KSYMS_KALLSYMS_NAME	"kallsyms"	/* in the driver's procfs */
/* Lines are at most KSYM_NAME_LEN plus an address, a type and a module. */
#define KSYMS_KALLSYMS_CHUNK	(64 * 1024)
/* What the privilege check reads, as the notes on per-cpu symbols advise. */
#define KSYMS_KALLSYMS_PROBE	PAGE_SIZE
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

struct ksyms_kallsyms_walk {
	ksyms_line_fn fn;
	void *arg;
};

static int ksyms_kallsyms_walk_file(struct file *file, void *arg)
{
	struct ksyms_kallsyms_walk *walk = arg;

	return ksyms_kallsyms_each_line(file, 0, KSYMS_KALLSYMS_CHUNK, false,
					walk->fn, walk->arg);
}

/**
 * ksyms_kallsyms_each() - Feed every line of /proc/kallsyms to a callback
 * @fn: called with each line, parsed, in the file's order; a positive
 *	return stops the walk, a negative one fails it
 * @arg: passed to @fn
 *
 * Reads the file of the driver's own procfs as a reader holding
 * CAP_SYSLOG sees it, in 64 KiB chunks.  The addresses are real only if
 * the sysctls let a CAP_SYSLOG holder see them (with kptr_restrict at 2
 * they are all 0), and only callers that ksyms_access_check() let through
 * may be shown them.
 *
 * Context: Process context; may sleep.
 * Return: 0 once every line was fed or @fn stopped the walk; else the
 * error of opening or reading the file, -EINVAL for a line that is not
 * kallsyms' or is longer than a chunk, -ENOMEM, or what @fn returned.
 */
int ksyms_kallsyms_each(ksyms_line_fn fn, void *arg)
{
	struct ksyms_kallsyms_walk walk = { .fn = fn, .arg = arg };

	return ksyms_with_kallsyms(true, ksyms_kallsyms_walk_file, &walk);
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

/**
 * ksyms_kallsyms_probe() - Ask /proc/kallsyms whether it shows addresses
 * @cap_syslog: whether the reader is to hold CAP_SYSLOG in the initial
 *	user namespace
 *
 * Opens /proc/kallsyms of the driver's own procfs with the kernel's
 * credentials, holding CAP_SYSLOG exactly when @cap_syslog, and reads its
 * first page: addresses are shown if any line there has one other than
 * 0 (the first lines can be per-cpu symbols, whose address may be 0).
 * This asks the file every time; ksyms_access_check() remembers answers.
 *
 * Context: Process context; may sleep.
 * Return: 0 if it shows real addresses, -EPERM if it does not, -ENOMEM,
 * or -ENXIO if it cannot be read or is not what kallsyms writes.
 */
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

/**
 * ksyms_grow() - Make room in an array from ksyms_kvmalloc_array()
 * @ptr: where the array is: NULL while *@cap is 0; updated
 * @used: elements in use, which are kept
 * @cap: elements there is room for, updated
 * @need: elements to make room for
 * @elem: bytes in an element
 * @initial: room for the first allocation, nonzero
 *
 * Doubles the room, starting at @initial when there is none, until it
 * holds @need elements, and copies the @used elements into the new array.
 * A copy rather than kvrealloc(), whose signature differs between the
 * kernels the driver builds for.
 *
 * Context: Process context; may sleep.
 * Return: 0, with *@ptr and *@cap unchanged if there was room already, or
 * -ENOMEM, with the array left as it was.
 */
int ksyms_grow(void **ptr, u64 used, u64 *cap, u64 need, size_t elem,
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

/**
 * ksyms_kallsyms_read_tail() - Read what /proc/kallsyms lists after the modules
 * @modules: kallsyms positions the modules' symbol tables take (every
 *	entry of each table it lists)
 * @text: set to the lines, newlines included, or NULL when there are none;
 *	free it with ksyms_kvfree()
 * @size: set to the bytes in *@text
 *
 * Reads, as a reader holding CAP_SYSLOG, only the lines from the position
 * kallsyms gives the first of them on, so that every open can afford to
 * read them again.  Every such line must end in a tab and the name of
 * its object, as a module's line does.
 *
 * Context: Process context; may sleep.
 * Return: 0; -EINVAL if @modules is above U32_MAX; -ENOMEM; or -ENXIO if
 * the file cannot be read or holds a line that is not kallsyms' or names
 * no object.  *@text and *@size are set only on success.
 */
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
