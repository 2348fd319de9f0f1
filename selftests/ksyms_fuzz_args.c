// SPDX-License-Identifier: GPL-2.0-only
/*
 * What ksyms_fuzz_args.h declares.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/fiemap.h>
#include <linux/fs.h>

#include "ksyms_fuzz_args.h"
#include "ksyms_util.h"

#if __SIZEOF_LONG__ != 8
#error "the ioctl fuzzer is for 64-bit programs only"
#endif

#ifndef ARRAY_SIZE	/* the harness's, which this file does not include */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* How often each class of command is drawn, in percent. */
#define PCT_ALL			100
#define PCT_VALID		30
#define PCT_NEAR_MISS		40	/* the rest: any 32-bit value */
#define CMD_BITS		32	/* the kernel's cmd is an unsigned int */
#define NR_SPREAD		4	/* neighbouring nr: up to 4 either side */

/* Small integers: 1..255, all in page 0, which nothing maps. */
#define SMALL_INT_MAX		255
/* The good pointer: aligned, far from both ends of the scratch page. */
#define GOOD_OFFSET		64
/* The guard-edge pointer: the last 1..16 bytes before the guard page. */
#define GUARD_EDGE_SPAN		16
/* The scratch page and, after it, its PROT_NONE guard page */
#define SCRATCH_PAGES		2
#define CANARY			0xa5
/*
 * Inside the kernel's half of the address space on x86-64 (4- and 5-level
 * paging) and on arm64 (any VA size): never a user address.
 */
#define KERNEL_HALF_BASE	0xffff800000000000UL

/* SplitMix64 (Steele, Lea and Flood, 2014): any seed, even 0, is good. */
#define SPLITMIX_GAMMA		0x9e3779b97f4a7c15UL
#define SPLITMIX_MUL1		0xbf58476d1ce4e5b9UL
#define SPLITMIX_MUL2		0x94d049bb133111ebUL

/*
 * Newer than some build hosts' <linux/fs.h>: 6.12's definitions
 * (include/uapi/linux/fs.h:237 and :242), with the sizes of their structs
 * (struct fsuuid2 is 1 + 16 bytes, struct fs_sysfs_path 1 + 128).
 */
#ifndef FS_IOC_GETFSUUID
#define FSUUID2_SIZE		17
#define FS_IOC_GETFSUUID	_IOC(_IOC_READ, 0x15, 0, FSUUID2_SIZE)
#endif
#ifndef FS_IOC_GETFSSYSFSPATH
#define FS_SYSFS_PATH_SIZE	129
#define FS_IOC_GETFSSYSFSPATH	_IOC(_IOC_READ, 0x15, 1, FS_SYSFS_PATH_SIZE)
#endif

/*
 * The commands do_vfs_ioctl() answers itself, for every file, before the
 * driver's ->unlocked_ioctl is asked: the case labels of its switch in
 * 6.12's fs/ioctl.c (lines 808-881), in their order.  Their answers are
 * the VFS's, not the driver's: FIOCLEX succeeds, FIGETBSZ reports
 * devtmpfs's block size, FIONBIO would change the descriptor's flags,
 * FS_IOC_GETFLAGS asks the filesystem.  So they are never sent: a command
 * drawn from this list is drawn again.  Near misses do land here: KIOCGSIZE
 * with type 'f' instead of 'l' is FS_IOC_GETFLAGS.
 *
 * FIONREAD is listed though do_vfs_ioctl() hands it to the driver for
 * anything but a regular file (lines 858-860), to keep the list the
 * switch's; ksyms_ioctl's unknown_ioctl_enotty checks it gives ENOTTY.
 * file_ioctl()'s commands (FIBMAP, FS_IOC_RESVSP, ...) are not listed:
 * do_vfs_ioctl() calls it for regular files only (lines 883-885), and the
 * fixture makes sure /dev/ksyms is a character device, so they reach the
 * driver.  An LSM could refuse any command before all this
 * (security_file_ioctl(), line 900); the test VM runs none.
 */
static const unsigned int vfs_cmds[] = {
	FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIOQSIZE, FIFREEZE, FITHAW,
	FS_IOC_FIEMAP, FIGETBSZ, FICLONE, FICLONERANGE, FIDEDUPERANGE,
	FIONREAD, FS_IOC_GETFLAGS, FS_IOC_SETFLAGS, FS_IOC_FSGETXATTR,
	FS_IOC_FSSETXATTR, FS_IOC_GETFSUUID, FS_IOC_GETFSSYSFSPATH,
};

