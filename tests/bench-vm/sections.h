// SPDX-License-Identifier: BSD-2-Clause
// The benchmark's sections, in the order run() calls them, one file each.
// Each adds its rows and KTAP tests to the report, or returns the error that
// stopped it.
#ifndef KSYMS_BENCH_VM_SECTIONS_H
#define KSYMS_BENCH_VM_SECTIONS_H

#include "checksum.h"
#include "options.h"
#include "report.h"
#include "result.h"
#include "timing.h"

#include <cstddef>

namespace bench {

// What open and consume cost with the symbols loaded right now.
struct Point {
	std::size_t symbols = 0;
	Spread cold, warm, consume;
	Spread kallsyms;	// read+parse /proc/kallsyms, in turns with consume
	Spread null_open;	// /dev/null, in turns with the warm opens
	Consumed read;		// what the consumes read
};

// baselines.cpp, 1-3: /dev/ksyms at +0 against /proc/kallsyms and
// /dev/null. Returns the point the later sections compare with.
Result<Point> bench_baselines(const Options &o, Report &rep);
// bpf.cpp, 4: the cost of keeping BPF programs current.
Status bench_bpf(const Options &o, const Point &p0, Report &rep);
// module_churn.cpp, 5: the first open after a module comes or goes.
Status bench_module_churn(const Options &o, Report &rep);
// holders.cpp, 5: 64 processes holding the device open.
Status bench_holders(Report &rep);
// memory_back.cpp, 6: the shrinker and the idle timer.
Status bench_memory_back(Report &rep);
// memory_accounting.cpp, 6: the same drops by the kernel's own accounting.
Status bench_memory_accounting(Report &rep);
// memory_pressure.cpp, 6: the shrinker under memory pressure.
Status bench_memory_pressure(Report &rep);
// scale.cpp, 7: the generated symbol modules loaded, one after the other.
Status bench_scale(const Options &o, const Point &p0, Report &rep);
// module_load.cpp, 8: module loads with ksyms and without; many events.
// Reloads the driver, so it runs last.
Status bench_module_load(const Options &o, const Point &p0, Report &rep);
// openers.cpp, 9: warm opens from 1, 2 and 8 processes at once.
Status bench_openers(const Options &o, Report &rep);

} // namespace bench

#endif
