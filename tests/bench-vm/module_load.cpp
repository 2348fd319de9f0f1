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
// Timed loads per turn, and turns: 150 loads a side, the sides swapped
// every 3 (about 70 ms under TCG with the untimed load), so that a burst
// of the host's noise, which lasts tens to hundreds of milliseconds,
// falls on both sides' loads rather than on one side's turn.
constexpr int loads_per_turn = 3;
constexpr int turns = 50;

// One untimed load and unload of @path, then loads_per_turn timed loads of
// it, each followed by an untimed unload: the time of each finit_module().
// The first loads after the driver itself was loaded were 2-3 ms slower:
// the untimed load lets what follows the driver's own load or unload
// settle, on both sides alike.
Result<std::vector<double>> timed_loads(const std::string &path)
{
	std::vector<double> ns;
	for (int i = 0; i <= loads_per_turn; i++) {
		double t0 = now_ns();
		auto mod = LoadedModule::load(path);
		double t1 = now_ns();
		if (!mod.ok())
			return mod.error();
		if (auto s = mod->unload(); !s.ok())
			return s.error();
		if (i > 0)
			ns.push_back(t1 - t0);
	}
	return ns;
}

// The loads of a turn, one run each, on @side; their mean, one run, on
// @means.
void add_turn(const std::vector<double> &loads, Side &side, Side &means)
{
	double total = 0;
	for (double ns : loads) {
		side.runs.push_back(Run{ns, 0, 0, 0, {}});
		total += ns;
	}
	means.runs.push_back(Run{total / double(loads.size()), 0, 0, 0, {}});
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
	// loaded afresh, without the table it kept. The goal is judged on
	// the median of single loads: the host's noise comes in bursts of
	// tens to hundreds of milliseconds that lengthen the loads they hit
	// by a third or more, and a turn's mean takes in every burst that
	// fell in it, so the medians of turn means moved by more than the 5%
	// the goal allows between runs of the same code. The turn means are
	// shown too, without a goal.
	Pair loads, means;
	for (int i = 0; i < turns; i++) {
		auto with = timed_loads(o.small_module);
		if (!with.ok())
			return with.error();
		add_turn(*with, loads.a, means.a);
		if (auto s = unload_module("ksyms"); !s.ok())
			return s;
		// Without this pause after the driver's own unload and load,
		// the median of 150 loads with the driver measured from 1.01
		// to 1.29 times the median without.
		settle_after_module_event();
		auto without = timed_loads(o.small_module);
		auto back = load_ksyms();
		if (!without.ok())
			return without.error();
		if (!back.ok())
			return back;
		settle_after_module_event();
		add_turn(*without, loads.b, means.b);
	}
	std::string name = module_name(o.small_module);
	rep.row({fmt("finit_module(%s) with ksyms loaded: mean of each turn of %d loads (%d turns)",
		     name.c_str(), loads_per_turn, turns),
		 human_time(means.a.ns()), "without ksyms, in turns", human_time(means.b.ns()),
		 ratio_text(means.ratio()), "-", "-"});
	double r = loads.ratio();
	rep.check("module_load_with_ksyms", {fmt("finit_module(%s) with ksyms loaded: each of the "
		  "same %d loads", name.c_str(), turns * loads_per_turn),
		  human_time(loads.a.ns()), "without ksyms, in turns", human_time(loads.b.ns()),
		  ratio_text(r), "<= 1.05", ""}, r <= 1.05);
	return success();
}

} // namespace bench
