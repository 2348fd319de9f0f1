// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pseudo-objects the tracers make: ftrace trampolines
 * ("[__builtin__ftrace]") and kprobe instruction pages
 * ("[__builtin__kprobes]") are in the image as /proc/kallsyms lists them,
 * objects after the modules flagged KSYMS_OBJECT_PSEUDO.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_pseudo_agree.h"

#define TRACEFS		"/sys/kernel/tracing"
#define PROBE_GROUP	"ksyms_pseudo"

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