const char * const arg_kind_names[NR_ARG_KINDS] = {
	[ARG_NULL] = "NULL",
	[ARG_SMALL_INT] = "small-int",
	[ARG_GOOD] = "good",
	[ARG_READ_ONLY] = "read-only",
	[ARG_HOLE] = "unmapped",
	[ARG_KERNEL] = "kernel",
	[ARG_MISALIGNED] = "misaligned",
	[ARG_GUARD_EDGE] = "guard-edge",
	[ARG_RANDOM] = "random",
};

enum near_miss {
	NEAR_DIR,		/* the direction bits: _IO, _IOW, _IOWR */
	NEAR_SIZE,		/* the size field: anything but 8 */
	NEAR_TYPE,		/* the type: anything but 'l' */
	NEAR_NR,		/* a neighbouring nr */
	NEAR_BIT,		/* one of the 32 bits flipped */
	NEAR_COMPAT,		/* the 32-bit ABI's number: size 4 */
	NR_NEAR_MISSES
};

static unsigned long rng_next(unsigned long *state)
{
	unsigned long z;

	*state += SPLITMIX_GAMMA;
	z = *state;
	z = (z ^ (z >> 30)) * SPLITMIX_MUL1;
	z = (z ^ (z >> 27)) * SPLITMIX_MUL2;
	return z ^ (z >> 31);
}

/* Below @n; the modulo's bias is nothing for the small @n used here. */
static unsigned long rng_below(unsigned long *state, unsigned long n)
{
	return rng_next(state) % n;
}

/* A seed that differs from run to run; printed, so it can be given back. */
unsigned long fresh_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((unsigned long)ts.tv_sec << 32) ^ (unsigned long)ts.tv_nsec ^
	       ((unsigned long)getpid() << 16);
}

/* Variable @name as a number (decimal, 0x hex, 0 octal); @dflt if unset. */
/*
 * The lookups follow a name pointer inside their argument, so their answer
 * depends on what the scratch memory holds; ksyms_lookup drives them with
 * bad pointers of its own, and a command drawn here that is one of them is
 * drawn again, like the VFS's.
 */
static const unsigned int lookup_cmds[] = { KIOCGVALUE, KIOCGSYMBOL };

static bool is_redrawn_cmd(unsigned int cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vfs_cmds); i++)
		if (cmd == vfs_cmds[i])
			return true;
	for (i = 0; i < ARRAY_SIZE(lookup_cmds); i++)
		if (cmd == lookup_cmds[i])
			return true;
	return false;
}

static unsigned int valid_cmd(unsigned long *rng)
{
	return rng_below(rng, 2) ? KIOCGADDR : KIOCGSIZE;
}

/* A size field other than @size: often a power of two or 0, else any. */
static unsigned int wrong_size(unsigned long *rng, unsigned int size)
{
	unsigned int s, shift;

	do {
		if (rng_below(rng, 2)) {
			shift = rng_below(rng, _IOC_SIZEBITS + 1);
			s = shift ? 1U << (shift - 1) : 0;
		} else {
			s = rng_below(rng, _IOC_SIZEMASK + 1);
		}
	} while (s == size);
	return s;
}

/* -NR_SPREAD..-1 or 1..NR_SPREAD */
static int neighbour_delta(unsigned long *rng)
{
	int d = 1 + rng_below(rng, NR_SPREAD);

	return rng_below(rng, 2) ? d : -d;
}

/*
 * One of the valid commands with one thing wrong.  (A neighbouring nr of
 * one valid command can be the other one: the oracle goes by the number
 * sent, not by how it was made.)
 */
static unsigned int near_miss_cmd(unsigned long *rng)
{
	unsigned int cmd = valid_cmd(rng);
	unsigned int dir = _IOC_DIR(cmd), type = _IOC_TYPE(cmd);
	unsigned int nr = _IOC_NR(cmd), size = _IOC_SIZE(cmd);

	switch (rng_below(rng, NR_NEAR_MISSES)) {
	case NEAR_DIR:
		/* any of the other three: the masks are 2^n - 1 */
		dir = (dir + 1 + rng_below(rng, _IOC_DIRMASK)) & _IOC_DIRMASK;
		break;
	case NEAR_SIZE:
		size = wrong_size(rng, size);
		break;
	case NEAR_TYPE:
		type = (type + 1 + rng_below(rng, _IOC_TYPEMASK)) &
		       _IOC_TYPEMASK;
		break;
	case NEAR_NR:
		nr = (nr + neighbour_delta(rng)) & _IOC_NRMASK;
		break;
	case NEAR_BIT:
		return cmd ^ (1U << rng_below(rng, CMD_BITS));
	case NEAR_COMPAT:
		/* what a 32-bit process sends; native callers get ENOTTY */
		size = sizeof(unsigned int);
		break;
	}
	return _IOC(dir, type, nr, size);
}

