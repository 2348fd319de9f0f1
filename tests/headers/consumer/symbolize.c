/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Usage: symbolize_c IMAGE ADDRESS...
 *
 * Prints the library's version, vmlinux's build ID, then each address as
 * "address name+0xoff/0xsize [module buildid]" (or "address ?"), through
 * the C API in one batch. Fails if the package, the headers and the
 * library disagree on the version.
 */
#include <ksyms/ksyms.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	ksyms_location where[8];
	uint64_t addresses[8];
	ksyms_object_info vmlinux;
	ksyms_snapshot *snapshot;
	size_t n = argc - 2;
	char id[128];

	if (argc < 3 || n > 8)
		return 2;
	if (strcmp(ksyms_version(), PACKAGE_VERSION) ||
	    strcmp(ksyms_version(), KSYMS_VERSION_STRING)) {
		fprintf(stderr, "versions differ: library %s, package %s, headers %s\n",
			ksyms_version(), PACKAGE_VERSION, KSYMS_VERSION_STRING);
		return 1;
	}
	printf("libksyms %s\n", ksyms_version());
	snapshot = ksyms_open_file(argv[1], NULL);
	if (!snapshot) {
		fprintf(stderr, "%s\n", ksyms_last_error_message());
		return 1;
	}
	if (ksyms_find_object(snapshot, "vmlinux", &vmlinux) == 0) {
		ksyms_format_build_id(vmlinux.build_id, vmlinux.build_id_size,
				      id, sizeof(id));
		printf("vmlinux %s\n", id);
	}
	for (size_t i = 0; i < n; i++)
		addresses[i] = strtoull(argv[i + 2], NULL, 16);
	if (ksyms_symbolize(snapshot, addresses, n, where, NULL)) {
		fprintf(stderr, "%s\n", ksyms_last_error_message());
		ksyms_close(snapshot);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!where[i].symbol.name) {
			printf("0x%" PRIx64 " ?\n", addresses[i]);
			continue;
		}
		printf("0x%" PRIx64 " %s+0x%" PRIx64 "/0x%" PRIx64, addresses[i],
		       where[i].symbol.name, where[i].offset, where[i].size);
		if (where[i].module[0]) {
			ksyms_format_build_id(where[i].build_id,
					      where[i].build_id_size, id,
					      sizeof(id));
			printf(" [%s%s%s]", where[i].module, id[0] ? " " : "",
			       id);
		}
		printf("\n");
	}
	ksyms_close(snapshot);
	return 0;
}
