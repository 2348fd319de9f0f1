/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An image with an object table, build IDs and typed sections, written by
 * the driver's own image code (driver/ksyms_elf_*.c) as /dev/ksyms writes
 * one, from plain C: for the C API test, and for the programs
 * tests/headers-test.sh builds against the installed library.
 *
 *   vmlinux  build ID 0123456789abcdef0123456789abcdef01234567
 *            _stext    T 0xffffffff81000000 size 0x100
 *            local_fn  t 0xffffffff81000100 size 0x100
 *            init_task D 0xffffffff81600000 size 0x1000
 *   ext9     build ID deadbeef
 *            ext9_helper   t 0xffffffffc0000000 size 0x80
 *            ext9_exported T 0xffffffffc0000080 size 0x80
 *   bare     no build ID
 *            bare_fn   t 0xffffffffc0100000 size 0x20
 */
#ifndef KSYMS_TESTS_OBJECT_IMAGE_H
#define KSYMS_TESTS_OBJECT_IMAGE_H

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the image above to path; 0 on success, else an errno. */
int ksyms_test_write_object_image(const char *path);

#ifdef __cplusplus
}
#endif

#endif
