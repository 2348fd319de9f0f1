// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading and unloading the test modules, and the modules' load order as
 * /proc/modules gives it.
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ksyms_util.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE	4
#endif

void ksu_module_name(const char *path, char *name, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t i;
	char *ko;

	base = base ? base + 1 : path;
	snprintf(name, len, "%s", base);
	ko = strstr(name, ".ko");
	if (ko)
		*ko = '\0';
	for (i = 0; name[i]; i++)
		if (name[i] == '-')
			name[i] = '_';
}

int ksu_test_modules(struct ksu_module *mods, int max)
{
	const char *list = getenv("KSYMS_TEST_MODULES");
	char line[PATH_MAX];
	int n = 0;
	FILE *f;

	if (!list || !*list)
		return -ENOENT;
	f = fopen(list, "r");
	if (!f)
		return -errno;
	while (n < max && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		snprintf(mods[n].path, sizeof(mods[n].path), "%s", line);
		ksu_module_name(line, mods[n].name, sizeof(mods[n].name));
		n++;
	}
	fclose(f);
	return n;
}

static bool ksu_ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !strcmp(s + ls - lx, suffix);
}

int ksu_module_load(const char *path)
{
	int flags = 0, fd, ret;

	if (ksu_ends_with(path, ".xz") || ksu_ends_with(path, ".gz") ||
	    ksu_ends_with(path, ".zst"))
		flags |= MODULE_INIT_COMPRESSED_FILE;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", flags);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

int ksu_module_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

int ksu_module_unload_wait(const char *name)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i, ret = 0;

	for (i = 0; i < 250; i++) {
		ret = ksu_module_unload(name);
		if (ret != -EAGAIN && ret != -EBUSY)
			break;
		nanosleep(&ts, NULL);
	}
	return ret;
}

bool ksu_module_loaded(const char *name)
{
	char line[512];
	size_t len = strlen(name);
	bool found = false;
	FILE *f;

	f = fopen("/proc/modules", "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, name, len) && line[len] == ' ';
	fclose(f);
	return found;
}

int ksu_modules_in_load_order(struct ksu_modname *names, int max)
{
	char line[512];
	int n = 0, i;
	size_t len;
	FILE *f;

	f = fopen("/proc/modules", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (n == max) {
			fclose(f);
			return -E2BIG;
		}
		len = strcspn(line, " ");
		if (len >= KSU_MODNAME_LEN)
			len = KSU_MODNAME_LEN - 1;
		memcpy(names[n].name, line, len);
		names[n].name[len] = '\0';
		n++;
	}
	fclose(f);
	/* /proc/modules is newest first */
	for (i = 0; i < n / 2; i++) {
		struct ksu_modname tmp = names[i];

		names[i] = names[n - 1 - i];
		names[n - 1 - i] = tmp;
	}
	return n;
}

const char *ksu_ksyms_ko(void)
{
	const char *ko = getenv("KSYMS_KO");

	return ko && *ko ? ko : NULL;
}

int ksu_ksyms_ensure_loaded(void)
{
	const char *ko = ksu_ksyms_ko();

	if (ksu_module_loaded("ksyms"))
		return 0;
	if (!ko)
		return -ENOENT;
	return ksu_module_load(ko);
}
