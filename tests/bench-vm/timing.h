// SPDX-License-Identifier: BSD-2-Clause
// Timing a run, and min / median / max: the form every figure takes.
#ifndef KSYMS_BENCH_VM_TIMING_H
#define KSYMS_BENCH_VM_TIMING_H

#include "result.h"

#include <time.h>

#include <utility>
#include <vector>

namespace bench {

inline double now_ns()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}

template <typename Op> Result<double> time_once(Op &&op)
{
	double t0 = now_ns();
	auto r = op();
	double t1 = now_ns();
	if (!r.ok())
		return r.error();
	return t1 - t0;
}

// Every figure is shown as min / median / max of its runs; ratios and goals
// use the medians.
struct Spread {
	double min = 0, med = 0, max = 0;
};

Spread spread(std::vector<double> v);

// reps runs of sample(), which returns one duration in ns.
template <typename Sample> Result<Spread> spread_of(int reps, Sample &&sample)
{
	std::vector<double> v;
	for (int i = 0; i < reps; i++) {
		auto t = sample();
		if (!t.ok())
			return t.error();
		v.push_back(*t);
	}
	return spread(std::move(v));
}

// The operation the open rows time, and the open before them that
// takes a rebuild untimed.
Status open_close(const char *path);

} // namespace bench

#endif
