// SPDX-License-Identifier: GPL-2.0-only
/*
 * The caller's mappings of the image: /proc/self/maps, smaps and pagemap.
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

int ksu_maps_count(void)
{
	unsigned char *buf;
	size_t size, i;
	int ret, n = 0;

	ret = ksu_read_path("/proc/self/maps", &buf, &size);
	if (ret)
		return ret;
	for (i = 0; i < size; i++)
		n += buf[i] == '\n';
	free(buf);
	return n;
}

static bool ksu_maps_match(uintptr_t addr, char *line, size_t len,
			   bool covering)
{
	unsigned char *buf;
	char *l, *next;
	size_t size;
	bool found = false;

	if (ksu_read_path("/proc/self/maps", &buf, &size))
		return false;
	for (l = (char *)buf; l && *l && !found; l = next) {
		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		char *end;
		uintptr_t start = (uintptr_t)strtoull(l, &end, 16);
		uintptr_t stop = (uintptr_t)strtoull(end + 1, NULL, 16);

		if (start == addr ||
		    (covering && start <= addr && addr < stop)) {
			snprintf(line, len, "%s", l);
			found = true;
		}
	}
	free(buf);
	return found;
}

bool ksu_maps_find(uintptr_t addr, char *line, size_t len)
{
	return ksu_maps_match(addr, line, len, false);
}

bool ksu_maps_covering(uintptr_t addr, char *line, size_t len)
{
	return ksu_maps_match(addr, line, len, true);
}

int ksu_dev_mappings(void)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		n += !!strstr(line, ksu_dev_path());
	fclose(f);
	return n;
}

static int ksu_dev_mappings_child(void *unused)
{
	(void)unused;
	return ksu_dev_mappings();
}

int ksu_child_dev_mappings(void)
{
	return ksu_run_child(ksu_dev_mappings_child, NULL);
}

int ksu_smaps_flags(uintptr_t addr, char *flags, size_t len)
{
	char line[512];
	bool in = false;
	int ret = -ENOENT;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;

		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			in = start == addr;
		} else if (in && !strncmp(line, "VmFlags:", 8)) {
			snprintf(flags, len, "%s", line + 8);
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

int ksu_pagemap(const void *addr, uint64_t *pfn, bool *present)
{
	uint64_t ent;
	off_t off = (off_t)((uintptr_t)addr / ksu_page_size() * sizeof(ent));
	int fd, ret = 0;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pread(fd, &ent, sizeof(ent), off) != sizeof(ent))
		ret = errno ? -errno : -EIO;
	close(fd);
	if (ret)
		return ret;
	*present = ent >> 63;
	*pfn = ent & ((1ULL << 55) - 1);
	return 0;
}
