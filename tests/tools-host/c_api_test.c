/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The C API, compiled as C: the header must be plain C and the functions
 * must do what ksyms.h says. A plain main() rather than GoogleTest, so that
 * nothing C++ is in this translation unit.
 */
#include <ksyms/ksyms.h>

#include "object_image.h"
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

/* The first line of the repository's VERSION file. */
static int version_file_matches(const char *version)
{
	char line[64] = "";
	FILE *file = fopen(KSYMS_VERSION_FILE, "r");

	if (!file)
		return 0;
	if (!fgets(line, sizeof(line), file))
		line[0] = '\0';
	fclose(file);
	line[strcspn(line, "\n")] = '\0';
	return strcmp(line, version) == 0;
}

/* The hex of a build ID, as ksyms_format_build_id() writes it. */
static const char *hex(const unsigned char *id, size_t size)
{
	static char text[64];

	ksyms_format_build_id(id, size, text, sizeof(text));
	return text;
}

/* The object table, build IDs and batches, on an image the driver's code
 * wrote (object_image.h). */
static void object_table(const char *dir)
{
	char path[256];
	ksyms_snapshot *snapshot;
	ksyms_object_info object;
	ksyms_location where[5], one;
	uint64_t addresses[5] = {
		0xffffffffc0000090ull,	/* ext9_exported+0x10 */
		0xffffffff81000104ull,	/* local_fn+0x4, vmlinux */
		0xffffffffc0100004ull,	/* bare_fn+0x4 */
		0x10,			/* nothing */
		0xffffffff81600fffull,	/* init_task's last byte */
	};
	uint64_t many[1000];
	static ksyms_location many_where[1000];
	size_t found = 99;
	char text[8];

	snprintf(path, sizeof(path), "%s/objects.elf", dir);
	CHECK(ksyms_test_write_object_image(path) == 0);
	snapshot = ksyms_open_file(path, NULL);
	CHECK(snapshot != NULL);
	if (!snapshot)
		return;

	CHECK(ksyms_object_count(snapshot) == 3);
	CHECK(ksyms_object_at(snapshot, 0, &object) == 0);
	CHECK(strcmp(object.name, "vmlinux") == 0 && !object.pseudo);
	CHECK(strcmp(hex(object.build_id, object.build_id_size),
		     "0123456789abcdef0123456789abcdef01234567") == 0);
	CHECK(ksyms_object_at(snapshot, 1, &object) == 0);
	CHECK(strcmp(object.name, "ext9") == 0);
	CHECK(object.base == 0xffffffffc0000000ull && object.size == 0x100);
	CHECK(strcmp(hex(object.build_id, object.build_id_size),
		     "deadbeef") == 0);
	CHECK(ksyms_object_at(snapshot, 2, &object) == 0);
	CHECK(strcmp(object.name, "bare") == 0);
	CHECK(object.build_id == NULL && object.build_id_size == 0);
	CHECK(ksyms_object_at(snapshot, 3, &object) == ERANGE);
	CHECK(ksyms_last_error_code() == ERANGE);

	CHECK(ksyms_find_object(snapshot, "ext9", &object) == 0);
	CHECK(strcmp(object.name, "ext9") == 0 && object.build_id_size == 4);
	CHECK(ksyms_last_error_code() == 0);
	CHECK(ksyms_find_object(snapshot, "absent", &object) == ENOENT);
	CHECK(strcmp(ksyms_last_error_message(),
		     "absent: no such object in the image") == 0);

	/* snprintf's contract: cut short, NUL-terminated, whole length */
	CHECK(ksyms_format_build_id(object.build_id, object.build_id_size,
				    text, 5) == 8);
	CHECK(strcmp(text, "dead") == 0);
	CHECK(ksyms_format_build_id(object.build_id, 4, NULL, 0) == 8);

	CHECK(ksyms_symbolize(snapshot, addresses, 5, where, &found) == 0);
	CHECK(found == 4);
	CHECK(strcmp(where[0].symbol.name, "ext9_exported") == 0);
	CHECK(where[0].offset == 0x10 && where[0].size == 0x80);
	CHECK(strcmp(where[0].module, "ext9") == 0);
	CHECK(strcmp(hex(where[0].build_id, where[0].build_id_size),
		     "deadbeef") == 0);
	CHECK(strcmp(where[1].symbol.name, "local_fn") == 0);
	CHECK(where[1].offset == 4 && strcmp(where[1].module, "") == 0);
	CHECK(where[1].build_id_size == 20);
	CHECK(strcmp(where[2].symbol.name, "bare_fn") == 0);
	CHECK(strcmp(where[2].module, "bare") == 0);
	CHECK(where[2].build_id_size == 0);
	CHECK(where[3].symbol.name == NULL && where[3].symbol.index == 0);
	CHECK(strcmp(where[4].symbol.name, "init_task") == 0);
	CHECK(where[4].offset == 0xfff);

	/* Past one chunk of the batch: each as the single lookup says. */
	for (size_t i = 0; i < 1000; i++)
		many[i] = addresses[i % 5] + i % 7;
	CHECK(ksyms_symbolize(snapshot, many, 1000, many_where, &found) == 0);
	size_t expect_found = 0;
	for (size_t i = 0; i < 1000; i++) {
		int hit = ksyms_lookup_address(snapshot, many[i], &one);

		expect_found += hit == 1;
		CHECK(hit == (many_where[i].symbol.name != NULL));
		if (hit == 1 && many_where[i].symbol.name) {
			CHECK(strcmp(one.symbol.name,
				     many_where[i].symbol.name) == 0);
			CHECK(one.offset == many_where[i].offset);
			CHECK(strcmp(one.module, many_where[i].module) == 0);
		}
	}
	CHECK(found == expect_found && found > 500);
	CHECK(ksyms_symbolize(snapshot, many, 0, NULL, &found) == 0);
	CHECK(found == 0);
	CHECK(ksyms_symbolize(snapshot, NULL, 1, many_where, NULL) == EINVAL);
	CHECK(ksyms_last_error_code() == EINVAL);
	CHECK(strstr(ksyms_last_error_message(), "ksyms_symbolize") != NULL);

	ksyms_close(snapshot);
	unlink(path);
}

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

	/* One version: the headers', the library's and VERSION's. */
	CHECK(strcmp(ksyms_version(), KSYMS_VERSION_STRING) == 0);
	CHECK(version_file_matches(ksyms_version()));

	/* Errors come back as objects with a code and a message. */
	CHECK(ksyms_open_file(missing, &error) == NULL);
	CHECK(error != NULL);
	if (error) {
		char expected[300];

		snprintf(expected, sizeof(expected),
			 "%s: No such file or directory", missing);
		CHECK(ksyms_error_code(error) == ENOENT);
		CHECK(strcmp(ksyms_error_message(error), expected) == 0);
		/* and as the thread's last error */
		CHECK(ksyms_last_error_code() == ENOENT);
		CHECK(strcmp(ksyms_last_error_message(), expected) == 0);
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
	/* a success clears the last error */
	CHECK(ksyms_last_error_code() == 0);
	CHECK(strcmp(ksyms_last_error_message(), "") == 0);
	/* NULL where a pointer is needed: EINVAL, not a crash */
	CHECK(ksyms_count(NULL) == 0 && ksyms_last_error_code() == EINVAL);
	CHECK(ksyms_lookup_address(NULL, 0, &location) == -1);
	CHECK(ksyms_lookup_name(snapshot, NULL, found, 4) == 0);
	CHECK(ksyms_last_error_code() == EINVAL);
	CHECK(ksyms_save(snapshot, NULL, NULL) == EINVAL);

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

	object_table(dir);

	unlink(path);
	unlink(saved);
	rmdir(dir);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	else
		printf("c_api_test: all checks passed\n");
	return failures ? 1 : 0;
}
