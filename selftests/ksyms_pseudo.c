// SPDX-License-Identifier: GPL-2.0-only
/*
 * What /proc/kallsyms lists after the modules is in the image too, as
 * objects after the modules, flagged KSYMS_OBJECT_PSEUDO: JIT-ed
 * BPF programs ("[bpf]"), ftrace trampolines ("[__builtin__ftrace]") and
 * kprobe instruction pages ("[__builtin__kprobes]").  BPF programs come
 * and go without a module event: an open sees the ones loaded before it,
 * and a snapshot keeps the ones unloaded after it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ksyms_test.h"

#define JIT_KALLSYMS	"/proc/sys/net/core/bpf_jit_kallsyms"
#define TRACEFS		"/sys/kernel/tracing"
#define PROBE_GROUP	"ksyms_pseudo"
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

/* Index of the first pseudo-object in @obj (of @nr): they follow the modules. */
static size_t first_pseudo(const struct ksyms_object *obj, size_t nr)
{
	size_t k = 1;

	while (k < nr && !(obj[k].flags & KSYMS_OBJECT_PSEUDO))
		k++;
	return k;
}

/*
 * Whether the image holds @name at @addr in a pseudo-object called
 * @module, with a size if it is not the highest there.
 */
static bool in_pseudo_object(const struct ksu_image *img, const char *name,
			     uint64_t addr, const char *module)
{
	size_t nr;
	const struct ksyms_object *obj = ksu_objects(img, &nr);
	long i = ksu_image_find(img, name, addr), k;

	if (i < 0)
		return false;
	k = ksu_object_of(img, i);
	return k >= (long)first_pseudo(obj, nr) &&
	       (obj[k].flags & KSYMS_OBJECT_PSEUDO) &&
	       !strcmp(obj[k].name, module);
}

/*
 * The image and /proc/kallsyms, read right after it, list the same lines,
 * each in the object kallsyms names (pseudo-objects after the modules);
 * returns how many lines were of pseudo-objects named @module.
 */
