// SPDX-License-Identifier: BSD-2-Clause
// Section 5: a module loaded and unloaded, and the open after each.

#include "compare.h"
#include "consume.h"
#include "modules.h"
#include "sections.h"

#include <linux/ksyms.h>

#include <tuple>

namespace bench {

// 5: the first open after a module comes or goes rebuilds only its part.
// Each turn loads the module and times the open after it, unloads it and
// times the open after that, then times a read+parse of /proc/kallsyms,
// the work a tool would do instead: the baseline is measured in the same
// turns, so that a slower stretch of the machine falls on both sides.
// Each open waits for the kernel's own work after the module event to
// settle first, as a tool started by hand after modprobe would.
Status bench_module_churn(const Options &o, Report &rep)
{
	Pair after_load, after_unload;
	if (auto s = open_close(KSYMS_PATH); !s.ok())
		return s;
	for (int i = 0; i < o.reps; i++) {
		auto mod = LoadedModule::load(o.small_module);
		if (!mod.ok())
			return mod.error();
		settle_after_module_event();
		auto t1 = cold_ksyms_open();
		auto gone = mod->unload();
		settle_after_module_event();
		auto t2 = cold_ksyms_open();
		auto text = timed_run(consume_kallsyms);
		if (const Error *e = first_error(t1, gone, t2, text))
			return *e;
		after_load.a.runs.push_back(*t1);
		after_unload.a.runs.push_back(*t2);
		after_load.b.runs.push_back(*text);
		after_unload.b.runs.push_back(*text);
	}
	for (auto [name, what, p] : {std::tuple{"first_open_after_load", "after loading", &after_load},
				     std::tuple{"first_open_after_unload", "after unloading", &after_unload}}) {
		double r = p->ratio();
		rep.check(name, {fmt("first open+close %s %s", what, module_name(o.small_module).c_str()),
			  human_time(p->a.ns()), "read+parse /proc/kallsyms, in turns",
			  human_time(p->b.ns()), ratio_text(r), "<= 0.10", ""}, r <= 0.10);
	}
	return success();
}

} // namespace bench
