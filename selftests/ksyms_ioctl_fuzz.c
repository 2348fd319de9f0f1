// SPDX-License-Identifier: GPL-2.0-only
/*
 * An ioctl fuzzer for /dev/ksyms: 100,000 ioctl() calls on one open
 * descriptor, commands and arguments drawn from a seeded PRNG, each answer
 * checked against docs/behaviour.md.  KIOCGSIZE and KIOCGADDR must give 0
 * and the value read at open when the pointer can take the whole value,
 * EFAULT when it cannot; any other command must give ENOTTY and write
 * nothing.  Afterwards the descriptor must be as it was.
 *
 * KSYMS_FUZZ_SEED and KSYMS_FUZZ_ITERATIONS set the seed (printed, so that
 * a failing run can be repeated) and the number of calls.  The run ends
 * with the line tests/run.sh turns into a table row:
 *   # ksyms-suite ioctl_fuzz ops=N ok=N ENOTTY=N EFAULT=N other=N
 *
 * 64-bit programs only: the pointer classes (an address in the kernel's
 * half, an 8-byte value straddling a guard page) are 64-bit ones, and
 * ksyms_ioctl_32 covers the 32-bit ABI's numbers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/fiemap.h>
#include <linux/fs.h>

#include "ksyms_test.h"

#if __SIZEOF_LONG__ != 8
#error "ksyms_ioctl_fuzz is for 64-bit programs only"
#endif

#define SEED_ENV		"KSYMS_FUZZ_SEED"
#define ITERATIONS_ENV		"KSYMS_FUZZ_ITERATIONS"
#define FUZZ_DEFAULT_ITERATIONS	100000UL
/* Seconds: 100,000 calls take well under one; room for slow kernels. */
#define FUZZ_TIMEOUT		300

/* How often each class of command is drawn, in percent. */
#define PCT_ALL			100
#define PCT_VALID		30
#define PCT_NEAR_MISS		40	/* the rest: any 32-bit value */
#define CMD_BITS		32	/* the kernel's cmd is an unsigned int */
#define NR_SPREAD		4	/* neighbouring nr: up to 4 either side */

/* The widest value the driver writes (size_t, unsigned long), its alignment */
#define VALUE_MAX		8
#define VALUE_ALIGN		sizeof(unsigned long)
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

/* The kernel returns no errno above MAX_ERRNO, 4095. */
#define ERRNO_SLOTS		4096
/* Wrong answers logged one by one; the rest are only counted. */
#define MAX_REPORTED		10

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

/* What KIOCGSIZE and KIOCGADDR answer. */
struct ksyms_answers {
	size_t size;
	unsigned long addr;
};

/* The descriptor right after open, to compare with after the run. */
struct fd_state {
	struct ksyms_answers want;
	off_t pos;		/* the file position */
	int fl;			/* F_GETFL */
	int fd_flags;		/* F_GETFD */
};

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

