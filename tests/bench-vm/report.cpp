// SPDX-License-Identifier: BSD-2-Clause
// What report.h declares.

#include "report.h"

#include <algorithm>
#include <cstdio>

namespace bench {

std::string human_time(double ns)
{
	if (ns < 1e3)
		return fmt("%.0f ns", ns);
	if (ns < 1e6)
		return fmt("%.1f µs", ns / 1e3);
	if (ns < 1e9)
		return fmt("%.2f ms", ns / 1e6);
	return fmt("%.2f s", ns / 1e9);
}

std::string human_time(const Spread &s)
{
	return human_time(s.min) + " / " + human_time(s.med) + " / " + human_time(s.max);
}

std::string count_text(const Spread &s)
{
	return fmt("%.0f / %.0f / %.0f", s.min, s.med, s.max);
}

std::string human_bytes(double b)
{
	if (b == 0)
		return "0 B";
	const char *sign = b < 0 ? "-" : "";
	b = b < 0 ? -b : b;
	if (b < 1024 * 1024)
		return fmt("%s%.1f KiB", sign, b / 1024);
	return fmt("%s%.2f MiB", sign, b / (1024 * 1024));
}

void Report::check(const std::string &name, Row r, bool met)
{
	r.met = met ? "yes" : "NO";
	std::string value = r.value;
	if (!r.baseline.empty())
		value += " vs " + r.baseline;
	if (!r.ratio.empty())
		value += ", ratio " + r.ratio;
	checks_.push_back({name, value, r.goal, met});
	rows_.push_back(std::move(r));
}

void Report::fail(const std::string &name, const Error &e)
{
	errors_.push_back("# error: " + describe(e));
	checks_.push_back({name, "error: " + describe(e), "no error", false});
}

bool Report::all_met() const
{
	return std::all_of(checks_.begin(), checks_.end(), [](const Check &c) { return c.met; });
}

void Report::print() const
{
	if (!rows_.empty())
		std::printf("# | measure | ksyms min / median / max | compared with | "
			    "baseline min / median / max | ratio of medians | goal | met |\n"
			    "# |---|---|---|---|---|---|---|\n");
	for (const Row &r : rows_)
		std::printf("# | %s | %s | %s | %s | %s | %s | %s |\n", r.measure.c_str(),
			    r.value.c_str(), r.against.c_str(), r.baseline.c_str(),
			    r.ratio.c_str(), r.goal.c_str(), r.met.c_str());
	for (const std::string &e : errors_)
		std::printf("%s\n", e.c_str());
	std::printf("TAP version 13\n1..%zu\n", checks_.size());
	for (std::size_t i = 0; i < checks_.size(); i++) {
		const Check &c = checks_[i];
		std::printf("%sok %zu %s # %s%s\n", c.met ? "" : "not ", i + 1, c.name.c_str(),
			    c.value.c_str(), c.met ? "" : (" (goal " + c.goal + ")").c_str());
	}
	std::fflush(stdout);
}

std::string ratio_text(double r) { return fmt("%.3g", r); }

} // namespace bench
