/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixture of the ioctl tests: one descriptor of the device and the
 * image read through it; and KIOCGSIZE and KIOCGADDR asked with canaries
 * around the value.  Included by one program each, after ksyms_test.h.
 */
#ifndef KSYMS_DEV_FIXTURE_H
#define KSYMS_DEV_FIXTURE_H

#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define CANARY		0xa5

FIXTURE(dev) {
	int fd;
	unsigned char *img;
	size_t size, len;
};

FIXTURE_SETUP(dev)
{
	int ret = ksu_open_image(&self->fd, &self->img, &self->size);

	ASSERT_EQ(0, ret) TH_LOG("open and read %s: %s", ksu_dev_path(),
				 strerror(-ret));
	self->len = ksu_page_round(self->size);
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
	free(self->img);
}

/* The value between two canaries: the driver writes exactly its width. */
struct guarded_size {
	unsigned char pre[8];
	size_t val;
	unsigned char post[8];
};

struct guarded_addr {
	unsigned char pre[8];
	void *val;
	unsigned char post[8];
};

static inline bool canaries_ok(const unsigned char *pre, const unsigned char *post)
{
	int i;

	for (i = 0; i < 8; i++)
		if (pre[i] != CANARY || post[i] != CANARY)
			return false;
	return true;
}

static inline int get_size(int fd, size_t *size, bool *canary)
{
	struct guarded_size g;
	int ret;

	memset(&g, CANARY, sizeof(g));
	ret = ioctl(fd, KIOCGSIZE, &g.val);
	*size = g.val;
	*canary = canaries_ok(g.pre, g.post);
	return ret;
}

static inline int get_addr(int fd, void **addr, bool *canary)
{
	struct guarded_addr g;
	int ret;

	memset(&g, CANARY, sizeof(g));
	ret = ioctl(fd, KIOCGADDR, &g.val);
	*addr = g.val;
	*canary = canaries_ok(g.pre, g.post);
	return ret;
}

#endif /* KSYMS_DEV_FIXTURE_H */
