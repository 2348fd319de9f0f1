// SPDX-License-Identifier: BSD-2-Clause
// Lookups inside one process, the image already in memory: libksyms'
// batched and per-address calls, LLVM's symbolizer library, and a sorted
// vector searched with std::upper_bound, the floor any symbol library has
// to beat.  Setting up (reading the image, building the index) is timed
// apart from the lookups, and every side's answers are checked against
// libksyms' before anything is timed.
#ifndef KSYMS_BENCHMARKS_IN_PROCESS_H
#define KSYMS_BENCHMARKS_IN_PROCESS_H

#include "stats.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ksyms::bench {

// One side's answers for the addresses it is timed on.
struct AnswerCheck {
	std::string side;
	bool built = true;	// false: LLVM was not found at build time
	size_t addresses = 0;
	size_t answered = 0;	// the rest it legitimately cannot name
	uint64_t checksum = 0;	// sum of name_hash() of its answers
	uint64_t expected = 0;	// the same of libksyms' for those addresses
	bool agrees() const { return built && checksum == expected; }
};

struct InProcess {
	Spread ksyms_load;	// Snapshot::open_file()
	Spread ksyms_index;	// the first lookup, which builds the index
	Spread vector_build;	// collecting and sorting the vector
	Spread llvm_load;	// LLVM's first lookup, which reads the file
	std::vector<AnswerCheck> checks;
	// Per benchmark name (without Google Benchmark's suffixes), the
	// items or bytes a second of each repetition, by the wall clock.
	std::map<std::string, Spread> rates;
	bool llvm_built = false;
};

// Registers the benchmarks, checks the answers, then runs whichever
// benchmarks the command line selects.
InProcess run_in_process();

// The names run_in_process() gives the rows.
inline constexpr const char *batch_name = "BM_LibksymsBatch/1024";
inline constexpr const char *vector_name = "BM_SortedVector";
inline constexpr const char *llvm_name = "BM_LlvmLibrary";
inline constexpr const char *rewrite_name = "BM_RewriteLog";

} // namespace ksyms::bench

#endif
