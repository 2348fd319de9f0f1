/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libksyms.so is built with hidden visibility: only what carries KSYMS_API
 * (the C API and the C++ classes and functions of these headers) is
 * exported, and a linker version script (tools/libksyms/libksyms.map)
 * keeps the library's instantiations of standard templates in too.
 */
#ifndef KSYMS_EXPORT_H
#define KSYMS_EXPORT_H

/*
 * C++'s attribute syntax, so that it can follow [[nodiscard]] on a class.
 * KSYMS_PRIVATE keeps a private member function of an exported class in.
 */
#ifdef __cplusplus
#define KSYMS_API [[gnu::visibility("default")]]
#define KSYMS_PRIVATE [[gnu::visibility("hidden")]]
#else
#define KSYMS_API __attribute__((visibility("default")))
#endif

#endif
