/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_VMLINUX_KEEP_H
#define KSYMS_VMLINUX_KEEP_H

#include <linux/types.h>

struct ksyms_vmlinux;
struct ksyms_vmlinux_kept;

int ksyms_vmlinux_keep(const struct ksyms_vmlinux *vml,
		       struct ksyms_vmlinux_kept **out);
int ksyms_vmlinux_restore(const struct ksyms_vmlinux_kept *kept,
			  struct ksyms_vmlinux **out);
u64 ksyms_vmlinux_kept_bytes(const struct ksyms_vmlinux_kept *kept);
void ksyms_vmlinux_kept_free(struct ksyms_vmlinux_kept *kept);

#endif /* KSYMS_VMLINUX_KEEP_H */
