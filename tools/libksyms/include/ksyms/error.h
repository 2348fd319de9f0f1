// SPDX-License-Identifier: BSD-2-Clause
// Errors as values: libksyms never throws across its API and never prints.
//
// An Error carries an errno-style code (0 means success) and a message that is
// ready to show a person, naming the file it is about:
// "/dev/ksyms: No such file or directory".  Expected<T> is either a T or an
// Error, in the spirit of llvm::Expected; both are [[nodiscard]], so that a
// result nobody looks at is a compiler warning.
#ifndef KSYMS_ERROR_H
#define KSYMS_ERROR_H

#include <ksyms/export.h>

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ksyms {

class [[nodiscard]] KSYMS_API Error {
public:
	// Success.
	Error() = default;
	Error(int code, std::string message)
		: code_(code), message_(std::move(message)) {}

	// "<file>: <strerror(code)>", or "<file>: <what>: <strerror(code)>"
	// when `what` says which step failed.
	static Error from_errno(int code, std::string_view file,
				std::string_view what = {});
	// "<file>: <what>", for failures that have no errno of their own
	// (a file that is not ELF); `code` is still an errno for callers that
	// want to map it to an exit status.
	static Error with_message(int code, std::string_view file,
				  std::string_view what);

	// True when this is a failure.
	explicit operator bool() const { return code_ != 0; }
	int code() const { return code_; }
	const std::string &message() const { return message_; }

private:
	int code_ = 0;
	std::string message_;
};

template <typename T> class [[nodiscard]] Expected {
public:
	Expected(T value) : storage_(std::move(value)) {}
	Expected(Error error) : storage_(std::move(error)) {}

	bool has_value() const { return storage_.index() == 0; }
	explicit operator bool() const { return has_value(); }

	T &operator*() & { return std::get<0>(storage_); }
	const T &operator*() const & { return std::get<0>(storage_); }
	T &&operator*() && { return std::get<0>(std::move(storage_)); }
	T *operator->() { return &std::get<0>(storage_); }
	const T *operator->() const { return &std::get<0>(storage_); }

	const Error &error() const { return std::get<1>(storage_); }

private:
	std::variant<T, Error> storage_;
};

} // namespace ksyms

#endif
