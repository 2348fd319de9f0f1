// SPDX-License-Identifier: GPL-2.0-only
/*
 * Snapshots while modules come and go: a descriptor's snapshot never
 * changes; one snapshot serves every open until a module comes or goes,
 * and the next copies the modules that stayed exactly; opening never
 * blocks module load or unload.
 *
 * Needs three test modules ($KSYMS_TEST_MODULES); every test unloads them
 * in its teardown, whatever happened.
 */
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_mods_fixture.h"

/* A symbol of the module (from /proc/kallsyms) to look for in images. */
static int module_symbol(const char *module, struct ksu_ksym *out,
			 char *name, size_t len)
{
	struct ksu_kallsyms ks;
	size_t i;
	int ret;

	ret = ksu_kallsyms_load(&ks);
	if (ret)
		return ret;
	ret = -ENOENT;
	for (i = 0; i < ks.count; i++) {
		if (!ks.syms[i].module || strcmp(ks.syms[i].module, module))
			continue;
		*out = ks.syms[i];
		snprintf(name, len, "%s", ks.syms[i].name);
		out->name = name;
		out->module = NULL;
		ret = 0;
		break;
	}
	ksu_kallsyms_free(&ks);
	return ret;
}

struct child_view {
	uint64_t size;
	int has_sym;
	int err;
};

struct child_arg {
	int pipe;
	const struct ksu_ksym *sym;
};

/* Another process's fresh open: its size and whether it has the symbol. */
static int child_open(void *p)
{
	const struct child_arg *a = p;
	struct child_view v = { 0 };
	struct ksu_image img;

	v.err = ksu_image_load(&img);
	if (!v.err) {
		v.size = img.size;
		v.has_sym = a->sym ?
			    ksu_image_find(&img, a->sym->name, a->sym->addr) > 0 :
			    0;
		ksu_image_free(&img);
	}
	return write(a->pipe, &v, sizeof(v)) == sizeof(v) ? 0 : 1;
}

static struct child_view other_process_view(struct __test_metadata *_metadata,
					    const struct ksu_ksym *sym)
{
	struct child_view v = { 0 };
	struct child_arg a;
	int p[2];

	ASSERT_EQ(0, pipe(p));
	a.pipe = p[1];
	a.sym = sym;
	EXPECT_EQ(0, ksu_run_child(child_open, &a));
	EXPECT_EQ((ssize_t)sizeof(v), read(p[0], &v, sizeof(v)));
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(0, v.err) TH_LOG("open in a child: %s", strerror(-v.err));
	return v;
}

/* Everything this descriptor shows equals @img, byte for byte. */
static void check_descriptor(struct __test_metadata *_metadata, int fd,
			     const unsigned char *img, size_t size)
{
	unsigned char *again, *map;
	void *addr = NULL;
	size_t isize = 0, got;
	int ret;

	ASSERT_EQ(0, ioctl(fd, KIOCGSIZE, &isize));
	EXPECT_EQ(size, isize);
	ret = ksu_pread_all(fd, 0, &again, &got);
	ASSERT_EQ(0, ret);
	EXPECT_EQ(size, got);
	EXPECT_EQ(0, memcmp(img, again, size < got ? size : got))
		TH_LOG("read() of the old descriptor changed");
	free(again);

	ASSERT_EQ(0, ioctl(fd, KIOCGADDR, &addr));
	EXPECT_EQ(0, memcmp(img, addr, size))
		TH_LOG("the KIOCGADDR mapping changed");

	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	EXPECT_EQ(0, memcmp(img, map, size))
		TH_LOG("a new mmap() of the old descriptor differs");
	munmap(map, size);
}

