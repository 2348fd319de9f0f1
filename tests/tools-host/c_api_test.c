/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C API, compiled as C: the header must be plain C and the functions
 * must do what ksyms.h says. A plain main() rather than GoogleTest, so that
 * nothing C++ is in this translation unit.
 */
#include <ksyms/ksyms.h>

#include "test_image.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

#define CHECK(condition)                                                    \
	do {                                                                \
		if (!(condition)) {                                         \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n",        \
				__FILE__, __LINE__, #condition);            \
			failures++;                                         \
		}                                                           \
	} while (0)

int main(void)
{
	char dir[] = "/tmp/ksyms-c-test.XXXXXX";
	char path[256], saved[256], missing[256];
	ksyms_error *error = NULL;
	ksyms_snapshot *snapshot;
	ksyms_symbol symbol, found[4];
	ksyms_location location;

	if (!mkdtemp(dir))
		return 2;
	snprintf(path, sizeof(path), "%s/image.elf", dir);
	snprintf(saved, sizeof(saved), "%s/saved.elf", dir);
	snprintf(missing, sizeof(missing), "%s/absent.elf", dir);
	if (ksyms_test_write_known_image(path) != 0)
		return 2;

	/* Errors come back as objects with a code and a message. */
	CHECK(ksyms_open_file(missing, &error) == NULL);
	CHECK(error != NULL);
	if (error) {
		char expected[300];

		snprintf(expected, sizeof(expected),
			 "%s: No such file or directory", missing);
		CHECK(ksyms_error_code(error) == ENOENT);
		CHECK(strcmp(ksyms_error_message(error), expected) == 0);
		ksyms_error_free(error);
		error = NULL;
	}
	CHECK(ksyms_open_file(missing, NULL) == NULL);	/* no error wanted */
	CHECK(ksyms_open_device(missing, &error) == NULL);
	CHECK(error && strstr(ksyms_error_message(error), "modprobe ksyms"));
	ksyms_error_free(error);
	error = NULL;

	snapshot = ksyms_open_file(path, &error);
	CHECK(snapshot != NULL);
	CHECK(error == NULL);
	if (!snapshot)
		return 1;

	CHECK(ksyms_count(snapshot) == 12);
	CHECK(ksyms_symbol_at(snapshot, 1, &symbol) == 0);
	CHECK(strcmp(symbol.name, "local_func") == 0);
	CHECK(symbol.binding == STB_LOCAL && symbol.type == STT_FUNC);
	CHECK(symbol.letter == 't');
	CHECK(ksyms_symbol_at(snapshot, 0, &symbol) == ERANGE);
	CHECK(ksyms_symbol_at(snapshot, 13, &symbol) == ERANGE);

	CHECK(ksyms_lookup_name(snapshot, "dup", found, 4) == 2);
	CHECK(found[0].index == 2 && found[1].index == 3);
	CHECK(ksyms_lookup_name(snapshot, "dup", found, 1) == 2);
	CHECK(ksyms_lookup_name(snapshot, "absent", found, 4) == 0);

	CHECK(ksyms_lookup_address(snapshot, 0xffffffff81001210ull,
				   &location) == 1);
	CHECK(strcmp(location.symbol.name, "start_kernel") == 0);
	CHECK(location.offset == 0x10 && location.size == 0x200);
	CHECK(strcmp(location.module, "") == 0);
	/* the known image has no object table: no build ID */
	CHECK(location.build_id_size == 0);
	CHECK(ksyms_lookup_address(snapshot, 0x10, &location) == 0);

	CHECK(ksyms_save(snapshot, saved, &error) == 0);
	ksyms_close(snapshot);

	snapshot = ksyms_open_file(saved, NULL);
	CHECK(snapshot && ksyms_count(snapshot) == 12);
	ksyms_close(snapshot);

	unlink(path);
	unlink(saved);
	rmdir(dir);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	else
		printf("c_api_test: all checks passed\n");
	return failures ? 1 : 0;
}
