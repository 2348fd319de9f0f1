// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver's debugfs counters and knobs, and waiting for its idle drop.
 * See ksyms_util.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksyms_util.h"

bool ksu_debugfs_present(void)
{
	return access(KSU_DEBUGFS "/stats", R_OK) == 0;
}

/* One "name value" line, without its newline, into the next entry. */
static int ksu_stat_parse(struct ksu_stats *st, const char *line)
{
	size_t len = strcspn(line, " ");
	char *end;
	long val;

	if (!len || len >= KSU_STAT_NAME_LEN || line[len] != ' ' ||
	    st->count == KSU_STATS_MAX)
		return -EPROTO;
	errno = 0;
	val = strtol(line + len + 1, &end, 10);
	if (errno || end == line + len + 1 || *end)
		return -EPROTO;
	memcpy(st->stat[st->count].name, line, len);
	st->stat[st->count].name[len] = '\0';
	st->stat[st->count].value = val;
	st->count++;
	return 0;
}

int ksu_stats_read(struct ksu_stats *st)
{
	unsigned char *buf;
	char *line, *next;
	size_t size;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = ksu_read_path(KSU_DEBUGFS "/stats", &buf, &size);
	if (ret)
		return ret;
	for (line = (char *)buf; !ret && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		ret = ksu_stat_parse(st, line);
	}
	free(buf);
	if (!ret && !st->count)
		ret = -EPROTO;
	if (ret)
		st->count = 0;
	return ret;
}

int ksu_stat_find(const struct ksu_stats *st, const char *name, long *val)
{
	int i;

	for (i = 0; i < st->count; i++) {
		if (!strcmp(st->stat[i].name, name)) {
			*val = st->stat[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

long ksu_stat(const struct ksu_stats *st, const char *name)
{
	long val;

	if (ksu_stat_find(st, name, &val)) {
		fprintf(stderr, "# %s/stats: no counter \"%s\" (%d read)\n",
			KSU_DEBUGFS, name, st->count);
		fflush(stderr);
		abort();
	}
	return val;
}

/* A 1 s timer on a loaded emulated machine, with room to spare. */
#define KSU_IDLE_WAIT_MS	15000
#define KSU_IDLE_POLL_MS	100

int ksu_cache_drop_idle(void)
{
	struct ksu_stats before, now;
	long secs;
	int ms, ret;

	ret = ksu_stats_read(&before);
	if (!ret)
		ret = ksu_read_long(KSU_IDLE_PARAM, &secs);
	if (!ret)
		ret = ksu_write_long(KSU_IDLE_PARAM, 1);
	if (ret)
		return ret;
	ret = -ETIMEDOUT;
	for (ms = 0; ms < KSU_IDLE_WAIT_MS; ms += KSU_IDLE_POLL_MS) {
		if (!ksu_stats_read(&now) &&
		    ksu_stat(&now, "drops_idle") >
		    ksu_stat(&before, "drops_idle")) {
			ret = 0;
			break;
		}
		usleep(KSU_IDLE_POLL_MS * 1000);
	}
	if (ksu_write_long(KSU_IDLE_PARAM, secs) && !ret)
		ret = -EIO;
	return ret;
}

int ksu_debugfs_write(const char *file, long val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", KSU_DEBUGFS, file);
	return ksu_write_long(path, val);
}

int ksu_traces_take(struct ksu_traces *t)
{
	struct ksu_stats st;
	int ret;

	memset(t, 0, sizeof(*t));
	t->maps = ksu_maps_count();
	if (t->maps < 0)
		return t->maps;
	if (!ksu_debugfs_present())
		return 0;
	ret = ksu_stats_read(&st);
	if (ret)
		return ret;
	t->counted = true;
	t->files = ksu_stat(&st, "files");
	t->allocations = ksu_stat(&st, "allocations");
	t->snapshots = ksu_stat(&st, "snapshots");
	return 0;
}

const char *ksu_traces_differ(const struct ksu_traces *before,
			      const struct ksu_traces *after)
{
	if (before->maps != after->maps)
		return "mappings";
	if (before->counted != after->counted)
		return "debugfs";
	if (before->files != after->files)
		return "files";
	if (before->allocations != after->allocations)
		return "allocations";
	if (before->snapshots != after->snapshots)
		return "snapshots";
	return NULL;
}
