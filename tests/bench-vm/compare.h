// SPDX-License-Identifier: BSD-2-Clause
// Comparisons in turns (ABAB...): the runs of each side, with their page
// faults and checksums, and the rows every comparison adds.
#ifndef KSYMS_BENCH_VM_COMPARE_H
#define KSYMS_BENCH_VM_COMPARE_H

#include "checksum.h"
#include "options.h"
#include "report.h"
#include "result.h"
#include "timing.h"

#include <algorithm>
#include <string>
#include <vector>

namespace bench {

// One run of one side: its time, the page faults it took, and what it read.
struct Run {
	double ns = 0;
	long minflt = 0, majflt = 0;
	long probes = 0;	// privilege probes the driver made meanwhile (ksyms side)
	Consumed read;
};

long rusage_faults(bool major);

// Times work(), which returns Result<Consumed>, and counts its page faults.
template <typename Work> Result<Run> timed_run(Work &&work)
{
	long min0 = rusage_faults(false), maj0 = rusage_faults(true);
	double t0 = now_ns();
	auto c = work();
	double t1 = now_ns();
	long min1 = rusage_faults(false), maj1 = rusage_faults(true);
	if (!c.ok())
		return c.error();
	return Run{t1 - t0, min1 - min0, maj1 - maj0, 0, *c};
}

// A fast operation: the mean over a batch of iters.
template <typename Op> Result<Run> batch_run(int iters, Op &&op)
{
	double t0 = now_ns();
	for (int i = 0; i < iters; i++)
		if (auto s = op(); !s.ok())
			return s.error();
	return Run{(now_ns() - t0) / iters, 0, 0, 0, {}};
}

struct Side {
	std::vector<Run> runs;

	template <typename F> Spread of(F &&f) const
	{
		std::vector<double> v;
		for (const Run &r : runs)
			v.push_back(double(f(r)));
		return spread(std::move(v));
	}
	Spread ns() const { return of([](const Run &r) { return r.ns; }); }
	Spread minflt() const { return of([](const Run &r) { return r.minflt; }); }
	Spread majflt() const { return of([](const Run &r) { return r.majflt; }); }
	Spread probes() const { return of([](const Run &r) { return r.probes; }); }
	// Every run read the same thing: that checksum, else nullptr.
	const Consumed *same() const
	{
		for (const Run &r : runs)
			if (r.read.sum != runs.front().read.sum || r.read.count != runs.front().read.count)
				return nullptr;
		return runs.empty() ? nullptr : &runs.front().read;
	}
};

struct Pair {
	Side a, b;	// ksyms, baseline
	int a_per_turn = 1;	// runs of A whose mean is one of a.runs
	double ratio() const { return a.ns().med / b.ns().med; }
	double inverse() const { return b.ns().med / a.ns().med; }
	bool sums_agree() const
	{
		const Consumed *x = a.same(), *y = b.same();
		return x && y && x->sum == y->sum && x->count == y->count;
	}
};

long privilege_probes();

// A and B in turns, reps of each: prepare(), then a run of A (with the
// driver's privilege probes counted around it); prepare(), then a run of B.
// prepare() is not timed.
template <typename Prepare, typename A, typename B>
Result<Pair> interleave(int reps, Prepare &&prepare, A &&run_a, B &&run_b)
{
	Pair p;
	for (int i = 0; i < reps; i++) {
		if (auto s = prepare(); !s.ok())
			return s.error();
		long probes0 = privilege_probes();
		auto a = run_a();
		if (!a.ok())
			return a.error();
		a->probes = privilege_probes() - probes0;
		p.a.runs.push_back(*a);
		if (auto s = prepare(); !s.ok())
			return s.error();
		auto b = run_b();
		if (!b.ok())
			return b.error();
		p.b.runs.push_back(*b);
	}
	return p;
}

// A fast side against a slow one, each turn as long on both: B once, and A
// as many times as fit in B's time (counted once, from an untimed run of
// each), A's figure for the turn the mean of its runs. A 12 ms run is a
// snapshot of the host's noise, a 400 ms run its average: with one run of
// each a turn, a burst that covers a few of A's runs moves A's median and
// only nudges B's. Every run of A in a turn must read what its first did.
template <typename A, typename B>
Result<Pair> interleave_equal_time(int reps, A &&run_a, B &&run_b)
{
	auto a0 = run_a();
	auto b0 = run_b();
	if (const Error *e = first_error(a0, b0))
		return *e;
	const int per_turn = std::clamp(int(b0->ns / std::max(a0->ns, 1.0) + 0.5), 1, 1000);
	Pair p;
	for (int i = 0; i < reps; i++) {
		Run turn;
		long probes0 = privilege_probes();
		for (int k = 0; k < per_turn; k++) {
			auto a = run_a();
			if (!a.ok())
				return a.error();
			if (k && (a->read.sum != turn.read.sum || a->read.count != turn.read.count))
				return Error{"one side read two different things in one turn"};
			turn.read = a->read;
			turn.ns += a->ns / per_turn;
			turn.minflt += a->minflt;
			turn.majflt += a->majflt;
		}
		turn.minflt /= per_turn;
		turn.majflt /= per_turn;
		turn.probes = privilege_probes() - probes0;
		p.a.runs.push_back(turn);
		auto b = run_b();
		if (!b.ok())
			return b.error();
		p.b.runs.push_back(*b);
	}
	p.a_per_turn = per_turn;
	return p;
}

// interleave()'s prepare() for the comparisons that need none.
Status nothing();

// The rows of one end-to-end comparison: times, page faults per run, and
// the checksums as a KTAP test of their own.
void pair_rows(Report &rep, const std::string &name, const std::string &measure,
	       const std::string &against, const std::string &covers, const Pair &p,
	       bool show_probes);

// The device's open+close as a run: once, or a batch's mean.
Result<Run> cold_ksyms_open();
Result<Run> warm_batch(const Options &o, const char *path);
// Warm opens of the device against /dev/null, batches in turns, after an
// untimed open that takes any rebuild.
Result<Pair> warm_against_null(const Options &o);

} // namespace bench

#endif
