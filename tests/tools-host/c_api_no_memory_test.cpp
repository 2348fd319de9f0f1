// SPDX-License-Identifier: BSD-2-Clause
// No C++ exception leaves the C API: with operator new made to fail at
// every allocation in turn, each entry point that allocates returns its
// failure and ENOMEM as the thread's last error, and the process goes on
// (an exception into C would end it in std::terminate). A binary of its
// own, since it replaces operator new for the whole program, and the
// shared library's calls with it.
#include <ksyms/ksyms.h>

#include "object_image.h"
#include "test_image.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <new>
#include <string>

namespace {

// Allocations left before operator new throws; negative: no limit.
thread_local long allocations_left = -1;

} // namespace

// Not inlined: GCC would otherwise see free() on what operator new
// returned in the callers and warn of a mismatch (-Wmismatched-new-delete).
[[gnu::noinline]] void *operator new(std::size_t size)
{
	if (allocations_left == 0)
		throw std::bad_alloc();
	if (allocations_left > 0)
		allocations_left--;
	if (void *p = std::malloc(size ? size : 1))
		return p;
	throw std::bad_alloc();
}

[[gnu::noinline]] void operator delete(void *p) noexcept
{
	std::free(p);
}

[[gnu::noinline]] void operator delete(void *p, std::size_t) noexcept
{
	std::free(p);
}

namespace ksyms {
namespace {

class NoMemory : public ::testing::Test {
protected:
	void SetUp() override
	{
		path_ = dir_.file("objects.elf");
		ASSERT_EQ(0, ksyms_test_write_object_image(path_.c_str()));
	}

	// Runs `call` with operator new failing after 0, 1, 2, ...
	// allocations until it succeeds. `call` returns true on success and
	// otherwise must have reported ENOMEM. Returns how many runs failed.
	template <typename Call> int fail_each_allocation(Call call)
	{
		int failures = 0;
		for (long limit = 0; limit < 10000; limit++) {
			allocations_left = limit;
			bool ok = call();
			allocations_left = -1;
			if (ok)
				return failures;
			failures++;
			EXPECT_EQ(ENOMEM, ksyms_last_error_code()) << limit;
			EXPECT_STREQ("libksyms: out of memory",
				     ksyms_last_error_message())
				<< limit;
		}
		ADD_FAILURE() << "never succeeded";
		return failures;
	}

	test::TempDir dir_;
	std::string path_;
};

TEST_F(NoMemory, OpenFile)
{
	int failures = fail_each_allocation([&] {
		ksyms_error *error = nullptr;
		ksyms_snapshot *snapshot =
			ksyms_open_file(path_.c_str(), &error);
		// The error object itself may not be allocated either.
		if (error) {
			EXPECT_EQ(ENOMEM, ksyms_error_code(error));
		}
		ksyms_error_free(error);
		ksyms_close(snapshot);
		return snapshot != nullptr;
	});
	EXPECT_GT(failures, 0);
}

// Each run on a new snapshot, so that the lookup builds its index (the
// allocations) under the limit.
TEST_F(NoMemory, LookupName)
{
	int failures = fail_each_allocation([&] {
		long limit = allocations_left;
		allocations_left = -1;
		ksyms_snapshot *snapshot = ksyms_open_file(path_.c_str(),
							   nullptr);
		if (!snapshot) {
			ADD_FAILURE();
			return false;
		}
		ksyms_symbol found[2];
		allocations_left = limit;
		size_t n = ksyms_lookup_name(snapshot, "ext9_helper", found, 2);
		allocations_left = -1;
		if (n) {
			EXPECT_EQ(1u, n);
			EXPECT_STREQ("ext9_helper", found[0].name);
		}
		ksyms_close(snapshot);
		return n != 0;
	});
	EXPECT_GT(failures, 0);
}

TEST_F(NoMemory, SymbolizeAndLookupAddress)
{
	const uint64_t addresses[] = {0xffffffffc0000090ull,
				      0xffffffff81000104ull};
	for (bool batch : {true, false}) {
		int failures = fail_each_allocation([&] {
			long limit = allocations_left;
			allocations_left = -1;
			ksyms_snapshot *snapshot =
				ksyms_open_file(path_.c_str(), nullptr);
			if (!snapshot) {
				ADD_FAILURE();
				return false;
			}
			ksyms_location where[2];
			size_t found = 0;
			allocations_left = limit;
			bool ok = batch ? ksyms_symbolize(snapshot, addresses,
							  2, where, &found) == 0
					: ksyms_lookup_address(snapshot,
							       addresses[0],
							       where) == 1;
			allocations_left = -1;
			if (ok) {
				EXPECT_STREQ("ext9_exported",
					     where[0].symbol.name);
			}
			if (ok && batch) {
				EXPECT_EQ(2u, found);
			}
			ksyms_close(snapshot);
			return ok;
		});
		EXPECT_GT(failures, 0) << (batch ? "batch" : "single");
	}
}

} // namespace
} // namespace ksyms
