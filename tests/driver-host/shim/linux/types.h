/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host shim for the kernel's <linux/types.h>: u8..u64, bool and U32_MAX.
 *
 * System headers (glibc's <sys/stat.h> through <linux/stat.h>, for one)
 * include <linux/types.h> themselves and expect the uapi one, with __u32
 * and friends; since this directory comes first on the include path, pass
 * those on to the real header as well.
 */
#ifndef KSYMS_HOST_SHIM_LINUX_TYPES_H
#define KSYMS_HOST_SHIM_LINUX_TYPES_H

#include_next <linux/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#ifndef U8_MAX
#define U8_MAX		((u8)~0U)
#endif
#ifndef U16_MAX
#define U16_MAX		((u16)~0U)
#endif
#ifndef U32_MAX
#define U32_MAX		((u32)~0U)
#endif
#ifndef U64_MAX
#define U64_MAX		((u64)~0ULL)
#endif

#endif
