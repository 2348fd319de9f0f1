// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hosts unlike a test VM: whatever is mounted at /proc/kallsyms, and
 * callers that an LSM (Landlock) denies /proc/kallsyms.
 *
 * The driver reads the kernel's table from a procfs of its own, so a
 * cold open (cache, vmlinux table and remembered answers dropped) builds
 * the same image whatever is at /proc/kallsyms: /dev/null bind-mounted
 * over it (a known hardening), a regular file of fake symbols, another
 * proc file, or no /proc at all.  The privilege answer is the kernel's,
 * the same cold and warm, for root and for nobody.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ksyms_test.h"

#define KALLSYMS	"/proc/kallsyms"
#define KPTR_RESTRICT	"/proc/sys/kernel/kptr_restrict"
#define FAKE_FILE	"/tmp/ksyms_fake_kallsyms"
#define FAKE_SYMBOL	"ksyms_fake_symbol"

enum hide { HIDE_DEV_NULL, HIDE_REGULAR_FILE, HIDE_PROC_FILE, HIDE_NO_PROC };

FIXTURE(hidden) {
	unsigned char *img;	/* the image before hiding */
	size_t size;
	long kptr;
	mode_t dev_mode;
	bool hidden;
};

FIXTURE_VARIANT(hidden) {
	enum hide how;
};

FIXTURE_VARIANT_ADD(hidden, dev_null) { .how = HIDE_DEV_NULL };
FIXTURE_VARIANT_ADD(hidden, regular_file) { .how = HIDE_REGULAR_FILE };
FIXTURE_VARIANT_ADD(hidden, proc_version) { .how = HIDE_PROC_FILE };
FIXTURE_VARIANT_ADD(hidden, no_proc) { .how = HIDE_NO_PROC };

static int hide_kallsyms(enum hide how)
{
	static const char fake[] = "ffffffff81000000 T " FAKE_SYMBOL "\n";
	const char *src = "/dev/null";
	int fd;

	switch (how) {
	case HIDE_NO_PROC:
		return umount2("/proc", MNT_DETACH) ? -errno : 0;
	case HIDE_REGULAR_FILE:
		fd = open(FAKE_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0444);
		if (fd < 0 || write(fd, fake, strlen(fake)) != (ssize_t)strlen(fake))
			return -EIO;
		close(fd);
		src = FAKE_FILE;
		break;
	case HIDE_PROC_FILE:
		src = "/proc/version";
		break;
	case HIDE_DEV_NULL:
		break;
	}
	return mount(src, KALLSYMS, NULL, MS_BIND, NULL) ? -errno : 0;
}

static void unhide_kallsyms(enum hide how)
{
	if (how == HIDE_NO_PROC)
		mount("proc", "/proc", "proc", 0, NULL);
	else
		umount2(KALLSYMS, MNT_DETACH);
	unlink(FAKE_FILE);
}

FIXTURE_SETUP(hidden)
{
	struct stat st;
	int fd;

	if (!ksu_debugfs_present())
		SKIP(return, "no %s: cannot drop the cache", KSU_DEBUGFS);
	ASSERT_EQ(0, ksu_read_long(KPTR_RESTRICT, &self->kptr));
	/* root sees addresses, nobody does not: both answers are asked */
	ASSERT_EQ(0, ksu_write_long(KPTR_RESTRICT, 1));
	ASSERT_EQ(0, stat(ksu_dev_path(), &st));
	self->dev_mode = st.st_mode & 07777;
	/* past the VFS's mode check, so nobody is answered by the driver */
	ASSERT_EQ(0, chmod(ksu_dev_path(), 0444));
	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
	ASSERT_EQ(0, ksu_pread_all(fd, 0, &self->img, &self->size));
	close(fd);
	ASSERT_EQ(0, hide_kallsyms(variant->how)) TH_LOG("hiding %s", KALLSYMS);
	self->hidden = true;
}

FIXTURE_TEARDOWN(hidden)
{
	if (self->hidden)
		unhide_kallsyms(variant->how);
	if (self->dev_mode)
		chmod(ksu_dev_path(), self->dev_mode);
	ksu_write_long(KPTR_RESTRICT, self->kptr);
	free(self->img);
}

/* nobody's open, in a child: 0 or -errno as its exit status's meaning. */
static int nobody_open(void *unused)
{
	int fd;

	(void)unused;
	if (ksu_become_nobody())
		return 100;
	fd = ksu_open(O_RDONLY);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return fd == -EPERM ? 1 : 2;
}

/*
 * A cold open's image, with /proc/kallsyms hidden: vmlinux's table read
 * again from the kernel (@forget: the kept form forgotten first), or made
 * from the kept form.  Counts which it was in *@builds and *@restores.
 */
