/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_NETBSD_NLIST_H
#define KSYMS_NETBSD_NLIST_H

#include <stdint.h>

/*
 * NetBSD's kvm_nlist() over /dev/ksyms, ported as it is: one KIOCGSYMBOL a
 * name, n_type from the symbol's type and binding, and the count of names
 * not found.
 */
struct netbsd_nlist {
	const char *n_name;
	unsigned char n_type;
	uint64_t n_value;
};

#define N_UNDF	0x00
#define N_TEXT	0x04
#define N_DATA	0x06
#define N_FN	0x1f
#define N_EXT	0x01

/*
 * Fills in each entry of @list, which ends with a NULL or empty n_name, by
 * KIOCGSYMBOL on @fd; returns how many names were not found.
 */
int netbsd_nlist(int fd, struct netbsd_nlist *list);

#endif /* KSYMS_NETBSD_NLIST_H */
