// SPDX-License-Identifier: BSD-2-Clause
// Section 5: a module loaded and unloaded, and the open after each.

#include "modules.h"
#include "sections.h"

#include <linux/ksyms.h>

#include <tuple>
#include <vector>

namespace bench {

// 5: the first open after a module comes or goes rebuilds only its part.
Status bench_module_churn(const Options &o, const Point &p0, Report &rep)
{
	std::vector<double> after_load, after_unload;
	if (auto s = open_close(KSYMS_PATH); !s.ok())
		return s;
	for (int i = 0; i < o.reps; i++) {
		auto mod = LoadedModule::load(o.small_module);
		if (!mod.ok())
			return mod.error();
		auto t1 = time_once([] { return open_close(KSYMS_PATH); });
		auto gone = mod->unload();
		auto t2 = time_once([] { return open_close(KSYMS_PATH); });
		if (const Error *e = first_error(t1, gone, t2))
			return *e;
		after_load.push_back(*t1);
		after_unload.push_back(*t2);
	}
	for (auto [name, what, v] : {std::tuple{"first_open_after_load", "after loading", &after_load},
				     std::tuple{"first_open_after_unload", "after unloading", &after_unload}}) {
		// Against what a tool would do instead: read+parse the text.
		Spread t = spread(*v);
		double r = t.med / p0.kallsyms.med;
		rep.check(name, {fmt("first open+close %s %s", what, module_name(o.small_module).c_str()),
			  human_time(t), "read+parse /proc/kallsyms (measured earlier)", human_time(p0.kallsyms),
			  ratio_text(r), "<= 0.10", ""}, r <= 0.10);
	}
	return success();
}

} // namespace bench
