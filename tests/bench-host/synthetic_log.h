// SPDX-License-Identifier: BSD-2-Clause
// A dmesg-like log for the stdin rewriter's rate.
#ifndef KSYMS_BENCHMARKS_SYNTHETIC_LOG_H
#define KSYMS_BENCHMARKS_SYNTHETIC_LOG_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ksyms::bench {

// Timestamps, oops register dumps, call traces with raw kernel addresses
// (taken from `addresses` in turn), and plenty of hex words that are not
// kernel addresses; about `bytes` long.
std::string make_log(const std::vector<uint64_t> &addresses, size_t bytes);

} // namespace ksyms::bench

#endif
