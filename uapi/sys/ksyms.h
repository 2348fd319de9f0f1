/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause */
/*
 * <sys/ksyms.h> as BSD programs include it; the definitions live in
 * <linux/ksyms.h>.
 */
#ifndef _SYS_KSYMS_H
#define _SYS_KSYMS_H

#include <linux/ksyms.h>

#endif /* _SYS_KSYMS_H */