TEST_F_TIMEOUT(mods, snapshot_isolation, 120)
{
	struct child_view v;
	struct ksu_ksym sym;
	unsigned char *img0, *img3;
	size_t size0, size3;
	char name[256];
	struct stat st;
	int fd, ret;

	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
	ASSERT_EQ(0, ksu_pread_all(fd, 0, &img0, &size0));

	ret = ksu_module_load(self->m[0].path);
	ASSERT_EQ(0, ret) TH_LOG("loading %s: %s", self->m[0].path,
				 strerror(-ret));
	ASSERT_EQ(0, module_symbol(self->m[0].name, &sym, name, sizeof(name)));

	/* the open descriptor still shows the old snapshot */
	check_descriptor(_metadata, fd, img0, size0);

	/* a fresh open sees the module */
	v = other_process_view(_metadata, &sym);
	EXPECT_TRUE(v.has_sym) TH_LOG("a new open does not list %s of %s",
				      sym.name, self->m[0].name);
	EXPECT_LT(size0, v.size);
	/* documented choice: st_size is the device inode's, set at each open */
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(v.size, (uint64_t)st.st_size);
	check_descriptor(_metadata, fd, img0, size0);

	ret = ksu_module_unload(self->m[0].name);
	ASSERT_EQ(0, ret) TH_LOG("unloading %s: %s", self->m[0].name,
				 strerror(-ret));
	check_descriptor(_metadata, fd, img0, size0);
	v = other_process_view(_metadata, &sym);
	EXPECT_FALSE(v.has_sym);
	EXPECT_EQ(size0, v.size);
	close(fd);

	/* same modules as at the first open: the same image again */
	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ksu_pread_all(fd, 0, &img3, &size3));
	close(fd);
	EXPECT_EQ(size0, size3);
	EXPECT_EQ(0, memcmp(img0, img3, size0 < size3 ? size0 : size3))
		TH_LOG("reopening after load + unload gives a different image");
	free(img0);
	free(img3);
}

static long builds(struct __test_metadata *_metadata)
{
	struct ksu_stats st;

	EXPECT_EQ(0, ksu_stats_read(&st));
	return ksu_stat(&st, "snapshot_builds");
}

static void open_close(struct __test_metadata *_metadata, int times)
{
	while (times--) {
		int fd = ksu_open(O_RDONLY);

		EXPECT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
		if (fd >= 0)
			close(fd);
	}
}

/* One snapshot serves every open until a module comes or goes. */
TEST_F(mods, snapshot_reused_until_modules_change)
{
	long b0;
	int ret;

	if (!ksu_debugfs_present())
		SKIP(return, "no %s/stats: debugfs not mounted", KSU_DEBUGFS);
	open_close(_metadata, 1);
	b0 = builds(_metadata);
	open_close(_metadata, 5);
	EXPECT_EQ(b0, builds(_metadata));

	ret = ksu_module_load(self->m[0].path);
	ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));
	EXPECT_EQ(b0, builds(_metadata)) TH_LOG("built before anyone opened");
	open_close(_metadata, 3);
	EXPECT_EQ(b0 + 1, builds(_metadata));

	ret = ksu_module_unload(self->m[0].name);
	ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));
	open_close(_metadata, 3);
	EXPECT_EQ(b0 + 2, builds(_metadata));
}

/* The image a new open gives, and how many modules it holds. */
static void image_now(struct __test_metadata *_metadata, struct ksu_image *img,
		      size_t *nr_modules)
{
	const struct ksyms_object *obj;
	int fd = ksu_open(O_RDONLY);
	size_t k, nr;

	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
	ASSERT_EQ(0, ksu_image_from_fd(img, fd));
	close(fd);
	obj = ksu_objects(img, &nr);
	ASSERT_NE(NULL, obj);
	/* every object but vmlinux and the pseudo-objects */
	*nr_modules = 0;
	for (k = 1; k < nr; k++)
		*nr_modules += !(obj[k].flags & KSYMS_OBJECT_PSEUDO);
}

/* Whether the image's object table lists @name. */
static bool has_object(const struct ksu_image *img, const char *name)
{
	size_t k, nr;
	const struct ksyms_object *obj = ksu_objects(img, &nr);

	for (k = 0; k < nr; k++)
		if (!strncmp(obj[k].name, name, sizeof(obj[k].name)))
			return true;
	return false;
}

/*
 * The first open after a module comes reads only that module's table and
 * copies every other module from the last snapshot.  What it copies is
 * what reading them all again gives, byte for byte, and a module that
 * left and came back (perhaps at the very address it left) is read again.
 */
