// SPDX-License-Identifier: BSD-2-Clause
// Section 6, the driver's memory as the kernel accounts it: its vmalloc
// areas from /proc/vmallocinfo and the unreclaimable slab (where kmalloc,
// large kmallocs included, is counted), each drop beside a control drop
// made when the driver has nothing cached, so that what the drop freed of
// the kernel's own caches is not counted as ours.

#include "driver_state.h"
#include "files.h"
#include "sections.h"

#include <linux/ksyms.h>

#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

namespace {

constexpr int pairs = 5;	// control and real drops, in turns

struct KernelView {
	std::int64_t vmalloc = 0;	// bytes of pages in areas the driver allocated
	int areas = 0;
	std::int64_t unreclaim = 0;	// SUnreclaim, bytes
	std::int64_t total = 0;		// kernel_memory()
	DriverStats driver;
};

// The caller column names the allocating function, and "[ksyms]" marks
// a function of the module: the driver's areas, and no one else's (the
// module's own text is allocated by the module loader).
Result<std::int64_t> ksyms_vmalloc(int &areas)
{
	auto text = read_file("/proc/vmallocinfo");
	if (!text.ok())
		return text.error();
	std::int64_t pages = 0;
	areas = 0;
	std::string_view all = *text;
	const std::int64_t page = sysconf(_SC_PAGESIZE);
	while (!all.empty()) {
		std::size_t nl = all.find('\n');
		std::string_view line = all.substr(0, nl);
		all = nl == std::string_view::npos ? std::string_view() : all.substr(nl + 1);
		if (line.find(" [ksyms]") == std::string_view::npos)
			continue;
		std::size_t p = line.find(" pages=");
		if (p == std::string_view::npos)
			return Error{"/proc/vmallocinfo: a ksyms area without pages=: " +
				     std::string(line)};
		pages += std::stoll(std::string(line.substr(p + 7)));
		areas++;
	}
	return pages * page;
}

Result<KernelView> kernel_view()
{
	KernelView v;
	auto vm = ksyms_vmalloc(v.areas);
	auto total = kernel_memory();
	auto st = read_stats();
	if (const Error *e = first_error(vm, total, st))
		return *e;
	long kb = ksu_meminfo_kb("SUnreclaim");
	if (kb < 0)
		return Error{"/proc/meminfo SUnreclaim", int(-kb)};
	v.vmalloc = *vm;
	v.unreclaim = std::int64_t(kb) * 1024;
	v.total = *total;
	v.driver = *st;
	return v;
}

// What one drop_caches freed, as the kernel and the driver count it.
struct Fell {
	KernelView before, after;
	double vmalloc() const { return double(before.vmalloc - after.vmalloc); }
	double unreclaim() const { return double(before.unreclaim - after.unreclaim); }
	double total() const { return double(before.total - after.total); }
	double driver() const
	{
		return double(before.driver.held_bytes()) - double(after.driver.held_bytes());
	}
};

Result<Fell> measured_drop()
{
	auto before = kernel_view();
	if (!before.ok())
		return before.error();
	if (auto s = drop_caches(); !s.ok())
		return s.error();
	auto after = kernel_view();
	if (!after.ok())
		return after.error();
	return Fell{*before, *after};
}

struct Runs {
	std::vector<double> vmalloc, unreclaim, total, driver;
	void add(const Fell &f)
	{
		vmalloc.push_back(f.vmalloc());
		unreclaim.push_back(f.unreclaim());
		total.push_back(f.total());
		driver.push_back(f.driver());
	}
};

std::string bytes_text(const Spread &s)
{
	return human_bytes(s.min) + " / " + human_bytes(s.med) + " / " + human_bytes(s.max);
}

std::int64_t page_round(std::int64_t n)
{
	const std::int64_t page = sysconf(_SC_PAGESIZE);
	return (n + page - 1) / page * page;
}

void report(Report &rep, const Runs &real, const Runs &control, const Fell &last)
{
	const KernelView &held = last.before, &left = last.after;
	rep.row({"driver memory held, kernel's count: vmallocinfo [ksyms] + slab",
		 fmt("vmalloc %s in %d areas", human_bytes(double(held.vmalloc)).c_str(),
		     held.areas), "driver stats: held, kept",
		 human_bytes(double(held.driver.held_bytes())) + ", " +
		 human_bytes(double(held.driver.stat("vmlinux_kept_bytes"))), "", "", ""});
	Spread rv = spread(real.vmalloc), ru = spread(real.unreclaim), rt = spread(real.total);
	Spread cv = spread(control.vmalloc), cu = spread(control.unreclaim),
	       ct = spread(control.total);
	rep.row({"vmallocinfo [ksyms] fell at drop_caches=2", bytes_text(rv),
		 "control: nothing of ours cached", bytes_text(cv), "", "", ""});
	rep.row({"SUnreclaim fell at drop_caches=2", bytes_text(ru),
		 "control: nothing of ours cached", bytes_text(cu), "", "", ""});
	rep.row({"Slab+Vmalloc+PageTables+KernelStack fell at drop_caches=2", bytes_text(rt),
		 "control: nothing of ours cached", bytes_text(ct), "", "", ""});

	// Ours: the vmalloc figure is the driver's alone; the slab one less
	// what the same drop frees with nothing of ours to free.
	double ours = rv.med + (ru.med - cu.med), said = spread(real.driver).med;
	double r = said > 0 ? ours / said : 0;
	rep.check("drop_frees_what_driver_counts", {"kernel freed at a drop, ours "
		  "(vmalloc + slab - control slab)", human_bytes(ours),
		  "driver's held bytes before - after", human_bytes(said), ratio_text(r),
		  "0.8 .. 1.5", ""}, said > 0 && r >= 0.8 && r <= 1.5);

	// The kept form is the one thing a drop leaves; it may sit in either
	// allocator, so the vmalloc left must fit in it, pages rounded.
	std::int64_t kept = std::int64_t(left.driver.stat("vmlinux_kept_bytes"));
	std::int64_t limit = 4 << 20;
	rep.check("drop_leaves_only_kept_form", {"vmallocinfo [ksyms] after a drop",
		  fmt("%s in %d areas", human_bytes(double(left.vmalloc)).c_str(), left.areas),
		  "driver's kept form (vmlinux_kept_bytes)", human_bytes(double(kept)), "",
		  "<= kept form, pages rounded; both <= 4 MiB", ""},
		  left.driver.held_bytes() == 0 && left.vmalloc <= page_round(kept) &&
		  kept > 0 && kept <= limit);
}

} // namespace

// 6: a drop gives back what the driver says it held, by the kernel's count.
Status bench_memory_accounting(Report &rep)
{
	if (auto s = drop_caches(); !s.ok())	// the control starts empty
		return s;
	Runs real, control;
	Fell last;
	for (int i = 0; i < pairs; i++) {
		auto c = measured_drop();
		if (!c.ok())
			return c.error();
		if (c->before.driver.held_bytes() != 0)
			return Error{"control drop: the driver had its cache"};
		control.add(*c);
		if (auto s = open_close(KSYMS_PATH); !s.ok())	// the cache holds it
			return s;
		auto f = measured_drop();
		if (!f.ok())
			return f.error();
		real.add(*f);
		last = *f;
	}
	report(rep, real, control, last);
	return success();
}

} // namespace bench
