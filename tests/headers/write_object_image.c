/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Usage: write_object_image PATH
 *
 * Writes tests/tools-host/object_image.h's image, for the programs
 * tests/headers-test.sh builds against the installed library.
 */
#include "object_image.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int err;

	if (argc != 2)
		return 2;
	err = ksyms_test_write_object_image(argv[1]);
	if (err)
		fprintf(stderr, "%s: %s\n", argv[1], strerror(err));
	return err ? 1 : 0;
}
