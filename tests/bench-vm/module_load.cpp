// SPDX-License-Identifier: BSD-2-Clause
// Section 8: what the driver costs the rest of the kernel when modules
// come and go. Its module notifier runs inside every finit_module(), so a
// module loads with ksyms loaded and without, in turns; and the first
// open after more module events than the driver remembers (it then reads
// every module's table again rather than copy it from the last image).

#include "compare.h"
#include "modules.h"
#include "sections.h"

#include <linux/ksyms.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace bench {

namespace {

// The driver remembers this many module notifications (ksyms_modules.c).
constexpr int remembered_events = 64;
// Loads per turn: one load takes milliseconds under TCG, and a turn must
// be long enough that the noise of one load does not decide it.
constexpr int loads_per_turn = 10;

// The mean time of finit_module() of @path over loads_per_turn loads, each
// followed by an untimed unload.
Result<Run> timed_loads(const std::string &path)
{
	double total = 0;
	for (int i = 0; i < loads_per_turn; i++) {
		double t0 = now_ns();
		auto mod = LoadedModule::load(path);
		double t1 = now_ns();
		if (!mod.ok())
			return mod.error();
		if (auto s = mod->unload(); !s.ok())
			return s.error();
		total += t1 - t0;
	}
	return Run{total / loads_per_turn, 0, 0, 0, {}};
}

// ksyms itself back: the file /init loaded it from.
Status load_ksyms()
{
	const char *ko = std::getenv("KSYMS_KO");
	if (!ko)
		return Error{"KSYMS_KO is not set"};
	return load_module(ko);
}

} // namespace

Status bench_module_load(const Options &o, const Point &p0, Report &rep)
{
	// More events than remembered, then the open that rebuilds.
	std::vector<double> after_many;
	for (int i = 0; i < o.reps; i++) {
		if (auto s = open_close(KSYMS_PATH); !s.ok())
			return s;
		for (int k = 0; k < remembered_events / 2 + 1; k++) {
			auto mod = LoadedModule::load(o.small_module);
			if (!mod.ok())
				return mod.error();
			if (auto s = mod->unload(); !s.ok())
				return s;
		}
		auto t = time_once([] { return open_close(KSYMS_PATH); });
		if (!t.ok())
			return t.error();
		after_many.push_back(*t);
	}
	Spread many = spread(after_many);
	rep.row({fmt("first open+close after %d module events (%s loaded and unloaded %d times)",
		     remembered_events + 2, module_name(o.small_module).c_str(), remembered_events / 2 + 1),
		 human_time(many), "read+parse /proc/kallsyms (measured earlier)", human_time(p0.kallsyms),
		 ratio_text(many.med / p0.kallsyms.med), "-", "-"});

	// With ksyms and without, in turns. The driver goes last: it is
	// loaded afresh, without the table it kept. A turn's mean load time
	// varies by a fifth under TCG, against a goal of 5%: more turns than
	// the other comparisons (each is about half a second), which steady
	// the medians but do not hide a host whose noise is that wide.
	const int turns = 3 * o.reps;
	Pair p;
	for (int i = 0; i < turns; i++) {
		auto with = timed_loads(o.small_module);
		if (!with.ok())
			return with.error();
		p.a.runs.push_back(*with);
		if (auto s = unload_module("ksyms"); !s.ok())
			return s;
		auto without = timed_loads(o.small_module);
		auto back = load_ksyms();
		if (!without.ok())
			return without.error();
		if (!back.ok())
			return back;
		p.b.runs.push_back(*without);
	}
	double r = p.ratio();
	rep.check("module_load_with_ksyms", {fmt("finit_module(%s) with ksyms loaded (%d turns of %d loads, "
		  "mean each)", module_name(o.small_module).c_str(), turns, loads_per_turn),
		  human_time(p.a.ns()), "without ksyms, in turns", human_time(p.b.ns()), ratio_text(r),
		  "<= 1.05", ""}, r <= 1.05);
	return success();
}

} // namespace bench
