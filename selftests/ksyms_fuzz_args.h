/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the ioctl fuzzer sends: commands and arguments drawn from a seeded
 * PRNG (SplitMix64), and the memory its pointer arguments point into.
 */
#ifndef KSYMS_FUZZ_ARGS_H
#define KSYMS_FUZZ_ARGS_H

#include <stdbool.h>
#include <stddef.h>

/* The widest value the driver writes (size_t, unsigned long), its alignment */
#define VALUE_MAX		8
#define VALUE_ALIGN		sizeof(unsigned long)

/* The memory the pointer arguments point into, set up once. */
struct arg_pages {
	size_t page;
	unsigned char *scratch;	/* one writable page, then a guard page */
	unsigned char *canary;	/* what the scratch page holds between calls */
	void *read_only;	/* a page mapped PROT_READ */
	void *hole;		/* a page that was mapped and no longer is */
};

enum arg_kind {
	ARG_NULL,
	ARG_SMALL_INT,
	ARG_GOOD,		/* aligned, in the scratch page */
	ARG_READ_ONLY,
	ARG_HOLE,
	ARG_KERNEL,
	ARG_MISALIGNED,		/* 1..7 bytes past the good pointer */
	ARG_GUARD_EDGE,		/* the last bytes before the guard page */
	ARG_RANDOM,		/* any 64-bit value where nothing is mapped */
	NR_ARG_KINDS
};

extern const char * const arg_kind_names[NR_ARG_KINDS];

struct fuzz_call {
	unsigned int cmd;
	enum arg_kind kind;
	unsigned long arg;
	size_t room;		/* bytes the kernel can write from arg on */
	int ret;
	int err;		/* errno when ret is -1 */
};

/* A seed that differs from run to run; printed, so it can be given back. */
unsigned long fresh_seed(void);
/*
 * A command: KIOCGSIZE or KIOCGADDR, one of them with one thing wrong, or
 * any 32-bit value; never one the VFS answers itself, nor a lookup (each
 * counted in *@vfs_redraws and drawn again).
 */
unsigned int draw_cmd(unsigned long *rng, unsigned long *vfs_redraws);
/* Sets c->kind, c->arg and what the kernel can write there, c->room. */
void draw_arg(unsigned long *rng, const struct arg_pages *ap,
	      struct fuzz_call *c);

/*
 * Maps the scratch page (holding canaries, a guard page after it), a
 * read-only page and a hole; 0 or -errno, after which
 * arg_pages_unmap() undoes what was done.
 */
int arg_pages_map(struct arg_pages *ap);
void arg_pages_unmap(struct arg_pages *ap);
/* Puts the canaries back for the next call, where anything changed. */
void scratch_reset(const struct arg_pages *ap);
/*
 * Whether the page holding @addr is not mapped at all: mincore() says
 * ENOMEM for an unmapped page and for one outside user space.
 */
bool page_unmapped(unsigned long addr, size_t page);

#endif /* KSYMS_FUZZ_ARGS_H */
