/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_BUILD_H
#define KSYMS_BUILD_H

struct ksyms_snapshot;
struct ksyms_vmlinux;

struct ksyms_snapshot *ksyms_build_snapshot(const struct ksyms_vmlinux *vml,
					    const struct ksyms_snapshot *from);

#endif /* KSYMS_BUILD_H */