unsigned int draw_cmd(unsigned long *rng, unsigned long *vfs_redraws)
{
	unsigned long pct;
	unsigned int cmd;

	for (;;) {
		pct = rng_below(rng, PCT_ALL);
		if (pct < PCT_VALID)
			cmd = valid_cmd(rng);
		else if (pct < PCT_VALID + PCT_NEAR_MISS)
			cmd = near_miss_cmd(rng);
		else
			cmd = (unsigned int)rng_next(rng);
		if (!is_redrawn_cmd(cmd))
			return cmd;
		(*vfs_redraws)++;
	}
}

/*
 * Whether the page holding @addr is not mapped at all: mincore() says
 * ENOMEM for an unmapped page and for one outside user space.
 */
bool page_unmapped(unsigned long addr, size_t page)
{
	unsigned char vec;

	return mincore((void *)(addr & ~(page - 1)), page, &vec) == -1 &&
	       errno == ENOMEM;
}

/*
 * A random value at which no byte of a value is mapped: the draws that hit
 * this process's memory (about one in 2^40) are drawn again, so that the
 * driver is never asked to write there.  (A page just below the stack, into
 * which the stack could grow, would pass for unmapped: as unlikely.)
 */
static unsigned long unmapped_random(unsigned long *rng, size_t page)
{
	unsigned long v;

	do {
		v = rng_next(rng);
	} while (!page_unmapped(v, page) ||
		 !page_unmapped(v + VALUE_MAX - 1, page));
	return v;
}

void draw_arg(unsigned long *rng, const struct arg_pages *ap,
	      struct fuzz_call *c)
{
	unsigned long scratch = (unsigned long)ap->scratch;
	unsigned long back;

	c->kind = rng_below(rng, NR_ARG_KINDS);
	c->arg = 0;
	c->room = 0;
	switch (c->kind) {
	case ARG_SMALL_INT:
		c->arg = 1 + rng_below(rng, SMALL_INT_MAX);
		break;
	case ARG_GOOD:
		c->arg = scratch + GOOD_OFFSET;
		c->room = ap->page - GOOD_OFFSET;
		break;
	case ARG_READ_ONLY:
		c->arg = (unsigned long)ap->read_only +
			 rng_below(rng, ap->page - VALUE_MAX + 1);
		break;
	case ARG_HOLE:
		/* the whole value inside the hole, whatever is next to it */
		c->arg = (unsigned long)ap->hole +
			 rng_below(rng, ap->page - VALUE_MAX + 1);
		break;
	case ARG_KERNEL:
		c->arg = KERNEL_HALF_BASE | rng_next(rng);
		break;
	case ARG_MISALIGNED:
		c->arg = scratch + GOOD_OFFSET + 1 +
			 rng_below(rng, VALUE_ALIGN - 1);
		c->room = ap->page - (c->arg - scratch);
		break;
	case ARG_GUARD_EDGE:
		/* 1..16 bytes left: under 8, the value straddles the guard */
		back = 1 + rng_below(rng, GUARD_EDGE_SPAN);
		c->arg = scratch + ap->page - back;
		c->room = back;
		break;
	case ARG_RANDOM:
		c->arg = unmapped_random(rng, ap->page);
		break;
	default:
		/* ARG_NULL */
		break;
	}
}

/* Puts the canaries back for the next call, where anything changed. */
void scratch_reset(const struct arg_pages *ap)
{
	if (memcmp(ap->scratch, ap->canary, ap->page))
		memcpy(ap->scratch, ap->canary, ap->page);
}

/* 0 or -errno; on failure the caller's process ends with the test. */
int arg_pages_map(struct arg_pages *ap)
{
	size_t page = ksu_page_size();

	ap->page = page;
	ap->canary = malloc(page);
	if (!ap->canary)
		return -ENOMEM;
	memset(ap->canary, CANARY, page);
	ap->scratch = mmap(NULL, SCRATCH_PAGES * page, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ap->scratch == MAP_FAILED)
		return -errno;
	if (mprotect(ap->scratch + page, page, PROT_NONE))
		return -errno;
	memcpy(ap->scratch, ap->canary, page);
	ap->read_only = mmap(NULL, page, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ap->read_only == MAP_FAILED)
		return -errno;
	/* last, so that nothing set up here is put in the hole */
	ap->hole = mmap(NULL, page, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ap->hole == MAP_FAILED)
		return -errno;
	if (munmap(ap->hole, page))
		return -errno;
	return 0;
}

void arg_pages_unmap(struct arg_pages *ap)
{
	munmap(ap->scratch, SCRATCH_PAGES * ap->page);
	munmap(ap->read_only, ap->page);
	free(ap->canary);
}

/* fstat() and lseek(SEEK_END) agree with KIOCGSIZE; the position is kept. */
