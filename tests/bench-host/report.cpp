// SPDX-License-Identifier: BSD-2-Clause
#include "report.h"

#include <cinttypes>
#include <cstdio>
#include <string>

namespace ksyms::bench {

namespace {

constexpr size_t goal_count = 1'000'000;	// the end-to-end goal's size

std::string triple(const Spread &s, double scale, const char *format)
{
	if (s.empty())
		return "-";
	char text[96];
	std::string f = std::string(format) + " / " + format + " / " + format;
	std::snprintf(text, sizeof(text), f.c_str(), s.min * scale,
		      s.median * scale, s.max * scale);
	return text;
}

const Spread *rate_of(const InProcess &in, const std::string &name)
{
	auto it = in.rates.find(name);
	return it == in.rates.end() ? nullptr : &it->second;
}

void print_in_process(const InProcess &in)
{
	std::printf("\n%-28s %-36s %s\n", "tool (in process, 1 core)",
		    "M addresses/s min / median / max", "ns/address (median)");
	for (const auto &[name, rate] : in.rates) {
		if (name == rewrite_name)
			continue;
		std::printf("%-28s %-36s %.1f\n", name.c_str(),
			    triple(rate, 1e-6, "%.2f").c_str(),
			    1e9 / rate.median);
	}
	if (!in.llvm_built)
		std::printf("%-28s not built (no LLVM found by CMake)\n",
			    llvm_name);
	if (const Spread *rewrite = rate_of(in, rewrite_name))
		std::printf("%-28s %s MB/s of log text\n", rewrite_name,
			    triple(*rewrite, 1e-6, "%.1f").c_str());

	std::printf("\n%-28s %s\n", "set-up (not in the rates)",
		    "ms min / median / max");
	std::printf("%-28s %s\n", "libksyms open_file",
		    triple(in.ksyms_load, 1e3, "%.2f").c_str());
	std::printf("%-28s %s\n", "libksyms index build",
		    triple(in.ksyms_index, 1e3, "%.2f").c_str());
	std::printf("%-28s %s\n", "sorted vector build",
		    triple(in.vector_build, 1e3, "%.2f").c_str());
	std::printf("%-28s %s\n", "LLVM load (first lookup)",
		    triple(in.llvm_load, 1e3, "%.2f").c_str());

	std::printf("\n%-28s %10s %10s  %s\n", "answers (in process)",
		    "addresses", "answered", "checksum vs libksyms");
	for (const AnswerCheck &c : in.checks) {
		if (!c.built) {
			std::printf("%-28s not built\n", c.side.c_str());
			continue;
		}
		std::printf("%-28s %10zu %10zu  %016" PRIx64 " %s\n",
			    c.side.c_str(), c.addresses, c.answered, c.checksum,
			    c.agrees() ? "same" : "DIFFERENT");
	}
}

void print_end_to_end(const std::vector<EndToEnd> &tools)
{
	// The per-address cost is the slope between the two largest counts'
	// minima, medians and maxima (end_to_end.h), so its three need not be
	// in order.
	std::printf("\n%-18s %5s %-26s %-26s %-14s %s\n",
		    "end to end", "runs", "fixed ms (N=1) min/med/max",
		    "ns/address (of min/med/max)", "addr/s at max N",
		    "same symbol");
	for (const EndToEnd &t : tools) {
		if (!t.ran) {
			std::printf("%-18s not installed\n", t.tool.c_str());
			continue;
		}
		size_t top = t.counts.back();
		std::printf("%-18s %5zu %-26s %-26s %8.0f (N=%zu) %.2f%% of %zu\n",
			    t.tool.c_str(), t.seconds.at(top).size(),
			    triple(t.fixed_seconds(), 1e3, "%.1f").c_str(),
			    triple(t.seconds_per_address(), 1e9, "%.0f").c_str(),
			    t.rate(top).median, top, 100 * t.same_share(),
			    t.compared);
	}
	std::printf("(addr2line -f stops at N=10000: about 1,000 addresses/s; "
		    "it names functions only, so only those are compared)\n");
}

class Goals {
public:
	void ktap(bool ok, const char *name, const std::string &detail)
	{
		std::printf("%sok %d %s # %s\n", ok ? "" : "not ", ++tests_, name,
			    detail.c_str());
		failed_ += !ok;
	}

