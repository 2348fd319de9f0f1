// SPDX-License-Identifier: BSD-2-Clause
// Section 7: the device with the generated symbol modules loaded, against
// itself at +0.

#include "compare.h"
#include "consume.h"
#include "driver_state.h"
#include "modules.h"
#include "sections.h"

#include <linux/ksyms.h>

#include <string>
#include <vector>

namespace bench {

namespace {

// The ksyms side at a symbol count the baselines were not measured at (the
// scale rows), each figure over its runs; /dev/null in turns with the warm
// opens, as at +0.
Result<Point> measure_point(const Options &o)
{
	Point p;
	auto cold = spread_of(o.reps, []() -> Result<double> {
		if (auto s = drop_caches(); !s.ok())
			return s.error();
		auto r = cold_ksyms_open();
		return r.ok() ? Result<double>(r->ns) : Result<double>(r.error());
	});
	if (!cold.ok())
		return cold.error();
	auto warm = warm_against_null(o);
	if (!warm.ok())
		return warm.error();
	Side consume;
	for (int i = 0; i < o.consume_reps; i++) {
		auto r = timed_run(consume_ksyms);
		if (!r.ok())
			return r.error();
		consume.runs.push_back(*r);
	}
	if (!consume.same())
		return Error{"the image's checksum changed between consumes"};
	p.cold = *cold, p.warm = warm->a.ns(), p.null_open = warm->b.ns(), p.consume = consume.ns();
	p.read = *consume.same();
	p.symbols = p.read.count;
	return p;
}

std::string point_text(const Point &p)
{
	return human_time(p.cold.med) + " / " + human_time(p.warm.med) + " / " + human_time(p.consume.med);
}

Spread per_symbol(const Spread &s, std::size_t n)
{
	double d = double(n);
	return {s.min / d, s.med / d, s.max / d};
}

void scale_rows(Report &rep, const Point &p, const Point &p0, bool last)
{
	std::string at = fmt("+%lld (%zu symbols)", (long long)p.symbols - (long long)p0.symbols, p.symbols);
	Spread cold = per_symbol(p.cold, p.symbols), cold0 = per_symbol(p0.cold, p0.symbols);
	Spread consume = per_symbol(p.consume, p.symbols), consume0 = per_symbol(p0.consume, p0.symbols);
	double warm_r = p.warm.med / p0.warm.med;
	double cold_r = cold.med / cold0.med;
	double consume_r = consume.med / consume0.med;
	Row rows[] = {
		{"warm open+close at " + at, human_time(p.warm), "at +0", human_time(p0.warm),
		 ratio_text(warm_r), "<= 1.2", ""},
		{"cold open per symbol at " + at, human_time(cold), "at +0", human_time(cold0),
		 ratio_text(cold_r), "<= 1.5", ""},
		{"consume " + std::string(covers_full) + " per symbol at " + at, human_time(consume),
		 "at +0", human_time(consume0), ratio_text(consume_r), "<= 1.5", ""},
	};
	rep.row({"cold / warm / consume medians at " + at, point_text(p), "", "", "", "", ""});
	// Not interleaved across points (the modules would have to come and
	// go): /dev/null, in turns with the warm opens at each point, shows how
	// much of a difference is the machine's.
	rep.row({"open+close /dev/null at " + at + ", in turns with the warm opens",
		 human_time(p.null_open), "at +0", human_time(p0.null_open),
		 ratio_text(p.null_open.med / p0.null_open.med), "-", "-"});
	if (!last) {
		for (Row &r : rows)
			r.goal = r.met = "-", rep.row(r);
		return;
	}
	rows[0].goal = rows[0].met = "-";	// judged in turns with +0, below
	rep.row(rows[0]);
	rep.check("scale_cold_open_per_symbol", rows[1], cold_r <= 1.5);
	rep.check("scale_consume_per_symbol", rows[2], consume_r <= 1.5);
}

} // namespace

// 7: load the symbol modules one after the other, measure at each step;
// at each, one read of /proc/kallsyms checks what the consumes read.
Status bench_scale(const Options &o, const Point &p0, Report &rep)
{
	std::vector<LoadedModule> loaded;
	loaded.reserve(o.sym_modules.size());
	rep.row({"cold / warm / consume medians at +0 (" + fmt("%zu", p0.symbols) + " symbols)",
		 point_text(p0), "", "", "", "", ""});
	std::string sums;
	bool agree = true;
	for (std::size_t i = 0; i < o.sym_modules.size(); i++) {
		auto mod = LoadedModule::load(o.sym_modules[i]);
		if (!mod.ok())
			return mod.error();
		loaded.push_back(std::move(*mod));
		auto p = measure_point(o);
		if (!p.ok())
			return p.error();
		auto k = consume_kallsyms();
		if (!k.ok())
			return k.error();
		bool same = k->sum == p->read.sum && k->count == p->read.count;
		agree = agree && same;
		sums += fmt("%s%zu symbols %s", sums.empty() ? "" : "; ", p->symbols,
			    same ? "equal" : "DIFFER");
		scale_rows(rep, *p, p0, i + 1 == o.sym_modules.size());
	}
	// Warm opens with every symbol module loaded and with none, in turns:
	// the modules come and go between the batches (untimed, and an
	// untimed open takes the rebuild), so that a busier stretch of the
	// machine does not fall on one side only.
	// The open that takes each rebuild is timed too: what the first
	// reader after a large module comes or goes waits for.
	std::size_t all = loaded.size();
	std::vector<double> after_load, after_unload;
	auto first_open = [](std::vector<double> &times) -> Status {
		auto t = time_once([] { return open_close(KSYMS_PATH); });
		if (!t.ok())
			return t.error();
		times.push_back(*t);
		return success();
	};
	auto with = [&]() -> Status {
		if (loaded.size() == o.sym_modules.size())
			return open_close(KSYMS_PATH);
		for (std::size_t i = loaded.size(); i < o.sym_modules.size(); i++) {
			auto mod = LoadedModule::load(o.sym_modules[i]);
			if (!mod.ok())
				return mod.error();
			loaded.push_back(std::move(*mod));
		}
		return first_open(after_load);
	};
	auto without = [&]() -> Status {
		for (auto it = loaded.rbegin(); it != loaded.rend(); ++it)
			if (auto s = it->unload(); !s.ok())
				return s;
		loaded.clear();
		return first_open(after_unload);
	};
	// A batch's mean varies by a third under TCG, against a goal of 20%:
	// more turns than the other comparisons, to steady the medians.
	const int turns = 2 * o.reps + 1;
	auto warm = interleave(turns, nothing, [&]() -> Result<Run> {
		if (auto s = with(); !s.ok())
			return s.error();
		return warm_batch(o, KSYMS_PATH);
	}, [&]() -> Result<Run> {
		if (auto s = without(); !s.ok())
			return s.error();
		return warm_batch(o, KSYMS_PATH);
	});
	if (!warm.ok())
		return warm.error();
	double r = warm->ratio();
	rep.check("scale_warm_open", {fmt("warm open+close with the %zu symbol modules, in turns with none "
		  "(%d batches of %d each)", all, turns, o.warm_iters), human_time(warm->a.ns()),
		  "without them (+0)", human_time(warm->b.ns()), ratio_text(r), "<= 1.2", ""}, r <= 1.2);
	for (auto [what, v] : {std::pair{"loading", &after_load}, std::pair{"unloading", &after_unload}}) {
		if (v->empty())
			continue;
		Spread t = spread(*v);
		rep.row({fmt("first open+close after %s the %zu symbol modules (%zu runs)", what, all,
			     v->size()), human_time(t), "read+parse /proc/kallsyms at +0 (measured earlier)",
			 human_time(p0.kallsyms), ratio_text(t.med / p0.kallsyms.med), "-", "-"});
	}
	rep.check("scale_checksums_agree", {"checksum " + std::string(covers_full) +
		  " of the image at each step", sums, "read+parse /proc/kallsyms", "", "", "equal", ""},
		  agree && !sums.empty());
	for (auto it = loaded.rbegin(); it != loaded.rend(); ++it)
		if (auto s = it->unload(); !s.ok())
			return s;
	return success();
}

} // namespace bench