static int hidden_cold_image(bool forget, unsigned char **img, size_t *size,
			     long *builds, long *restores)
{
	struct ksu_stats before, after;
	int fd, ret;

	ret = ksu_cache_drop_idle();
	if (!ret && forget)
		ret = ksu_debugfs_write("forget_kept", 1);
	if (!ret)
		ret = ksu_stats_read(&before);
	if (ret)
		return ret;
	fd = ksu_open(O_RDONLY);
	if (fd < 0)
		return fd;
	ret = ksu_pread_all(fd, 0, img, size);
	close(fd);
	if (!ret)
		ret = ksu_stats_read(&after);
	if (ret)
		return ret;
	*builds = ksu_stat(&after, "vmlinux_builds") -
		  ksu_stat(&before, "vmlinux_builds");
	*restores = ksu_stat(&after, "vmlinux_restores") -
		    ksu_stat(&before, "vmlinux_restores");
	return 0;
}

TEST_F_TIMEOUT(hidden, cold_open_reads_the_kernel_table, 120)
{
	unsigned char *img = NULL;
	size_t size = 0;
	long builds, restores;
	int ret, kept;

	/* nobody first: a cold question, then a remembered one */
	ASSERT_EQ(0, ksu_cache_drop_idle());
	EXPECT_EQ(1, ksu_run_child(nobody_open, NULL)) TH_LOG("cold: 0 opened, 1 EPERM, 2 other");
	EXPECT_EQ(1, ksu_run_child(nobody_open, NULL)) TH_LOG("warm: 0 opened, 1 EPERM, 2 other");

	/* Read from the kernel, then made again from what that read kept. */
	for (kept = 0; kept <= 1; kept++) {
		ret = hidden_cold_image(!kept, &img, &size, &builds, &restores);
		ASSERT_EQ(0, ret) TH_LOG("cold open with %s hidden: %s",
					 KALLSYMS, strerror(-ret));
		EXPECT_EQ(kept ? 0 : 1, builds) TH_LOG("tables read, kept=%d", kept);
		EXPECT_EQ(kept ? 1 : 0, restores) TH_LOG("tables restored, kept=%d", kept);
		EXPECT_EQ(self->size, size);
		EXPECT_EQ(0, memcmp(self->img, img, size < self->size ? size : self->size))
			TH_LOG("the image differs from the one built before hiding");
		EXPECT_EQ(NULL, memmem(img, size, FAKE_SYMBOL, strlen(FAKE_SYMBOL)));
		free(img);
		img = NULL;
	}
}

/*
 * A caller that Landlock denies /proc/kallsyms, but not /dev/ksyms, gets
 * the same answer cold and warm: the path rule on /proc/kallsyms does not
 * govern /dev/ksyms (docs/behaviour.md); a sandbox denies /dev/ksyms
 * itself.  Runs in a child that restricts itself.
 */
static int landlock_child(void *arg)
{
	struct landlock_ruleset_attr attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE,
	};
	struct landlock_path_beneath_attr dev = {
		.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE,
	};
	int *results = arg, ruleset, i, fd;

	ruleset = syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (ruleset < 0)
		return 10;
	dev.parent_fd = open("/dev", O_PATH | O_CLOEXEC);
	if (dev.parent_fd < 0 ||
	    syscall(__NR_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH,
		    &dev, 0))
		return 11;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(__NR_landlock_restrict_self, ruleset, 0))
		return 12;
	/* Landlock is in force: the caller cannot read /proc/kallsyms */
	fd = open(KALLSYMS, O_RDONLY);
	if (fd >= 0 || errno != EACCES)
		return 13;
	for (i = 0; i < 2; i++) {
		fd = ksu_open(O_RDONLY);
		results[i] = fd < 0 ? fd : 0;
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

/* Landlock exists from 5.13; older kernels have no such syscall. */
static bool kernel_before(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	return !uname(&u) && sscanf(u.release, "%d.%d", &ma, &mi) == 2 &&
	       (ma < major || (ma == major && mi < minor));
}

TEST(landlock_denied_kallsyms_same_cold_and_warm)
{
	int *results, ret, abi;

	abi = syscall(__NR_landlock_create_ruleset, NULL, 0,
		      LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0 && errno == ENOSYS && kernel_before(5, 13)) {
		ksft_print_msg("no Landlock before 5.13: the rule of docs/behaviour.md has nothing to meet here\n");
		return;
	}
	ASSERT_LT(0, abi) TH_LOG("Landlock not enabled: %s", strerror(errno));
	results = mmap(NULL, 2 * sizeof(int), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, results);
	results[0] = results[1] = 1;
	ASSERT_EQ(0, ksu_cache_drop_idle());
	ret = ksu_run_child(landlock_child, results);
	ASSERT_EQ(0, ret) TH_LOG("10-12: Landlock setup, 13: /proc/kallsyms still readable");
	EXPECT_EQ(0, results[0]) TH_LOG("cold: %s", strerror(-results[0]));
	EXPECT_EQ(results[0], results[1]) TH_LOG("warm: %s", strerror(-results[1]));
	munmap(results, 2 * sizeof(int));
}

TEST_HARNESS_MAIN
