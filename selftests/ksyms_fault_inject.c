// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's own fault injection (failslab, fail_page_alloc) aimed at
 * ksyms: only allocations with a ksyms function on the stack fail, during
 * the privilege probe, the snapshot (vmlinux table and modules) and the
 * KIOCGADDR mapping.  Every failed open or KIOCGADDR must be ENOMEM,
 * leave nothing behind (no descriptor slot, no mapping, no driver
 * allocation) and the next open must work.
 *
 * Needs CONFIG_FAULT_INJECTION_DEBUG_FS, CONFIG_FAILSLAB,
 * CONFIG_FAIL_PAGE_ALLOC and CONFIG_FAULT_INJECTION_STACKTRACE_FILTER: the
 * debug kernel of the safety-net runs.  Not run by default
 * (TEST_GEN_PROGS_EXTENDED); the driver's own injection points, which work
 * on every kernel, are tested by ksyms_faults.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ksyms_test.h"

#define DEBUGFS			"/sys/kernel/debug"
#define MODULE_SECTIONS		"/sys/module/ksyms/sections"
/* The stack of the allocation must hold an address in ksyms' text. */
#define TEXT_SLACK		(256 * 1024)
#define STACK_DEPTH		32
#define ATTEMPTS		200
#define MAX_TEST_MODULES	8
/*
 * A phase is 200 opens, each with a module load or unload or a reload of
 * ksyms, on a KASAN kernel under emulation: the harness's default of 30 s
 * was a measure of the machine, not of the driver.
 */
#define PHASE_TIMEOUT		600

struct injector {
	const char *dir;	/* failslab or fail_page_alloc */
};

static int attr_write(const char *dir, const char *attr, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), DEBUGFS "/%s/%s", dir, attr);
	return ksu_write_str(path, val);
}

static int attr_write_ul(const char *dir, const char *attr, unsigned long v)
{
	char val[32];

	snprintf(val, sizeof(val), "%lu", v);
	return attr_write(dir, attr, val);
}

/*
 * The span of ksyms' text sections, from /sys/module/ksyms/sections (their
 * start addresses; the end is the highest start plus some slack).
 */
static int ksyms_text_span(unsigned long *start, unsigned long *end)
{
	DIR *d = opendir(MODULE_SECTIONS);
	unsigned long lo = ~0UL, hi = 0, addr;
	struct dirent *de;
	char path[512];
	FILE *f;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, ".text", 5) &&
		    strncmp(de->d_name, ".exit.text", 10))
			continue;
		snprintf(path, sizeof(path), MODULE_SECTIONS "/%s", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%lx", &addr) == 1 && addr) {
			lo = addr < lo ? addr : lo;
			hi = addr > hi ? addr : hi;
		}
		fclose(f);
	}
	closedir(d);
	if (!hi)
		return -ENOENT;
	*start = lo;
	*end = hi + TEXT_SLACK;
	return 0;
}

/*
 * The chance, in percent, that an allocation with ksyms on the stack fails,
 * attempt after attempt: at high rates the first allocations of an open
 * fail, at low rates the open gets far before one does, so every site is
 * reached.
 */
static const int failure_percent[] = { 50, 20, 10, 5, 2, 1 };

/*
 * Arms one injector: @percent of the allocations made with ksyms on the
 * stack fail, sleeping ones and order-0 pages included, quietly (verbose
 * reports would be stack dumps in the kernel log).
 */
static int arm(const char *dir, unsigned long start, unsigned long end,
	       int percent)
{
	int ret = 0;

	ret |= attr_write(dir, "verbose", "0");
	ret |= attr_write(dir, "task-filter", "N");
	ret |= attr_write(dir, "ignore-gfp-wait", "N");
	ret |= attr_write_ul(dir, "require-start", start);
	ret |= attr_write_ul(dir, "require-end", end);
	ret |= attr_write_ul(dir, "stacktrace-depth", STACK_DEPTH);
	ret |= attr_write(dir, "space", "0");
	ret |= attr_write(dir, "interval", "1");
	if (!strcmp(dir, "fail_page_alloc")) {
		ret |= attr_write(dir, "min-order", "0");
		ret |= attr_write(dir, "ignore-gfp-highmem", "N");
	}
	ret |= attr_write(dir, "times", "-1");
	ret |= attr_write_ul(dir, "probability", percent);
	return ret;
}

static void disarm(const char *dir)
{
	attr_write(dir, "probability", "0");
	attr_write(dir, "times", "1");
}

FIXTURE(inject) {
	unsigned long start, end;
	struct ksu_module mods[MAX_TEST_MODULES];
	int nmods;
};

FIXTURE_VARIANT(inject) {
	const char *dir;
	/*
	 * Whether an open of the cached snapshot allocates through this
	 * injector.  It takes slab objects (its file, the VMA, the sysctl
	 * reads) but no pages of its own: the privilege answer is remembered,
	 * and the probe's buffers were its only page allocations.
	 */
	bool cached_open_allocates;
};

FIXTURE_VARIANT_ADD(inject, failslab) {
	.dir = "failslab",
	.cached_open_allocates = true,
};

FIXTURE_VARIANT_ADD(inject, fail_page_alloc) {
	.dir = "fail_page_alloc",
	.cached_open_allocates = false,
};

FIXTURE_SETUP(inject)
{
	char path[256];

	snprintf(path, sizeof(path), DEBUGFS "/%s/require-start", variant->dir);
	if (access(path, W_OK))
		SKIP(return, "no %s with a stack filter in debugfs", variant->dir);
	ASSERT_EQ(0, ksu_ksyms_ensure_loaded());
	ASSERT_EQ(true, ksu_debugfs_present());
	ASSERT_EQ(0, ksyms_text_span(&self->start, &self->end));
	self->nmods = ksu_test_modules(self->mods, MAX_TEST_MODULES);
	ASSERT_LE(1, self->nmods);
}

