// SPDX-License-Identifier: BSD-2-Clause
// What every C entry point shares: the calling thread's last error, and
// the guard that keeps C++ exceptions out of C.
#ifndef KSYMS_C_API_GUARD_H
#define KSYMS_C_API_GUARD_H

#include <ksyms/error.h>
#include <ksyms/ksyms.h>
#include <ksyms/snapshot.h>

#include <cerrno>
#include <exception>
#include <new>

struct ksyms_snapshot {
	ksyms::Snapshot snapshot;
};

struct ksyms_error {
	ksyms::Error error;
};

namespace ksyms::c_api {

// The thread's last error; never allocates, so that it can report running
// out of memory (a message too long for its buffer is cut short).
void set_last_error(int code, const char *message) noexcept;
void set_last_error(const Error &error) noexcept;
inline void clear_last_error() noexcept { set_last_error(0, ""); }

// A failure for the caller: the thread's last error, and an error object
// if the caller asked for one (none if that cannot be allocated: still
// never a throw into C).
void report(const Error &error, ksyms_error **out) noexcept;
void report(int code, const char *message, ksyms_error **out) noexcept;
// An entry point's result from a libksyms Error: reported if it is one,
// else the last error cleared; its code (0 for success).
inline int result_of(const Error &error, ksyms_error **out) noexcept
{
	if (error)
		report(error, out);
	else
		clear_last_error();
	return error.code();
}

// Runs `body` (which returns the entry point's result and clears or sets
// the last error itself); an exception out of it becomes the thread's last
// error, and `failed` the result. `error` is the caller's error object
// pointer, if the entry point has one.
template <typename Result, typename Body>
Result guarded(Result failed, Body &&body, ksyms_error **error = nullptr)
	noexcept
{
	try {
		return body();
	} catch (const std::bad_alloc &) {
		report(ENOMEM, "libksyms: out of memory", error);
	} catch (const std::exception &e) {
		report(EIO, e.what(), error);
	} catch (...) {
		report(EIO, "libksyms: unexpected exception", error);
	}
	return failed;
}

// A NULL pointer where `function` needs one: EINVAL, and a message that
// names them.
void report_null(const char *function, ksyms_error **out = nullptr) noexcept;

} // namespace ksyms::c_api

#endif
