// SPDX-License-Identifier: GPL-2.0-only
/*
 * What ksyms_netbsd_nlist.h declares.
 */
#include <elf.h>
#include <sys/ioctl.h>

#include <linux/ksyms.h>

#include "ksyms_netbsd_nlist.h"

int netbsd_nlist(int fd, struct netbsd_nlist *list)
{
	struct ksyms_gsymbol kg;
	int missing = 0;

	for (; list->n_name && list->n_name[0]; list++) {
		kg.kg_name = list->n_name;
		if (ioctl(fd, KIOCGSYMBOL, &kg) < 0) {
			missing++;
			continue;
		}
		list->n_value = kg.kg_sym.st_value;
		switch (ELF64_ST_TYPE(kg.kg_sym.st_info)) {
		case STT_FILE:
			list->n_type = N_FN;
			break;
		case STT_OBJECT:
			list->n_type = N_DATA;
			break;
		case STT_FUNC:
			list->n_type = N_TEXT;
			break;
		default:
			list->n_type = N_UNDF;
			break;
		}
		if (ELF64_ST_BIND(kg.kg_sym.st_info) != STB_LOCAL)
			list->n_type |= N_EXT;
	}
	return missing;
}
