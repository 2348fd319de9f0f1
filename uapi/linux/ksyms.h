/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
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
/* Address of the snapshot mapped read-only into the caller at open (void *). */
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

#endif /* _UAPI_LINUX_KSYMS_H */
