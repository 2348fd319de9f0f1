/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_BUILDID_H
#define KSYMS_BUILDID_H

#include <linux/types.h>

#include <linux/ksyms.h>

/* A build ID as the image records it. */
struct ksyms_build_id {
	u32 size;		/* 0: none */
	bool settled;		/* read, or known to be absent: worth keeping */
	u8 bytes[KSYMS_OBJECT_BUILD_ID_MAX];
};

int ksyms_build_id_vmlinux(struct ksyms_build_id *id);
int ksyms_build_id_module(const char *name, struct ksyms_build_id *id);

#endif /* KSYMS_BUILDID_H */
