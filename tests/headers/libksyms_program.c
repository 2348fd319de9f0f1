/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A C program of libksyms's C API, built against the installed library
 * through pkg-config: opening a file that does not exist must give an error
 * object that names the file.
 */
#include <stdio.h>
#include <string.h>

#include <ksyms/ksyms.h>

int main(void)
{
	ksyms_error *error = NULL;
	ksyms_snapshot *snap = ksyms_open_file("/nonexistent/ksyms.elf", &error);
	int ok = !snap && error &&
		 strstr(ksyms_error_message(error), "/nonexistent/ksyms.elf");

	if (!ok)
		fprintf(stderr, "unexpected: %s\n",
			error ? ksyms_error_message(error) : "no error");
	ksyms_error_free(error);
	ksyms_close(snap);
	return ok ? 0 : 1;
}
