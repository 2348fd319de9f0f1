// SPDX-License-Identifier: BSD-2-Clause
// What every part of bench_symbolize measures on: the generated image (and
// its sectioned copy for the other tools), the addresses, libksyms' answer
// for each of them (the reference the others are checked against) and a
// synthetic kernel log.
#ifndef KSYMS_BENCHMARKS_FIXTURE_H
#define KSYMS_BENCHMARKS_FIXTURE_H

#include <ksyms/snapshot.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ksyms::bench {

struct Fixture {
	std::string dir;
	std::string image_label;	// which image, for the output
	std::string image_path;
	std::string sectioned_path;	// the same symbols, for the other tools
	std::string ksyms_command;	// the built `ksyms`
	std::optional<Snapshot> snapshot;
	std::vector<uint64_t> addresses;
	// libksyms' name for addresses[i] ("" where none covers it), and
	// whether that symbol is a function (addr2line names only those).
	std::vector<std::string_view> names;
	std::vector<bool> in_function;
	std::string log;
};

extern Fixture *fixture;

// Makes or reuses the files in $KSYMS_BENCH_DIR and fills `fixture`.
void set_up();

// The first `count` fixture addresses, one "0x..." a line.
const std::string &addresses_file(size_t count);

[[noreturn]] void die(const std::string &what);

// The same order-independent fold for every side's answers, so that two
// sides agree on every address exactly when their sums agree (barring a
// 64-bit collision).
uint64_t name_hash(std::string_view name);

} // namespace ksyms::bench

#endif
