// SPDX-License-Identifier: GPL-2.0-only
/*
 * What /proc/kallsyms lists after the modules is in the image too, as
 * objects after the modules, flagged KSYMS_OBJECT_PSEUDO: here JIT-ed
 * BPF programs ("[bpf]"); ftrace trampolines and kprobe pages are
 * ksyms_pseudo_trace.c's.  BPF programs come and go without a module
 * event: an open sees the ones loaded before it, and a snapshot keeps the
 * ones unloaded after it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_pseudo_agree.h"

#define JIT_KALLSYMS	"/proc/sys/net/core/bpf_jit_kallsyms"
#define WAIT_TRIES	200	/* 10 ms apart */

/* A socket filter that returns 0, named @name; its fd or -errno. */
static int bpf_load(const char *name)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	attr.license = (uintptr_t)"GPL";
	snprintf(attr.prog_name, sizeof(attr.prog_name), "%s", name);
	fd = syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	return fd < 0 ? -errno : fd;
}

/* kallsyms names a program bpf_prog_<tag>_<name>. */
static bool is_prog(const char *sym, const char *name)
{
	size_t n = strlen(sym), m = strlen(name);

	return !strncmp(sym, "bpf_prog_", 9) && n > m + 1 &&
	       sym[n - m - 1] == '_' && !strcmp(sym + n - m, name);
}

/* The /proc/kallsyms line of program @name, if listed. */
static bool kallsyms_prog(const char *name, struct ksu_ksym *out,
			  char *buf, size_t len)
{
	struct ksu_kallsyms ks;
	bool found = false;
	size_t i;

	if (ksu_kallsyms_load(&ks))
		return false;
	for (i = 0; i < ks.count && !found; i++) {
		const struct ksu_ksym *k = &ks.syms[i];

		if (!k->module || strcmp(k->module, "bpf") ||
		    !is_prog(k->name, name))
			continue;
		*out = *k;
		snprintf(buf, len, "%s", k->name);
		out->name = buf;
		out->module = NULL;
		found = true;
	}
	ksu_kallsyms_free(&ks);
	return found;
}

/* Waits until kallsyms lists program @name (@listed) or not (!@listed). */
static bool wait_prog(const char *name, bool listed)
{
	struct ksu_ksym k;
	char buf[256];
	int i;

	for (i = 0; i < WAIT_TRIES; i++) {
		if (kallsyms_prog(name, &k, buf, sizeof(buf)) == listed)
			return true;
		usleep(10000);
	}
	return false;
}

FIXTURE(pseudo) {
	long jit_kallsyms;	/* as it was, or -1 */
	int progs[4];
	int nr_progs;
};

FIXTURE_SETUP(pseudo)
{
	self->nr_progs = 0;
	/* Off, kallsyms lists no programs; the default where the JIT is. */
	if (ksu_read_long(JIT_KALLSYMS, &self->jit_kallsyms))
		self->jit_kallsyms = -1;
	else if (self->jit_kallsyms != 1)
		ASSERT_EQ(0, ksu_write_long(JIT_KALLSYMS, 1));
}

FIXTURE_TEARDOWN(pseudo)
{
	while (self->nr_progs)
		close(self->progs[--self->nr_progs]);
	if (self->jit_kallsyms >= 0 && self->jit_kallsyms != 1)
		ksu_write_long(JIT_KALLSYMS, self->jit_kallsyms);
}

/* Loads a program called @name, waiting until kallsyms lists it. */
static int load(struct __test_metadata *_metadata,
		FIXTURE_DATA(pseudo) *self, const char *name)
{
	int fd = bpf_load(name);

	if (fd < 0)
		return fd;
	self->progs[self->nr_progs++] = fd;
	EXPECT_TRUE(wait_prog(name, true)) TH_LOG("%s never listed", name);
	return fd;
}

