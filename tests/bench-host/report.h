// SPDX-License-Identifier: BSD-2-Clause
// The tables, then the goals as KTAP lines (tests/run.sh counts them).
#ifndef KSYMS_BENCHMARKS_REPORT_H
#define KSYMS_BENCHMARKS_REPORT_H

#include "end_to_end.h"
#include "in_process.h"

#include <vector>

namespace ksyms::bench {

// How many goals were missed (a comparison that did not run is missed).
int report(const InProcess &in_process, const std::vector<EndToEnd> &tools);

} // namespace ksyms::bench

#endif
