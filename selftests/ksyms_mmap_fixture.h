/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixture of the mapping tests: one descriptor, the image read through
 * it, and its KIOCGADDR mapping, made in the setup and not yet touched.
 * Included by one program each, after ksyms_test.h.
 */
#ifndef KSYMS_MMAP_FIXTURE_H
#define KSYMS_MMAP_FIXTURE_H

#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <unistd.h>

FIXTURE(mm) {
	int fd;
	unsigned char *img;
	size_t size, len;
	unsigned char *open_map;	/* KIOCGADDR */
	bool noexec;
};

FIXTURE_SETUP(mm)
{
	struct statvfs sv;
	void *addr = NULL;
	int ret = ksu_open_image(&self->fd, &self->img, &self->size);

	ASSERT_EQ(0, ret) TH_LOG("open and read %s: %s", ksu_dev_path(),
				 strerror(-ret));
	self->len = ksu_page_round(self->size);
	ASSERT_EQ(0, ioctl(self->fd, KIOCGADDR, &addr));
	self->open_map = addr;
	/* on a noexec mount the VFS refuses PROT_EXEC before the driver */
	ASSERT_EQ(0, fstatvfs(self->fd, &sv));
	self->noexec = sv.f_flag & ST_NOEXEC;
}

FIXTURE_TEARDOWN(mm)
{
	if (self->fd >= 0)
		close(self->fd);
	free(self->img);
}

static inline void *map(int fd, size_t len, int prot, int flags, off_t off)
{
	return mmap(NULL, len, prot, flags, fd, off);
}

static inline bool all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

#endif
