// SPDX-License-Identifier: GPL-2.0-only
/*
 * Finding a symbol of a snapshot by a name in the caller's memory, for
 * NetBSD's KIOCGVALUE and KIOCGSYMBOL: answered from the descriptor's
 * snapshot so that they agree with its image.
 */
#include <linux/err.h>
#include <linux/uaccess.h>

#include "ksyms_debug.h"
#include "ksyms_lookup.h"
#include "ksyms_names.h"
#include "ksyms_snapshot.h"

/*
 * The caller's name, if it is no longer than the longest in the snapshot:
 * a longer one cannot be found, and copying it would let the caller set
 * the size of a kernel allocation.
 */
static char *ksyms_lookup_copy_name(const char __user *uname, u32 longest)
{
	char *name = ksyms_kzalloc(longest + 1);
	long len;

	if (!name)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(name, uname, longest + 1);
	if (len >= 0 && len <= longest)
		return name;
	ksyms_kfree(name);
	return ERR_PTR(len < 0 ? len : -ENAMETOOLONG);
}

/**
 * ksyms_lookup - find a symbol of a snapshot by name
 * @snap: the snapshot, held by the caller
 * @uname: the name, in the caller's memory
 * @scope: which symbols may answer, and in which order
 * @sym: set to the symbol found, as the image holds it
 *
 * Builds @snap's name index at its first lookup (ksyms_snapshot_names()).
 *
 * Return: 0; -ENOENT if no symbol in @scope has that name; -ENAMETOOLONG
 * if the name is longer than every name in @snap; -EFAULT if it cannot be
 * read; -ENOMEM or -EINTR from building the index.
 */
int ksyms_lookup(struct ksyms_snapshot *snap, const char __user *uname,
		 enum ksyms_names_scope scope, Elf64_Sym *sym)
{
	const struct ksyms_names *names;
	char *name;
	s64 index;

	names = ksyms_snapshot_names(snap);
	if (IS_ERR(names))
		return PTR_ERR(names);
	name = ksyms_lookup_copy_name(uname, names->longest);
	if (IS_ERR(name))
		return PTR_ERR(name);
	index = ksyms_names_find(names, name, scope);
	ksyms_kfree(name);
	if (index < 0)
		return index;
	*sym = names->syms[index];
	return 0;
}