FIXTURE_TEARDOWN(inject)
{
	disarm(variant->dir);
}

struct outcome {
	long ops, ok, enomem, other;
	int first_other;
};

/*
 * One open, then its KIOCGADDR, each with the injector armed: ENOMEM or
 * success, and after a failure no mapping and no driver allocation left
 * beyond what was there before that step (a successful cold open keeps its
 * cache), and no slot held (the next open, disarmed, works).
 */
static void attempt(struct __test_metadata *_metadata,
		    FIXTURE_DATA(inject) *self, const char *dir,
		    struct outcome *o)
{
	int percent = failure_percent[o->ops % ARRAY_SIZE(failure_percent)];
	struct ksu_stats before, after;
	int maps, fd, err;
	size_t size = 0;
	void *addr;

	ASSERT_EQ(0, ksu_stats_read(&before));
	maps = ksu_maps_count();
	ASSERT_EQ(0, arm(dir, self->start, self->end, percent));
	fd = ksu_open(O_RDONLY);
	disarm(dir);
	err = fd < 0 ? fd : 0;
	if (!err) {
		/* stats are read disarmed: reading them allocates in ksyms */
		ASSERT_EQ(0, ksu_stats_read(&before));
		ASSERT_EQ(0, arm(dir, self->start, self->end, percent));
		if (ioctl(fd, KIOCGADDR, &addr))
			err = -errno;
		disarm(dir);
	}
	o->ops++;
	if (!err) {
		o->ok++;
		/* the mapping outlives close: gone, for the next count */
		EXPECT_EQ(0, ioctl(fd, KIOCGSIZE, &size));
		EXPECT_EQ(0, munmap(addr, ksu_page_round(size)));
	} else if (err == -ENOMEM) {
		o->enomem++;
		EXPECT_EQ(maps, ksu_maps_count());
		ASSERT_EQ(0, ksu_stats_read(&after));
		EXPECT_EQ(ksu_stat(&before, "files"),
			  ksu_stat(&after, "files"));
		EXPECT_GE(ksu_stat(&before, "allocations"),
			  ksu_stat(&after, "allocations"));
	} else if (!o->other++) {
		o->first_other = -err;
	}
	if (fd >= 0)
		close(fd);
	fd = ksu_open(O_RDONLY);
	EXPECT_LE(0, fd) TH_LOG("open after an injected failure: %s",
				strerror(-fd));
	if (fd >= 0)
		close(fd);
}

static void report(struct __test_metadata *_metadata, const char *dir,
		   const char *phase, const struct outcome *o, bool aimed)
{
	ksft_print_msg("ksyms-suite fault_%s_%s ops=%ld ok=%ld ENOMEM=%ld other=%ld\n",
		       dir, phase, o->ops, o->ok, o->enomem, o->other);
	fflush(stdout);
	EXPECT_EQ(0, o->other) TH_LOG("%s, %s: %s", dir, phase,
				      strerror(o->first_other));
	/* at this rate, a run that never failed an open aimed at nothing */
	if (aimed)
		EXPECT_LT(0, o->enomem) TH_LOG("%s, %s: no open failed", dir, phase);
}

/* The snapshot and the privilege answer are cached: the open and KIOCGADDR. */
TEST_F_TIMEOUT(inject, cached_snapshot, PHASE_TIMEOUT)
{
	struct outcome o = {};
	int i;

	for (i = 0; i < ATTEMPTS; i++)
		attempt(_metadata, self, variant->dir, &o);
	report(_metadata, variant->dir, "cached", &o,
	       variant->cached_open_allocates);
}

/* Loads the module if it is not loaded, unloads it if it is. */
static int toggle_module(const struct ksu_module *m)
{
	if (ksu_module_loaded(m->name))
		return ksu_module_unload_wait(m->name);
	return ksu_module_load(m->path);
}

/* A module came or went before every open: the snapshot is rebuilt. */
TEST_F_TIMEOUT(inject, snapshot_rebuilt, PHASE_TIMEOUT)
{
	const struct ksu_module *m = &self->mods[0];
	struct outcome o = {};
	int i;

	for (i = 0; i < ATTEMPTS; i++) {
		ASSERT_EQ(0, toggle_module(m));
		attempt(_metadata, self, variant->dir, &o);
	}
	if (ksu_module_loaded(m->name))
		EXPECT_EQ(0, ksu_module_unload_wait(m->name));
	report(_metadata, variant->dir, "rebuilt", &o, true);
}

/*
 * The first open after ksyms is loaded also reads vmlinux's table from
 * /proc/kallsyms; reload the module before every open to fail in there.
 */
TEST_F_TIMEOUT(inject, first_open_after_load, PHASE_TIMEOUT)
{
	struct outcome o = {};
	int i, ret;

	if (!ksu_ksyms_ko())
		SKIP(return, "$KSYMS_KO is not set: cannot reload ksyms");
	for (i = 0; i < ATTEMPTS / 10; i++) {
		ret = ksu_module_unload_wait("ksyms");
		ASSERT_EQ(0, ret) TH_LOG("rmmod ksyms: %s", strerror(-ret));
		ASSERT_EQ(0, ksu_ksyms_ensure_loaded());
		/* the module moved: aim again */
		ASSERT_EQ(0, ksyms_text_span(&self->start, &self->end));
		attempt(_metadata, self, variant->dir, &o);
	}
	report(_metadata, variant->dir, "first", &o, true);
}

TEST_HARNESS_MAIN
