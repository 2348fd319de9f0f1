// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ioctls, every ABI's in one table: FreeBSD's KIOCGSIZE and KIOCGADDR,
 * NetBSD's KIOCGVALUE and KIOCGSYMBOL, each as a 64-bit process encodes
 * it and as a 32-bit one does on a 64-bit kernel (its own command numbers,
 * from its 4-byte size_t and pointers).  One function answers one command
 * in one encoding.
 */
#include <linux/compat.h>
#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/uaccess.h>

#include <linux/ksyms.h>

#include "ksyms_ioctl.h"
#include "ksyms_lookup.h"
#include "ksyms_map.h"
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

#define KIOCGSIZE32	_IOR('l', 1, compat_size_t)
#define KIOCGADDR32	_IOR('l', 2, compat_uptr_t)
#define KIOCGVALUE32	_IOWR('l', 4, struct ksyms_gvalue32)
#define KIOCGSYMBOL32	_IOWR('l', 5, struct ksyms_gsymbol32)
#endif

/* The image's Elf64_Sym is the uapi's ksyms_sym, byte for byte. */
static_assert(sizeof(struct ksyms_sym) == sizeof(Elf64_Sym));
static_assert(offsetof(struct ksyms_sym, st_value) ==
	      offsetof(Elf64_Sym, st_value));
static_assert(offsetof(struct ksyms_sym, st_size) ==
	      offsetof(Elf64_Sym, st_size));

/* The value of the global or weak symbol called @name, at @to. */
static long ksyms_answer_value(struct ksyms_snapshot *snap,
			       const char __user *name, void __user *to)
{
	Elf64_Sym sym;
	int err = ksyms_lookup(snap, name, KSYMS_NAMES_GLOBAL, &sym);

	if (err)
		return err;
	return copy_to_user(to, &sym.st_value, sizeof(sym.st_value)) ?
	       -EFAULT : 0;
}

/* The whole symbol called @name, global or weak first, at @to. */
static long ksyms_answer_symbol(struct ksyms_snapshot *snap,
				const char __user *name, void __user *to)
{
	Elf64_Sym sym;
	int err = ksyms_lookup(snap, name, KSYMS_NAMES_ANY, &sym);

	if (err)
		return err;
	return copy_to_user(to, &sym, sizeof(sym)) ? -EFAULT : 0;
}

static long ksyms_ioctl_size(struct file *file, struct ksyms_snapshot *snap,
			     void __user *arg)
{
	return put_user((size_t)snap->size, (size_t __user *)arg);
}

static long ksyms_ioctl_addr(struct file *file, struct ksyms_snapshot *snap,
			     void __user *arg)
{
	unsigned long addr;
	int err = ksyms_map_caller_address(file, snap, &addr);

	if (err)
		return err;
	return put_user(addr, (unsigned long __user *)arg);
}

static long ksyms_ioctl_value(struct file *file, struct ksyms_snapshot *snap,
			      void __user *arg)
{
	const char __user *name;

	if (get_user(name, (const char __user * __user *)arg))
		return -EFAULT;
	return ksyms_answer_value(snap, name,
				  arg + offsetof(struct ksyms_gvalue, kv_value));
}

static long ksyms_ioctl_symbol(struct file *file, struct ksyms_snapshot *snap,
			       void __user *arg)
{
	const char __user *name;

	if (get_user(name, (const char __user * __user *)arg))
		return -EFAULT;
	return ksyms_answer_symbol(snap, name,
				   arg + offsetof(struct ksyms_gsymbol, kg_sym));
}

#ifdef CONFIG_COMPAT
/* The name a 32-bit caller's struct points to with its first 4 bytes. */
static int ksyms_compat_name(void __user *arg, const char __user **name)
{
	compat_uptr_t uptr;

	if (get_user(uptr, (compat_uptr_t __user *)arg))
		return -EFAULT;
	*name = compat_ptr(uptr);
	return 0;
}

static long ksyms_ioctl_size32(struct file *file, struct ksyms_snapshot *snap,
			       void __user *arg)
{
	if (snap->size > U32_MAX)
		return -EOVERFLOW;
	return put_user((compat_size_t)snap->size, (compat_size_t __user *)arg);
}

static long ksyms_ioctl_addr32(struct file *file, struct ksyms_snapshot *snap,
			       void __user *arg)
{
	unsigned long addr;
	int err = ksyms_map_caller_address(file, snap, &addr);

	if (err)
		return err;
	if (addr > U32_MAX)
		return -EOVERFLOW;
	return put_user((compat_uptr_t)addr, (compat_uptr_t __user *)arg);
}

