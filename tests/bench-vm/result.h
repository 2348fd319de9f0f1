// SPDX-License-Identifier: BSD-2-Clause
// Errors as values: every step returns a Result or a Status, so that a
// failure becomes a "not ok" line with its cause and the sections after it
// still run. fmt() builds both the error messages and the report's cells.
#ifndef KSYMS_BENCH_VM_RESULT_H
#define KSYMS_BENCH_VM_RESULT_H

#include <initializer_list>
#include <string>
#include <utility>
#include <variant>

namespace bench {

struct Error {
	std::string what;	// what failed: "open /dev/ksyms"
	int err = 0;		// errno, or 0 when `what` says it all
};

std::string describe(const Error &e);

Error errno_error(std::string what);

template <typename T> class [[nodiscard]] Result {
public:
	// Implicit on purpose: `return value;` and `return error;` both work.
	// cppcheck-suppress noExplicitConstructor
	Result(T value) : v_(std::move(value)) {}	// NOLINT(google-explicit-constructor)
	// cppcheck-suppress noExplicitConstructor
	Result(Error error) : v_(std::move(error)) {}	// NOLINT(google-explicit-constructor)
	bool ok() const { return v_.index() == 0; }
	T &operator*() { return std::get<0>(v_); }
	const T &operator*() const { return std::get<0>(v_); }
	T *operator->() { return &std::get<0>(v_); }
	const T *operator->() const { return &std::get<0>(v_); }
	const Error &error() const { return std::get<1>(v_); }

private:
	std::variant<T, Error> v_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status success() { return Unit{}; }

// The first error among results, or nullptr.
template <typename... R> const Error *first_error(const R &...r)
{
	for (const Error *e : {(r.ok() ? nullptr : &r.error())...})
		if (e)
			return e;
	return nullptr;
}

// printf into a std::string (g++ 12 has no std::format).
__attribute__((format(printf, 1, 2))) std::string fmt(const char *f, ...);	// NOLINT(cert-dcl50-cpp)

} // namespace bench

#endif
