// SPDX-License-Identifier: BSD-2-Clause
// The C API's errors: per thread, and as objects the caller owns.
#include "c_api_guard.h"

#include <ksyms/version.h>

#include <cstdio>
#include <cstring>

namespace ksyms::c_api {

namespace {

// A fixed buffer: setting the last error must work when nothing else can
// be allocated. Messages name a file, so PATH_MAX-sized.
thread_local int last_code;
thread_local char last_message[4200];

} // namespace

void set_last_error(int code, const char *message) noexcept
{
	last_code = code;
	std::snprintf(last_message, sizeof(last_message), "%s", message);
}

void set_last_error(const Error &error) noexcept
{
	set_last_error(error.code(), error.message().c_str());
}

void report(const Error &error, ksyms_error **out) noexcept
{
	set_last_error(error);
	if (!out)
		return;
	try {
		*out = new ksyms_error{error};
	} catch (...) {
		*out = nullptr;
	}
}

void report(int code, const char *message, ksyms_error **out) noexcept
{
	set_last_error(code, message);
	if (!out)
		return;
	try {
		*out = new ksyms_error{Error(code, message)};
	} catch (...) {
		*out = nullptr;
	}
}

void report_null(const char *function, ksyms_error **out) noexcept
{
	char message[128];

	std::snprintf(message, sizeof(message),
		      "%s: a required pointer argument is NULL", function);
	report(EINVAL, message, out);
}

} // namespace ksyms::c_api

using namespace ksyms::c_api;

extern "C" {

const char *ksyms_version(void)
{
	return KSYMS_VERSION_STRING;
}

int ksyms_last_error_code(void)
{
	return last_code;
}

const char *ksyms_last_error_message(void)
{
	return last_message;
}

int ksyms_error_code(const ksyms_error *error)
{
	return error ? error->error.code() : EINVAL;
}

const char *ksyms_error_message(const ksyms_error *error)
{
	return error ? error->error.message().c_str() : "";
}

void ksyms_error_free(ksyms_error *error)
{
	delete error;
}

} // extern "C"
