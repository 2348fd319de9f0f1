/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause */
/*
 * /dev/ksyms: a read-only ELF image of the running kernel's symbol table.
 *
 * The ioctls are FreeBSD's (sys/ksyms.h) and NetBSD's, encoded with Linux's
 * _IOR/_IOWR so the numbers follow each ABI's size_t and pointer width: a
 * 32-bit process on a 64-bit kernel gets its own command numbers and
 * correct answers.
 */
#ifndef _UAPI_LINUX_KSYMS_H
#define _UAPI_LINUX_KSYMS_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KSYMS_PATH	"/dev/ksyms"

/* Exact size in bytes of this descriptor's snapshot (size_t). */
#define KIOCGSIZE	_IOR('l', 1, __kernel_size_t)
/*
 * Address of this descriptor's snapshot mapped read-only into the caller
 * (void *): mapped at the first KIOCGADDR, the same address after it.
 */
#define KIOCGADDR	_IOR('l', 2, void *)

/*
 * NetBSD's lookups by name, answered from this descriptor's snapshot so
 * they agree with its image.  ENOENT: no such symbol; ENAMETOOLONG: the
 * name is longer than every name in the snapshot.
 */

/* One symbol as the image holds it: Elf64_Sym's layout and field names. */
struct ksyms_sym {
	__u32 st_name;		/* into the image's .strtab */
	unsigned char st_info;
	unsigned char st_other;
	__u16 st_shndx;
	__u64 st_value;
	__u64 st_size;
};

/* The value of a global or weak symbol. */
struct ksyms_gvalue {
	const char *kv_name;
	__u64 kv_value;
};

/* The whole symbol: global or weak first, else the first local one. */
struct ksyms_gsymbol {
	const char *kg_name;
	struct ksyms_sym kg_sym;
};

#define KIOCGVALUE	_IOWR('l', 4, struct ksyms_gvalue)
#define KIOCGSYMBOL	_IOWR('l', 5, struct ksyms_gsymbol)

/*
 * The image's .ksyms.objects section: one record for each object, vmlinux
 * first, then every module in load order, then what /proc/kallsyms lists
 * after the modules (KSYMS_OBJECT_PSEUDO).  See docs/image-format.md.
 */
#define KSYMS_OBJECT_NAME_LEN		64
#define KSYMS_OBJECT_BUILD_ID_MAX	32

/*
 * Not a module: BPF programs ("bpf"), ftrace trampolines
 * ("__builtin__ftrace"), kprobe pages ("__builtin__kprobes"), or the
 * __init functions ftrace keeps of a module (the module's name).
 */
#define KSYMS_OBJECT_PSEUDO		0x1

struct ksyms_object {
	__u64 base;		/* lowest address of its typed sections */
	__u64 size;		/* from base to the end of the highest one */
	__u64 first_local;	/* index of its first local symbol */
	__u64 nr_locals;
	__u64 first_global;	/* index of its first global or weak symbol */
	__u64 nr_globals;
	__u32 first_section;	/* index of its first typed section */
	__u32 nr_sections;
	__u32 build_id_size;	/* bytes of build_id; 0: it has none */
	__u32 flags;		/* KSYMS_OBJECT_* */
	__u8 build_id[KSYMS_OBJECT_BUILD_ID_MAX];
	char name[KSYMS_OBJECT_NAME_LEN];	/* "vmlinux" or as kallsyms names it */
};

#endif /* _UAPI_LINUX_KSYMS_H */