static long ksyms_ioctl_value32(struct file *file, struct ksyms_snapshot *snap,
				void __user *arg)
{
	const char __user *name;

	if (ksyms_compat_name(arg, &name))
		return -EFAULT;
	return ksyms_answer_value(snap, name,
				  arg + offsetof(struct ksyms_gvalue32, kv_value));
}

static long ksyms_ioctl_symbol32(struct file *file,
				 struct ksyms_snapshot *snap, void __user *arg)
{
	const char __user *name;

	if (ksyms_compat_name(arg, &name))
		return -EFAULT;
	return ksyms_answer_symbol(snap, name,
				   arg + offsetof(struct ksyms_gsymbol32, kg_sym));
}
#endif

#ifdef CONFIG_X86_X32_ABI
/*
 * x32 aligns a u64 to 8 as x86_64 does, so its structs have the native
 * sizes and numbers, with a 4-byte pointer in the first 8.
 */
static long ksyms_ioctl_value_x32(struct file *file,
				  struct ksyms_snapshot *snap, void __user *arg)
{
	const char __user *name;

	if (ksyms_compat_name(arg, &name))
		return -EFAULT;
	return ksyms_answer_value(snap, name,
				  arg + offsetof(struct ksyms_gvalue, kv_value));
}

static long ksyms_ioctl_symbol_x32(struct file *file,
				   struct ksyms_snapshot *snap,
				   void __user *arg)
{
	const char __user *name;

	if (ksyms_compat_name(arg, &name))
		return -EFAULT;
	return ksyms_answer_symbol(snap, name,
				   arg + offsetof(struct ksyms_gsymbol, kg_sym));
}
#endif

struct ksyms_ioctl_op {
	unsigned int cmd;
	bool compat;		/* from compat_ioctl: a 32-bit or x32 caller */
	long (*answer)(struct file *file, struct ksyms_snapshot *snap,
		       void __user *arg);
};

static const struct ksyms_ioctl_op ksyms_ioctl_ops[] = {
	{ KIOCGSIZE,	false,	ksyms_ioctl_size },
	{ KIOCGADDR,	false,	ksyms_ioctl_addr },
	{ KIOCGVALUE,	false,	ksyms_ioctl_value },
	{ KIOCGSYMBOL,	false,	ksyms_ioctl_symbol },
#ifdef CONFIG_COMPAT
	/* x32's KIOCGSIZE and KIOCGADDR are these too: 4-byte size_t, void *. */
	{ KIOCGSIZE32,	true,	ksyms_ioctl_size32 },
	{ KIOCGADDR32,	true,	ksyms_ioctl_addr32 },
	{ KIOCGVALUE32,	true,	ksyms_ioctl_value32 },
	{ KIOCGSYMBOL32, true,	ksyms_ioctl_symbol32 },
#endif
#ifdef CONFIG_X86_X32_ABI
	{ KIOCGVALUE,	true,	ksyms_ioctl_value_x32 },
	{ KIOCGSYMBOL,	true,	ksyms_ioctl_symbol_x32 },
#endif
};

/**
 * ksyms_ioctl - answer an ioctl on /dev/ksyms
 * @file: the descriptor
 * @snap: its snapshot, which every answer is about
 * @cmd: the command, as the caller's ABI encodes it
 * @arg: the argument, already a pointer in the caller's address space
 * @compat: the call came through ->compat_ioctl
 *
 * Takes no lock itself; KIOCGADDR and a lookup's first index build take
 * their own mutexes, so process context.
 *
 * Return: 0, or -errno: -ENOTTY for a command not in the caller's ABI,
 * -EFAULT for memory that cannot be read or written, -EOVERFLOW for a
 * size or address a 32-bit caller cannot hold, and what the KIOCGADDR
 * mapping or a lookup returned.
 */
long ksyms_ioctl(struct file *file, struct ksyms_snapshot *snap,
		 unsigned int cmd, void __user *arg, bool compat)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ksyms_ioctl_ops); i++) {
		if (ksyms_ioctl_ops[i].cmd == cmd &&
		    ksyms_ioctl_ops[i].compat == compat)
			return ksyms_ioctl_ops[i].answer(file, snap, arg);
	}
	return -ENOTTY;
}
