/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSYMS_LOOKUP_H
#define KSYMS_LOOKUP_H

#include <linux/compiler_types.h>
#include <linux/types.h>

struct ksyms_snapshot;

/*
 * KIOCGVALUE and KIOCGSYMBOL, native or (@compat) a 32-bit caller's, for
 * @cmd; -ENOTTY for any other command.
 */
long ksyms_lookup_ioctl(struct ksyms_snapshot *snap, unsigned int cmd,
			void __user *arg, bool compat);

#endif /* KSYMS_LOOKUP_H */