TEST_F(pseudo, bpf_programs_are_objects_after_the_modules)
{
	static const char *const names[] = { "ksyms_p0", "ksyms_p1",
					     "ksyms_p2" };
	struct ksu_image img;
	struct ksu_ksym k;
	char buf[256];
	size_t i, n;
	int fd = load(_metadata, self, names[0]);

	if (fd == -EPERM || fd == -ENOSYS || fd == -EINVAL)
		SKIP(return, "bpf(BPF_PROG_LOAD): %s", strerror(-fd));
	ASSERT_LE(0, fd);
	for (i = 1; i < 3; i++)
		ASSERT_LE(0, load(_metadata, self, names[i]));

	ASSERT_EQ(0, ksu_image_load(&img)) TH_LOG("%s", img.err);
	n = agree(_metadata, &img, "bpf");
	EXPECT_LE(3UL, n);
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(kallsyms_prog(names[i], &k, buf, sizeof(buf)));
		EXPECT_TRUE(in_pseudo_object(&img, buf, k.addr, "bpf"))
			TH_LOG("%s", buf);
	}
	ksft_print_msg("%zu [bpf] lines, all in the image\n", n);
	ksu_image_free(&img);
}

TEST_F(pseudo, loaded_between_opens_only_in_the_later_snapshot)
{
	struct ksu_image before, after, again;
	struct ksu_stats s0, s1, s2;
	bool stats = ksu_debugfs_present();
	struct ksu_ksym k;
	char buf[256];
	int fd = load(_metadata, self, "ksyms_first");

	if (fd == -EPERM || fd == -ENOSYS || fd == -EINVAL)
		SKIP(return, "bpf(BPF_PROG_LOAD): %s", strerror(-fd));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ksu_image_load(&before));
	ASSERT_LE(0, load(_metadata, self, "ksyms_later"));
	ASSERT_TRUE(kallsyms_prog("ksyms_later", &k, buf, sizeof(buf)));
	if (stats)
		ASSERT_EQ(0, ksu_stats_read(&s0));
	ASSERT_EQ(0, ksu_image_load(&after));
	if (stats)
		ASSERT_EQ(0, ksu_stats_read(&s1));
	EXPECT_FALSE(in_pseudo_object(&before, buf, k.addr, "bpf"));
	EXPECT_TRUE(in_pseudo_object(&after, buf, k.addr, "bpf"));
	agree(_metadata, &after, "bpf");

	/* Nothing changed since: the cached snapshot is handed out again. */
	ASSERT_EQ(0, ksu_image_load(&again));
	EXPECT_EQ(after.size, again.size);
	EXPECT_EQ(0, memcmp(after.data, again.data, after.size));
	if (stats) {
		ASSERT_EQ(0, ksu_stats_read(&s2));
		EXPECT_EQ(ksu_stat(&s0, "snapshot_builds") + 1,
			  ksu_stat(&s1, "snapshot_builds"));
		EXPECT_EQ(ksu_stat(&s1, "snapshot_builds"),
			  ksu_stat(&s2, "snapshot_builds"));
	}
	ksu_image_free(&before);
	ksu_image_free(&after);
	ksu_image_free(&again);
}

TEST_F(pseudo, unloaded_after_open_stays_in_the_snapshot)
{
	struct ksu_image held, now;
	struct ksu_ksym k;
	char buf[256];
	int fd = load(_metadata, self, "ksyms_gone");
	int dev;

	if (fd == -EPERM || fd == -ENOSYS || fd == -EINVAL)
		SKIP(return, "bpf(BPF_PROG_LOAD): %s", strerror(-fd));
	ASSERT_LE(0, fd);
	ASSERT_TRUE(kallsyms_prog("ksyms_gone", &k, buf, sizeof(buf)));
	dev = ksu_open(O_RDONLY);
	ASSERT_LE(0, dev);
	close(self->progs[--self->nr_progs]);
	ASSERT_TRUE(wait_prog("ksyms_gone", false));

	ASSERT_EQ(0, ksu_image_from_fd(&held, dev));
	close(dev);	/* one open per process */
	EXPECT_TRUE(in_pseudo_object(&held, buf, k.addr, "bpf"));
	ASSERT_EQ(0, ksu_image_load(&now));
	EXPECT_FALSE(in_pseudo_object(&now, buf, k.addr, "bpf"));
	agree(_metadata, &now, NULL);
	ksu_image_free(&held);
	ksu_image_free(&now);
}

TEST_HARNESS_MAIN