static size_t agree(struct __test_metadata *_metadata,
		    const struct ksu_image *img, const char *module)
{
	size_t i, of_module = 0, wrong = 0, nr, pseudo;
	const struct ksyms_object *obj = ksu_objects(img, &nr);
	size_t *idx = ksu_sorted_symbols(img);
	struct ksu_kallsyms ks;

	pseudo = first_pseudo(obj, nr);
	if (!idx || ksu_kallsyms_load(&ks)) {
		EXPECT_TRUE(false) TH_LOG("out of memory or no /proc/kallsyms");
		free(idx);
		return 0;
	}
	for (i = 0; i < ks.count; i++) {
		const struct ksu_ksym *k = &ks.syms[i];
		long s = ksu_find_sorted(img, idx, k->name, k->addr);
		long o = s < 0 ? -1 : ksu_object_of(img, s);
		const char *want = k->module ? k->module : "vmlinux";

		if (o < 0 || strcmp(obj[o].name, want)) {
			if (wrong++ < 5)
				TH_LOG("%llx %s [%s]: %s", (unsigned long long)k->addr,
				       k->name, want, o < 0 ? "not in the image" :
				       obj[o].name);
			continue;
		}
		if (module && !strcmp(want, module)) {
			of_module++;
			if ((o < (long)pseudo ||
			     !(obj[o].flags & KSYMS_OBJECT_PSEUDO)) && wrong++ < 5)
				TH_LOG("%s: object %ld is not a pseudo-object after the modules (%zu)",
				       k->name, o, pseudo);
		}
	}
	EXPECT_EQ(0UL, wrong);
	EXPECT_EQ(ks.count, img->nsyms - 1);
	ksu_kallsyms_free(&ks);
	free(idx);
	return of_module;
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

/* tracefs, mounted if it is not; 0 or -errno. */
static int tracefs(void)
{
	if (!access(TRACEFS "/current_tracer", W_OK))
		return 0;
	if (mount("nodev", TRACEFS, "tracefs", 0, NULL))
		return -errno;
	return access(TRACEFS "/current_tracer", W_OK) ? -errno : 0;
}

static size_t kallsyms_count_module(const char *module)
{
	struct ksu_kallsyms ks;
	size_t i, n = 0;

	if (ksu_kallsyms_load(&ks))
		return 0;
	for (i = 0; i < ks.count; i++)
		n += ks.syms[i].module && !strcmp(ks.syms[i].module, module);
	ksu_kallsyms_free(&ks);
	return n;
}

/*
 * x86 gives the function tracer's ops a trampoline of its own, which
 * kallsyms lists; other architectures call the tracer from a shared entry
 * and list none, and the image must still agree with the tracer on.
 */
TEST(ftrace_trampolines_are_objects)
{
	struct ksu_image img;
	size_t n;
	int err = tracefs();

	if (err)
		SKIP(return, "no tracefs: %s", strerror(-err));
	ASSERT_EQ(0, ksu_write_str(TRACEFS "/set_ftrace_filter", "vfs_read\n"));
	ASSERT_EQ(0, ksu_write_str(TRACEFS "/current_tracer", "function\n"));
	n = kallsyms_count_module("__builtin__ftrace");
	ASSERT_EQ(0, ksu_image_load(&img)) TH_LOG("%s", img.err);
	EXPECT_EQ(n, agree(_metadata, &img, "__builtin__ftrace"));
	ksu_image_free(&img);
	ksu_write_str(TRACEFS "/current_tracer", "nop\n");
	ksu_write_str(TRACEFS "/set_ftrace_filter", "\n");
#ifdef __x86_64__
	EXPECT_LT(0UL, n) TH_LOG("the function tracer made no [__builtin__ftrace] line");
#endif
	ksft_print_msg("%zu [__builtin__ftrace] lines, all in the image\n", n);
}

/*
 * A kprobe past a function's entry (its endbr64 and the call to
 * __fentry__, where kprobes use ftrace instead) runs the instruction it
 * replaced from a slot page; the first offset that is an instruction
 * boundary is taken.
 */
static bool add_kprobe(void)
{
	char def[96];
	int off, fd;

	for (off = 16; off < 128; off++) {
		fd = open(TRACEFS "/kprobe_events", O_WRONLY | O_APPEND);
		if (fd < 0)
			return false;
		snprintf(def, sizeof(def), "p:%s/probe vfs_read+%d\n",
			 PROBE_GROUP, off);
		if (write(fd, def, strlen(def)) == (ssize_t)strlen(def)) {
			close(fd);
			return true;
		}
		close(fd);
	}
	return false;
}

static void remove_kprobe(void)
{
	int fd = open(TRACEFS "/kprobe_events", O_WRONLY | O_APPEND);
	static const char def[] = "-:" PROBE_GROUP "/probe\n";

	if (fd >= 0) {
		if (write(fd, def, strlen(def)) < 0)
			perror("kprobe_events");
		close(fd);
	}
}

TEST(kprobe_pages_are_objects)
{
	struct ksu_image img;
	size_t n;
	int err = tracefs();

	if (err)
		SKIP(return, "no tracefs: %s", strerror(-err));
	if (!add_kprobe())
		SKIP(return, "no kprobe inside vfs_read could be added");
	ASSERT_EQ(0, ksu_write_str(TRACEFS "/events/" PROBE_GROUP "/enable",
				   "1\n"));
	n = kallsyms_count_module("__builtin__kprobes");
	if (n) {
		ASSERT_EQ(0, ksu_image_load(&img)) TH_LOG("%s", img.err);
		EXPECT_EQ(n, agree(_metadata, &img, "__builtin__kprobes"));
		ksu_image_free(&img);
	}
	ksu_write_str(TRACEFS "/events/" PROBE_GROUP "/enable", "0\n");
	remove_kprobe();
	if (!n)
		SKIP(return, "the kprobe made no [__builtin__kprobes] line");
	ksft_print_msg("%zu [__builtin__kprobes] lines, all in the image\n", n);
}

TEST_HARNESS_MAIN
