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
#include <sys/stat.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_fuzz_args.h"

#if __SIZEOF_LONG__ != 8
#error "ksyms_ioctl_fuzz is for 64-bit programs only"
#endif

#define SEED_ENV		"KSYMS_FUZZ_SEED"
#define ITERATIONS_ENV		"KSYMS_FUZZ_ITERATIONS"
#define FUZZ_DEFAULT_ITERATIONS	100000UL
/* Seconds: 100,000 calls take well under one; room for slow kernels. */
#define FUZZ_TIMEOUT		300

/* The kernel returns no errno above MAX_ERRNO, 4095. */
#define ERRNO_SLOTS		4096
/* Wrong answers logged one by one; the rest are only counted. */
#define MAX_REPORTED		10

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

struct fuzz_stats {
	unsigned long ops;
	unsigned long ok;
	unsigned long wrong;	/* answers docs/behaviour.md does not allow */
	unsigned long vfs_redraws;
	/* by errno; [0]: failed without a usable errno */
	unsigned long by_errno[ERRNO_SLOTS];
};

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
