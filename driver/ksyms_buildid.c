// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build IDs, read where the kernel shows them to user space:
 * /sys/kernel/notes for vmlinux, /sys/module/NAME/notes/ for a module.
 * Neither vmlinux_build_id nor a module's notes are exported to modules,
 * and Debian's kernels leave CONFIG_STACKTRACE_BUILD_ID (mod->build_id)
 * unset.  A build ID that is not there is left out; only running out of
 * memory is an error.
 */
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/string.h>

#include "ksyms_buildid.h"
#include "ksyms_debug.h"
#include "ksyms_elf.h"
#include "ksyms_initfs.h"

/* Both files hold a few notes; the build ID comes first in practice. */
#define KSYMS_NOTES_READ	4096
#define KSYMS_MODULE_NOTES	"/sys/module/%s/notes/.note.gnu.build-id"
#define KSYMS_VMLINUX_NOTES	"/sys/kernel/notes"

static int ksyms_build_id_read(const char *path, struct ksyms_build_id *id)
{
	const u8 *found;
	struct file *file;
	loff_t pos = 0;
	int err = 0;
	ssize_t len;
	u32 size;
	u8 *buf;

	id->size = 0;
	id->settled = false;
	buf = ksyms_kzalloc(KSYMS_NOTES_READ);
	if (!buf)
		return -ENOMEM;
	file = ksyms_initfs_open(path);
	if (IS_ERR(file)) {
		if (PTR_ERR(file) == -ENOMEM)
			err = -ENOMEM;
		/* A module built without a build ID has no such file. */
		id->settled = PTR_ERR(file) == -ENOENT;
		goto out;
	}
	len = kernel_read(file, buf, KSYMS_NOTES_READ, &pos);
	fput(file);
	id->settled = len >= 0;
	if (len > 0 && !ksyms_elf_find_build_id(buf, len, &found, &size) &&
	    size <= sizeof(id->bytes)) {
		memcpy(id->bytes, found, size);
		id->size = size;
	}
out:
	ksyms_kfree(buf);
	return err;
}

/**
 * ksyms_build_id_vmlinux() - Read vmlinux's build ID
 * @id: set to the build ID; size 0 when there is none to read
 *
 * Reads the first 4 KiB of /sys/kernel/notes (the build ID comes first
 * in practice), opened as userspace init would find it.  @id->settled
 * says whether the answer is worth keeping: false when the file could
 * not be opened or read for another reason than its absence.
 *
 * Context: Process context; sleeps while a kernel worker opens the file.
 * Return: 0, or -ENOMEM.  A build ID that cannot be read is not an error.
 */
int ksyms_build_id_vmlinux(struct ksyms_build_id *id)
{
	return ksyms_build_id_read(KSYMS_VMLINUX_NOTES, id);
}

/**
 * ksyms_build_id_module() - Read a module's build ID
 * @name: the module's name
 * @id: set to the build ID; size 0 when there is none to read
 *
 * Reads /sys/module/@name/notes/.note.gnu.build-id, opened as userspace
 * init would find it.  A module built without a build ID has no such
 * file, which settles the answer as none.  @id->settled is false only
 * when the file could not be opened or read for another reason than its
 * absence.
 *
 * Context: Process context; sleeps while a kernel worker opens the file.
 * Return: 0, or -ENOMEM.  A build ID that cannot be read is not an error.
 */
int ksyms_build_id_module(const char *name, struct ksyms_build_id *id)
{
	char path[sizeof(KSYMS_MODULE_NOTES) + MODULE_NAME_LEN];

	id->size = 0;
	id->settled = true;
	if (snprintf(path, sizeof(path), KSYMS_MODULE_NOTES, name) >=
	    sizeof(path))
		return 0;
	return ksyms_build_id_read(path, id);
}