TEST_F_TIMEOUT(mods, unchanged_modules_copied_exactly, 120)
{
	struct ksu_image copied, fresh;
	struct ksu_stats s0, s1;
	size_t nr, nr_fresh;
	int round, ret;

	if (!ksu_debugfs_present())
		SKIP(return, "no %s/stats: debugfs not mounted", KSU_DEBUGFS);
	open_close(_metadata, 1);
	for (round = 0; round < 2; round++) {
		if (round) {
			ret = ksu_module_unload(self->m[0].name);
			ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));
		}
		ret = ksu_module_load(self->m[0].path);
		ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));

		ASSERT_EQ(0, ksu_stats_read(&s0));
		image_now(_metadata, &copied, &nr);
		ASSERT_EQ(0, ksu_stats_read(&s1));
		ASSERT_LE(2UL, nr);
		EXPECT_EQ(ksu_stat(&s0, "snapshot_builds") + 1,
			  ksu_stat(&s1, "snapshot_builds"));
		EXPECT_EQ(ksu_stat(&s0, "modules_read") + 1,
			  ksu_stat(&s1, "modules_read"))
			TH_LOG("round %d: only %s is new", round,
			       self->m[0].name);
		EXPECT_EQ(ksu_stat(&s0, "modules_copied") + (long)nr - 1,
			  ksu_stat(&s1, "modules_copied"));

		ASSERT_EQ(0, ksu_cache_drop_idle());
		ASSERT_EQ(0, ksu_stats_read(&s0));
		image_now(_metadata, &fresh, &nr_fresh);
		ASSERT_EQ(0, ksu_stats_read(&s1));
		EXPECT_EQ(ksu_stat(&s0, "modules_read") + (long)nr_fresh,
			  ksu_stat(&s1, "modules_read"));
		EXPECT_EQ(ksu_stat(&s0, "modules_copied"),
			  ksu_stat(&s1, "modules_copied"));

		EXPECT_EQ(nr, nr_fresh);
		ASSERT_EQ(copied.size, fresh.size);
		EXPECT_EQ(0, memcmp(copied.data, fresh.data, copied.size))
			TH_LOG("round %d: the copied image is not the one "
			       "built from scratch", round);
		ksu_image_free(&copied);
		ksu_image_free(&fresh);
	}
}

struct race {
	const struct ksu_module *mod;
	bool stop;		/* __atomic */
	int load_errors, unload_errors, last_error;
	unsigned long opens, enxio, other_errors, bad_images;
	int other_errno;
};

static void *loader(void *p)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	struct race *r = p;
	int i, ret;

	for (i = 0; i < 20; i++) {
		ret = ksu_module_load(r->mod->path);
		if (ret) {
			r->load_errors++;
			r->last_error = ret;
		}
		nanosleep(&ts, NULL);
		ret = ksu_module_unload_wait(r->mod->name);
		if (ret) {
			r->unload_errors++;
			r->last_error = ret;
		}
		nanosleep(&ts, NULL);
	}
	__atomic_store_n(&r->stop, true, __ATOMIC_RELEASE);
	return NULL;
}

static void *opener(void *p)
{
	struct race *r = p;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		Elf64_Ehdr eh;
		size_t size = 0;
		int fd = ksu_open(O_RDONLY);

		if (fd == -ENXIO) {
			r->enxio++;
			continue;
		}
		if (fd < 0) {
			r->other_errors++;
			r->other_errno = -fd;
			continue;
		}
		r->opens++;
		/* The section header table ends the image. */
		if (ioctl(fd, KIOCGSIZE, &size) ||
		    pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
		    size != eh.e_shoff + (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr))
			r->bad_images++;
		close(fd);
	}
	return NULL;
}

/* Opening never blocks loading or unloading, and never returns junk. */
TEST_F_TIMEOUT(mods, open_races_module_load, 120)
{
	struct race r = { .mod = &self->m[0] };
	struct ksu_image img;
	pthread_t tl, to;
	size_t nr;

	ASSERT_EQ(0, pthread_create(&to, NULL, opener, &r));
	ASSERT_EQ(0, pthread_create(&tl, NULL, loader, &r));
	pthread_join(tl, NULL);
	pthread_join(to, NULL);
	TH_LOG("%lu opens, %lu ENXIO while %s came and went 20 times",
	       r.opens, r.enxio, self->m[0].name);
	EXPECT_EQ(0, r.load_errors) TH_LOG("%s", strerror(-r.last_error));
	EXPECT_EQ(0, r.unload_errors) TH_LOG("%s", strerror(-r.last_error));
	EXPECT_EQ(0UL, r.other_errors) TH_LOG("open: %s",
					      strerror(r.other_errno));
	EXPECT_EQ(0UL, r.bad_images);
	EXPECT_LT(0UL, r.opens);

	/* and afterwards the image does not hold the module */
	image_now(_metadata, &img, &nr);
	EXPECT_FALSE(has_object(&img, self->m[0].name))
		TH_LOG("%s is gone, but the image lists it", self->m[0].name);
	ksu_image_free(&img);
}

TEST_HARNESS_MAIN
