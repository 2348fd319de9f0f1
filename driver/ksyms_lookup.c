// SPDX-License-Identifier: GPL-2.0
/*
 * NetBSD's KIOCGVALUE and KIOCGSYMBOL, answered from the descriptor's
 * snapshot so that they agree with its image.
 */
#include <linux/compat.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/uaccess.h>

#include <linux/ksyms.h>

#include "ksyms_debug.h"
#include "ksyms_elf.h"
#include "ksyms_lookup.h"
#include "ksyms_names.h"
#include "ksyms_snapshot.h"

#ifdef CONFIG_COMPAT
/* A 32-bit caller's layouts: 4-byte pointers, u64 4-aligned on x86. */
struct ksyms_sym32 {
	u32 st_name;
	u8 st_info;
	u8 st_other;
	u16 st_shndx;
	compat_u64 st_value;
	compat_u64 st_size;
};

struct ksyms_gvalue32 {
	compat_uptr_t kv_name;
	compat_u64 kv_value;
};

struct ksyms_gsymbol32 {
	compat_uptr_t kg_name;
	struct ksyms_sym32 kg_sym;
};

#define KIOCGVALUE32	_IOWR('l', 4, struct ksyms_gvalue32)
#define KIOCGSYMBOL32	_IOWR('l', 5, struct ksyms_gsymbol32)
#endif

/* Where each command finds the name and puts its answer. */
struct ksyms_lookup_cmd {
	unsigned int cmd;
	bool compat;			/* the name pointer is a compat_uptr_t */
	enum ksyms_names_scope scope;
	size_t answer_offset;
	size_t answer_size;		/* st_value's or the whole symbol's */
};

static const struct ksyms_lookup_cmd ksyms_lookup_cmds[] = {
	{ KIOCGVALUE, false, KSYMS_NAMES_GLOBAL,
	  offsetof(struct ksyms_gvalue, kv_value), sizeof(u64) },
	{ KIOCGSYMBOL, false, KSYMS_NAMES_ANY,
	  offsetof(struct ksyms_gsymbol, kg_sym), sizeof(struct ksyms_sym) },
#ifdef CONFIG_COMPAT
	{ KIOCGVALUE32, true, KSYMS_NAMES_GLOBAL,
	  offsetof(struct ksyms_gvalue32, kv_value), sizeof(u64) },
	{ KIOCGSYMBOL32, true, KSYMS_NAMES_ANY,
	  offsetof(struct ksyms_gsymbol32, kg_sym), sizeof(struct ksyms_sym) },
#endif
#ifdef CONFIG_X86_X32_ABI
	/*
	 * x32 aligns a u64 to 8 as x86_64 does, so its structs have the
	 * native sizes and numbers, with a 4-byte pointer in the first 8.
	 */
	{ KIOCGVALUE, true, KSYMS_NAMES_GLOBAL,
	  offsetof(struct ksyms_gvalue, kv_value), sizeof(u64) },
	{ KIOCGSYMBOL, true, KSYMS_NAMES_ANY,
	  offsetof(struct ksyms_gsymbol, kg_sym), sizeof(struct ksyms_sym) },
#endif
};

/* The image's Elf64_Sym is the uapi's ksyms_sym, byte for byte. */
static_assert(sizeof(struct ksyms_sym) == sizeof(Elf64_Sym));
static_assert(offsetof(struct ksyms_sym, st_value) ==
	      offsetof(Elf64_Sym, st_value));
static_assert(offsetof(struct ksyms_sym, st_size) ==
	      offsetof(Elf64_Sym, st_size));

static int ksyms_lookup_name_ptr(const struct ksyms_lookup_cmd *lc,
				 void __user *arg, const char __user **uname)
{
#ifdef CONFIG_COMPAT
	compat_uptr_t uptr;

	if (lc->compat) {
		if (get_user(uptr, (compat_uptr_t __user *)arg))
			return -EFAULT;
		*uname = compat_ptr(uptr);
		return 0;
	}
#endif
	return get_user(*uname, (const char __user * __user *)arg);
}

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

static long ksyms_lookup(struct ksyms_snapshot *snap,
			 const struct ksyms_lookup_cmd *lc, void __user *arg)
{
	const struct ksyms_names *names;
	const char __user *uname;
	const Elf64_Sym *sym;
	const void *answer;
	char *name;
	s64 index;
	int err;

	err = ksyms_lookup_name_ptr(lc, arg, &uname);
	if (err)
		return err;
	names = ksyms_snapshot_names(snap);
	if (IS_ERR(names))
		return PTR_ERR(names);
	name = ksyms_lookup_copy_name(uname, names->longest);
	if (IS_ERR(name))
		return PTR_ERR(name);
	index = ksyms_names_find(names, name, lc->scope);
	ksyms_kfree(name);
	if (index < 0)
		return index;
	sym = &names->syms[index];
	answer = lc->answer_size == sizeof(*sym) ? (const void *)sym :
		 (const void *)&sym->st_value;
	if (copy_to_user(arg + lc->answer_offset, answer, lc->answer_size))
		return -EFAULT;
	return 0;
}

long ksyms_lookup_ioctl(struct ksyms_snapshot *snap, unsigned int cmd,
			void __user *arg, bool compat)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ksyms_lookup_cmds); i++) {
		if (ksyms_lookup_cmds[i].cmd == cmd &&
		    ksyms_lookup_cmds[i].compat == compat)
			return ksyms_lookup(snap, &ksyms_lookup_cmds[i], arg);
	}
	return -ENOTTY;
}
