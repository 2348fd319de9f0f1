// SPDX-License-Identifier: BSD-2-Clause
// What result.h declares: the text of an error, and printf into a string.

#include "result.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace bench {

std::string describe(const Error &e)
{
	return e.err ? e.what + ": " + std::strerror(e.err) : e.what;
}

Error errno_error(std::string what) { return Error{std::move(what), errno}; }

__attribute__((format(printf, 1, 2))) std::string fmt(const char *f, ...)	// NOLINT(cert-dcl50-cpp)
{
	char buf[256];
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	return buf;
}

} // namespace bench