static const char * const arg_kind_names[NR_ARG_KINDS] = {
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

struct fuzz_call {
	unsigned int cmd;
	enum arg_kind kind;
	unsigned long arg;
	size_t room;		/* bytes the kernel can write from arg on */
	int ret;
	int err;		/* errno when ret is -1 */
};

struct fuzz_stats {
	unsigned long ops;
	unsigned long ok;
	unsigned long wrong;	/* answers docs/behaviour.md does not allow */
	unsigned long vfs_redraws;
	/* by errno; [0]: failed without a usable errno */
	unsigned long by_errno[ERRNO_SLOTS];
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
static unsigned long fresh_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((unsigned long)ts.tv_sec << 32) ^ (unsigned long)ts.tv_nsec ^
	       ((unsigned long)getpid() << 16);
}

/* Variable @name as a number (decimal, 0x hex, 0 octal); @dflt if unset. */
static bool env_number(const char *name, unsigned long dflt,
		       unsigned long *val)
{
	const char *s = getenv(name);
	char *end;

	*val = dflt;
	if (!s || !*s)
		return true;
	if (*s == '-')
		return false;
	errno = 0;
	*val = strtoul(s, &end, 0);
	return !errno && !*end;
}

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

static unsigned int draw_cmd(unsigned long *rng, unsigned long *vfs_redraws)
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
static bool page_unmapped(unsigned long addr, size_t page)
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

/* Sets c->kind, c->arg and what the kernel can write there, c->room. */
static void draw_arg(unsigned long *rng, const struct arg_pages *ap,
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

static void do_call(int fd, struct fuzz_call *c)
{
	errno = 0;
	c->ret = ioctl(fd, c->cmd, c->arg);
	c->err = c->ret == -1 ? errno : 0;
}

/*
 * The bytes @cmd writes on success, in @out, and how many: the value read
 * at open for the two commands, nothing for any other.
 */
static size_t expected_value(const struct ksyms_answers *want,
			     unsigned int cmd, unsigned char *out)
{
	if (cmd == (unsigned int)KIOCGSIZE) {
		memcpy(out, &want->size, sizeof(want->size));
		return sizeof(want->size);
	}
	if (cmd == (unsigned int)KIOCGADDR) {
		memcpy(out, &want->addr, sizeof(want->addr));
		return sizeof(want->addr);
	}
	return 0;
}

/* The documented answer, 0 or an errno, for a value of @width bytes. */
static int expected_errno(const struct fuzz_call *c, size_t width)
{
	if (width && c->room >= width)
		return 0;
	return width ? EFAULT : ENOTTY;
}

/*
 * Whether the scratch page still holds its canaries outside the bytes
 * [@lo, @lo + @width) the call may have written.  Inside them the value is
 * checked on success; on EFAULT they are not: where an unaligned store
 * straddles into the guard page, arm64 may have stored its first bytes.
 */
static bool scratch_intact_outside(const struct arg_pages *ap,
				   unsigned long lo, size_t width)
{
	unsigned long base = (unsigned long)ap->scratch;
	size_t from = 0, to = 0;

	if (lo >= base && lo < base + ap->page) {
		from = lo - base;
		to = from + width < ap->page ? from + width : ap->page;
	}
	return !memcmp(ap->scratch, ap->canary, from) &&
	       !memcmp(ap->scratch + to, ap->canary + to, ap->page - to);
}

/*
 * NULL when the call's answer is the documented one, else what is wrong;
 * *@want is the answer docs/behaviour.md gives (0 or an errno).
 */
static const char *judge(const struct ksyms_answers *answers,
			 const struct arg_pages *ap, const struct fuzz_call *c,
			 int *want)
{
	unsigned char value[VALUE_MAX];
	size_t width = expected_value(answers, c->cmd, value);

	*want = expected_errno(c, width);
	if (c->ret != 0 && c->ret != -1)
		return "returned neither 0 nor -1";
	if (!c->ret && *want == ENOTTY)
		return "an unknown command succeeded";
	if (!c->ret && *want)
		return "succeeded with a pointer it cannot fully write";
	if (c->ret && c->err != *want)
		return "wrong errno";
	/* success: then room >= width, so arg is in the scratch page */
	if (!c->ret && memcmp((const void *)c->arg, value, width))
		return "wrote the wrong value";
	if (!scratch_intact_outside(ap, c->arg, width))
		return width ? "wrote outside its value" :
			       "an unknown command wrote to memory";
	return NULL;
}

static void count_call(struct fuzz_stats *st, const struct fuzz_call *c)
{
	st->ops++;
	if (!c->ret)
		st->ok++;
	else if (c->ret == -1 && c->err > 0 && c->err < ERRNO_SLOTS)
		st->by_errno[c->err]++;
	else
		st->by_errno[0]++;
}

/* Puts the canaries back for the next call, where anything changed. */
static void scratch_reset(const struct arg_pages *ap)
{
	if (memcmp(ap->scratch, ap->canary, ap->page))
		memcpy(ap->scratch, ap->canary, ap->page);
}

/* 0 or -errno; on failure the caller's process ends with the test. */
static int arg_pages_map(struct arg_pages *ap)
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

static void arg_pages_unmap(struct arg_pages *ap)
{
	munmap(ap->scratch, SCRATCH_PAGES * ap->page);
	munmap(ap->read_only, ap->page);
	free(ap->canary);
}

/* fstat() and lseek(SEEK_END) agree with KIOCGSIZE; the position is kept. */
static void expect_size_agrees(struct __test_metadata *_metadata, int fd,
			       size_t size)
{
	struct stat st;
	off_t pos;

	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ((off_t)size, st.st_size);
	pos = lseek(fd, 0, SEEK_CUR);
	ASSERT_LE(0, pos);
	EXPECT_EQ((off_t)size, lseek(fd, 0, SEEK_END));
	ASSERT_EQ(pos, lseek(fd, pos, SEEK_SET));
}

FIXTURE(fuzz) {
	int fd;
	struct fd_state before;
	struct arg_pages pages;
	struct fuzz_stats stats;
};

FIXTURE_SETUP(fuzz)
{
	struct stat st;
	int ret;

	self->fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", ksu_dev_path(),
				      strerror(-self->fd));
	ASSERT_EQ(0, fstat(self->fd, &st));
	/* vfs_cmds[] leaves out what only regular files get */
	ASSERT_TRUE(S_ISCHR(st.st_mode))
		TH_LOG("%s is not a character device", ksu_dev_path());
	ASSERT_EQ(0, ioctl(self->fd, KIOCGSIZE, &self->before.want.size))
		TH_LOG("KIOCGSIZE: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(self->fd, KIOCGADDR, &self->before.want.addr))
		TH_LOG("KIOCGADDR: %s", strerror(errno));
	ASSERT_NE(0UL, self->before.want.addr);
	expect_size_agrees(_metadata, self->fd, self->before.want.size);
	self->before.pos = lseek(self->fd, 0, SEEK_CUR);
	self->before.fl = fcntl(self->fd, F_GETFL);
	self->before.fd_flags = fcntl(self->fd, F_GETFD);
	ASSERT_LE(0, self->before.pos);
	ASSERT_LE(0, self->before.fl);
	ASSERT_LE(0, self->before.fd_flags);

	memset(&self->stats, 0, sizeof(self->stats));
	ret = arg_pages_map(&self->pages);
	ASSERT_EQ(0, ret) TH_LOG("argument pages: %s", strerror(-ret));
	/* what the oracle assumes of the small integers and of the hole */
	ASSERT_TRUE(page_unmapped(0, self->pages.page))
		TH_LOG("page 0 is mapped: small integers are pointers");
	ASSERT_TRUE(page_unmapped((unsigned long)self->pages.hole,
				  self->pages.page));
}

FIXTURE_TEARDOWN(fuzz)
{
	if (self->fd >= 0)
		close(self->fd);
	arg_pages_unmap(&self->pages);
}

static void print_summary(const struct fuzz_stats *st)
{
	unsigned long enotty = st->by_errno[ENOTTY];
	unsigned long efault = st->by_errno[EFAULT];

	ksft_print_msg("ksyms-suite ioctl_fuzz ops=%lu ok=%lu ENOTTY=%lu EFAULT=%lu other=%lu\n",
		       st->ops, st->ok, enotty, efault,
		       st->ops - st->ok - enotty - efault);
	/* the harness's child ends with _exit(), which flushes nothing */
	fflush(stdout);
}

/* Each errno other than ENOTTY and EFAULT, with its count. */
static void log_other_errnos(struct __test_metadata *_metadata,
			     const struct fuzz_stats *st)
{
	int e;

	if (st->by_errno[0])
		TH_LOG("%lu calls failed without an errno", st->by_errno[0]);
	for (e = 1; e < ERRNO_SLOTS; e++)
		if (e != ENOTTY && e != EFAULT && st->by_errno[e])
			TH_LOG("errno %d (%s): %lu calls", e, strerror(e),
			       st->by_errno[e]);
}

/*
 * The answers, position and flags are those of @before, and the bytes at
 * the mapping are still the image's: what pread() returns.
 */
static void expect_descriptor_unchanged(struct __test_metadata *_metadata,
					int fd, const struct fd_state *before,
					size_t page)
{
	struct ksyms_answers now = { 0 };
	unsigned char *first;
	size_t n;

	ASSERT_EQ(0, ioctl(fd, KIOCGSIZE, &now.size))
		TH_LOG("KIOCGSIZE after the run: %s", strerror(errno));
	EXPECT_EQ(before->want.size, now.size);
	ASSERT_EQ(0, ioctl(fd, KIOCGADDR, &now.addr))
		TH_LOG("KIOCGADDR after the run: %s", strerror(errno));
	EXPECT_EQ(before->want.addr, now.addr);
	expect_size_agrees(_metadata, fd, before->want.size);
	EXPECT_EQ(before->pos, lseek(fd, 0, SEEK_CUR));
	EXPECT_EQ(before->fl, fcntl(fd, F_GETFL));
	EXPECT_EQ(before->fd_flags, fcntl(fd, F_GETFD));

	n = before->want.size < page ? before->want.size : page;
	first = malloc(n);
	ASSERT_NE(NULL, first);
	EXPECT_EQ((ssize_t)n, pread(fd, first, n, 0));
	EXPECT_EQ(0, memcmp((const void *)now.addr, first, n))
		TH_LOG("the mapping at %#lx differs from pread()", now.addr);
	free(first);
}

TEST_F_TIMEOUT(fuzz, random_ioctls, FUZZ_TIMEOUT)
{
	struct fuzz_stats *st = &self->stats;
	unsigned long seed, iterations, rng, i;
	struct fuzz_call c;
	const char *why;
	int want;

	ASSERT_TRUE(env_number(SEED_ENV, fresh_seed(), &seed))
		TH_LOG("%s is not a number", SEED_ENV);
	ASSERT_TRUE(env_number(ITERATIONS_ENV, FUZZ_DEFAULT_ITERATIONS,
			       &iterations))
		TH_LOG("%s is not a number", ITERATIONS_ENV);
	ksft_print_msg("ioctl_fuzz: %s=%#lx %s=%lu\n", SEED_ENV, seed,
		       ITERATIONS_ENV, iterations);
	fflush(stdout);

	rng = seed;
	for (i = 0; i < iterations; i++) {
		c.cmd = draw_cmd(&rng, &st->vfs_redraws);
		draw_arg(&rng, &self->pages, &c);
		do_call(self->fd, &c);
		count_call(st, &c);
		why = judge(&self->before.want, &self->pages, &c, &want);
		if (why && st->wrong++ < MAX_REPORTED)
			TH_LOG("call %lu: ioctl(%#x, %s %#lx) = %d (%s), want %s: %s",
			       i, c.cmd, arg_kind_names[c.kind], c.arg, c.ret,
			       c.ret ? strerror(c.err) : "ok",
			       want ? strerror(want) : "success", why);
		scratch_reset(&self->pages);
	}

	print_summary(st);
	log_other_errnos(_metadata, st);
	TH_LOG("%lu draws of the VFS's and the lookups' commands drawn again",
	       st->vfs_redraws);
	EXPECT_EQ(iterations, st->ops);
	EXPECT_EQ(0UL, st->wrong)
		TH_LOG("%s=%#lx: %lu answers differ from docs/behaviour.md", SEED_ENV,
		       seed, st->wrong);
	/* the oracle's premises held all along */
	EXPECT_TRUE(page_unmapped(0, self->pages.page));
	EXPECT_TRUE(page_unmapped((unsigned long)self->pages.hole,
				  self->pages.page))
		TH_LOG("something was mapped in the hole during the run");

	expect_descriptor_unchanged(_metadata, self->fd, &self->before,
				    self->pages.page);
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
}

TEST_HARNESS_MAIN
