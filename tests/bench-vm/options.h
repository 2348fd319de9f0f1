// SPDX-License-Identifier: BSD-2-Clause
// The command line's settings (parsed in ksyms_bench.cpp): what to load,
// and how many runs each kind of measurement takes.
#ifndef KSYMS_BENCH_VM_OPTIONS_H
#define KSYMS_BENCH_VM_OPTIONS_H

#include <string>
#include <vector>

namespace bench {

struct Options {
	std::string small_module;
	std::vector<std::string> sym_modules;
	int reps = 5;		// slow operations (cold opens, idle drops)
	int consume_reps = 11;	// consumes of a warm cache
	int batches = 15;	// fast operations: batches of warm_iters
	int warm_iters = 700;
};

} // namespace bench

#endif