	int failed() const { return failed_; }

private:
	int tests_ = 0;
	int failed_ = 0;
};

std::string format(const char *format, auto... args)
{
	char text[256];
	std::snprintf(text, sizeof(text), format, args...);
	return text;
}

const EndToEnd *tool_named(const std::vector<EndToEnd> &tools,
			   const std::string &name)
{
	for (const EndToEnd &t : tools)
		if (t.tool == name && t.ran && t.seconds.count(goal_count))
			return &t;
	return nullptr;
}

// Throughput ratios compare medians; the spread is in the tables.
void report_goals(const InProcess &in, const std::vector<EndToEnd> &tools,
		  Goals &goals)
{
	const Spread *batch = rate_of(in, batch_name);
	const Spread *vector = rate_of(in, vector_name);
	const Spread *llvm = rate_of(in, llvm_name);
	const Spread *rewrite = rate_of(in, rewrite_name);
	double batch_rate = batch ? batch->median : 0;

	std::printf("\nKTAP version 1\n1..8\n");
	goals.ktap(batch_rate >= 20e6, "symbolize_addresses_per_second",
		   format("libksyms batch %.1f million addresses/s on one core, "
			  "wall clock (goal >= 20)",
			  batch_rate / 1e6));
	goals.ktap(rewrite && rewrite->median >= 100e6, "symbolize_stdin_rate",
		   rewrite ? format("%.1f MB/s of log text (goal >= 100)",
				    rewrite->median / 1e6) :
			     std::string(rewrite_name) + " did not run");

	// The throughput goal: >= 10x llvm-symbolizer's addresses/s at 1M
	// addresses, medians, each fed the same text on stdin with its output
	// to a file.
	const EndToEnd *cli = tool_named(tools, "ksyms symbolize");
	const EndToEnd *llvm_cli = tool_named(tools, "llvm-symbolizer");
	if (cli && llvm_cli) {
		double ratio = cli->rate(goal_count).median /
			       llvm_cli->rate(goal_count).median;
		double same = std::min(cli->same_share(), llvm_cli->same_share());
		goals.ktap(ratio >= 10, "cli_vs_llvm_symbolizer_1m",
			   format("measured %.1fx the addresses/s of "
				  "llvm-symbolizer, stdin to file, 1M addresses "
				  "(goal >= 10x)",
				  ratio));
		goals.ktap(same >= 0.999, "cli_same_symbols_1m",
			   format("ksyms symbolize and llvm-symbolizer name the "
				  "symbol libksyms names for %.2f%% of 1M "
				  "addresses (goal >= 99.9%%)",
				  100 * same));
	} else {
		goals.ktap(false, "cli_vs_llvm_symbolizer_1m",
			   "ksyms or llvm-symbolizer did not run at 1M addresses");
		goals.ktap(false, "cli_same_symbols_1m",
			   "ksyms or llvm-symbolizer did not run at 1M addresses");
	}
	const EndToEnd *addr2line = nullptr;
	for (const EndToEnd &t : tools)
		if (t.tool == "addr2line -f" && t.ran)
			addr2line = &t;
	goals.ktap(addr2line && addr2line->same_share() >= 0.99,
		   "addr2line_same_symbols",
		   addr2line ? format("same function for %.2f%% of %zu addresses "
				      "inside functions (goal >= 99%%)",
				      100 * addr2line->same_share(),
				      addr2line->compared) :
			       std::string("addr2line did not run"));

	double vector_ratio = vector ? batch_rate / vector->median : 0;
	goals.ktap(vector_ratio >= 3, "batch_vs_sorted_vector",
		   vector ? format("measured %.2fx sorted-vector upper_bound "
				   "per address (goal >= 3x)",
				   vector_ratio) :
			    std::string(vector_name) + " did not run");
	if (llvm) {
		double ratio = batch_rate / llvm->median;
		goals.ktap(ratio >= 20, "batch_vs_llvm_library",
			   format("measured %.0fx LLVMSymbolizer per address "
				  "(goal >= 20x); libksyms open %.1f ms + index "
				  "%.1f ms, LLVM load %.1f ms (medians)",
				  ratio, in.ksyms_load.median * 1e3,
				  in.ksyms_index.median * 1e3,
				  in.llvm_load.median * 1e3));
	} else {
		goals.ktap(false, "batch_vs_llvm_library",
			   "LLVM's symbolizer library was not built in "
			   "(llvm-14-dev missing at configure time)");
	}
	bool agree = !in.checks.empty();
	std::string sides;
	for (const AnswerCheck &c : in.checks) {
		agree = agree && c.agrees();
		sides += sides.empty() ? "" : ", ";
		sides += c.built ? format("%s %zu/%zu", c.side.c_str(),
					  c.answered, c.addresses) :
				   c.side + " not built";
	}
	goals.ktap(agree, "in_process_same_answers",
		   "every side's answer checksum equals libksyms' (answered/"
		   "asked: " + sides + ")");
}

} // namespace

int report(const InProcess &in_process, const std::vector<EndToEnd> &tools)
{
	// run.sh's summary starts at the first line beginning "tool  ".
	print_in_process(in_process);
	print_end_to_end(tools);
	Goals goals;
	report_goals(in_process, tools, goals);
	return goals.failed();
}

} // namespace ksyms::bench
