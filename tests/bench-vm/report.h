// SPDX-License-Identifier: BSD-2-Clause
// What the benchmark prints: a markdown table (every line "# "-prefixed),
// then KTAP, one test per goal; and the text of the figures in them.
#ifndef KSYMS_BENCH_VM_REPORT_H
#define KSYMS_BENCH_VM_REPORT_H

#include "result.h"
#include "timing.h"

#include <string>
#include <vector>

namespace bench {

std::string human_time(double ns);

std::string human_time(const Spread &s);

std::string count_text(const Spread &s);

std::string human_bytes(double b);

struct Row {
	std::string measure, value, against, baseline, ratio, goal, met;
};

struct Check {
	std::string name, value, goal;
	bool met;
};

class Report {
public:
	void row(Row r) { rows_.push_back(std::move(r)); }
	// A table row and, with a goal, a KTAP test.
	void check(const std::string &name, Row r, bool met);
	void fail(const std::string &name, const Error &e);
	bool all_met() const;
	void print() const;

private:
	std::vector<Row> rows_;
	std::vector<Check> checks_;
	std::vector<std::string> errors_;
};

std::string ratio_text(double r);

} // namespace bench

#endif
