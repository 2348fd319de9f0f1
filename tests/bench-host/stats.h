// SPDX-License-Identifier: BSD-2-Clause
// Repeated measurements as min / median / max: one number would hide how
// much a shared 2-core machine moves between runs.
#ifndef KSYMS_BENCHMARKS_STATS_H
#define KSYMS_BENCHMARKS_STATS_H

#include <algorithm>
#include <chrono>
#include <vector>

namespace ksyms::bench {

struct Spread {
	double min = 0, median = 0, max = 0;
	size_t count = 0;
	bool empty() const { return count == 0; }
};

inline Spread spread(std::vector<double> values)
{
	Spread out;
	out.count = values.size();
	if (values.empty())
		return out;
	std::sort(values.begin(), values.end());
	size_t n = values.size();
	out.min = values.front();
	out.max = values.back();
	out.median = n % 2 ? values[n / 2] :
			     (values[n / 2 - 1] + values[n / 2]) / 2;
	return out;
}

// Seconds since `start`, by the wall clock: what a user waits.
inline double seconds_since(std::chrono::steady_clock::time_point start)
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now() -
					     start)
		.count();
}

} // namespace ksyms::bench

#endif
