// SPDX-License-Identifier: GPL-2.0-only
/*
 * Opening the device, reading whole files and writing sysctl and sysfs
 * values: the helpers every other part of the selftests' library uses.
 * See ksyms_util.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksyms_util.h"

size_t ksu_page_size(void)
{
	static size_t pagesz;

	if (!pagesz)
		pagesz = (size_t)sysconf(_SC_PAGESIZE);
	return pagesz;
}

const char *ksu_dev_path(void)
{
	const char *p = getenv("KSYMS_TEST_DEVICE");

	return p && *p ? p : KSYMS_PATH;
}

int ksu_open(int flags)
{
	int fd = open(ksu_dev_path(), flags);

	return fd < 0 ? -errno : fd;
}

int ksu_open_close(void)
{
	int fd = ksu_open(O_RDONLY);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static int ksu_grow(unsigned char **bufp, size_t *cap, size_t need)
{
	unsigned char *nbuf;
	size_t ncap = *cap ? *cap : 1 << 20;

	while (ncap < need)
		ncap *= 2;
	if (ncap == *cap)
		return 0;
	nbuf = realloc(*bufp, ncap);
	if (!nbuf)
		return -ENOMEM;
	*bufp = nbuf;
	*cap = ncap;
	return 0;
}

/*
 * Reads until EOF, growing by @chunk bytes: read() from the current
 * position, asking for all the room there is, or, if @positional, pread()
 * from offset 0 in @chunk-byte requests.
 */
static int ksu_slurp(int fd, size_t chunk, bool positional,
		     unsigned char **bufp, size_t *sizep)
{
	unsigned char *buf = NULL;
	size_t cap = 0, len = 0;
	ssize_t n;

	for (;;) {
		if (ksu_grow(&buf, &cap, len + chunk + 1)) {
			free(buf);
			return -ENOMEM;
		}
		n = positional ? pread(fd, buf + len, chunk, (off_t)len) :
				 read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			int err = -errno;

			if (errno == EINTR)
				continue;
			free(buf);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*bufp = buf;
	*sizep = len;
	return 0;
}

int ksu_read_all(int fd, unsigned char **bufp, size_t *sizep)
{
	return ksu_slurp(fd, 65536, false, bufp, sizep);
}

int ksu_pread_all(int fd, size_t chunk, unsigned char **bufp, size_t *sizep)
{
	return ksu_slurp(fd, chunk ? chunk : 1 << 20, true, bufp, sizep);
}

int ksu_open_image(int *fdp, unsigned char **bufp, size_t *sizep)
{
	int ret;

	*bufp = NULL;
	*fdp = ksu_open(O_RDONLY);
	if (*fdp < 0) {
		ret = *fdp;
		*fdp = -1;
		return ret;
	}
	ret = ksu_pread_all(*fdp, 0, bufp, sizep);
	if (ret) {
		close(*fdp);
		*fdp = -1;
	}
	return ret;
}

int ksu_write_str(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

int ksu_write_long(const char *path, long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld\n", val);
	return ksu_write_str(path, buf);
}

int ksu_set_long(const char *path, long want)
{
	long val;
	int ret;

	ret = ksu_write_long(path, want);
	if (!ret)
		ret = ksu_read_long(path, &val);
	if (!ret && val != want)
		ret = -EPROTO;
	return ret;
}

int ksu_read_long(const char *path, long *val)
{
	char buf[32];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	errno = 0;
	*val = strtol(buf, NULL, 10);
	return errno ? -errno : 0;
}


int ksu_read_path(const char *path, unsigned char **bufp, size_t *sizep)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = ksu_read_all(fd, bufp, sizep);
	close(fd);
	return ret;
}

long ksu_meminfo_kb(const char *field)
{
	size_t n = strlen(field);
	long val = -ENOENT;
	char line[128];
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, n) && line[n] == ':') {
			val = strtol(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

int ksu_drop_caches(int what)
{
	return ksu_write_long("/proc/sys/vm/drop_caches", what);
}
