// SPDX-License-Identifier: BSD-2-Clause
// debuginfo_compare KSYMS IMAGE DEBUGDIR [COUNT]
//
// Symbolizes COUNT addresses inside the functions of IMAGE's objects (two
// thirds in vmlinux, the rest spread over the modules whose debug file
// DEBUGDIR has) with `KSYMS --file IMAGE symbolize --debuginfo DEBUGDIR`,
// and the same addresses with llvm-symbolizer --inlines on each object's
// debug file: vmlinux's moved back by its KASLR offset (_text in the image
// against _text in the file), a module's as offsets in its .ko's .text
// (from a symbol of the same name there, so module addresses are sampled
// in .text only) in the .ko linked by ld (reference_files.h says why).  Functions are named as the DWARF names
// them (--functions=short: no symbol table, whose names llvm-symbolizer
// cannot place in a relocatable file).  Neither side is given anything the
// other computed.  Prints KTAP: the share of addresses whose frames
// (function, file, line, column, innermost first) are the same, for
// vmlinux and the modules apart (goal 99%), and the throughput of each
// (goal: ksyms at least twice llvm-symbolizer's on the debug files as
// they are, .ko files included; also shown with the modules linked), as
// the ratio of median CPU times over runs in turns, each printing what the
// first run of its side printed.  The `ksyms` command backs its heap with
// huge pages (tools/ksyms/huge_page_heap.h), llvm-symbolizer as shipped
// does not: the same runs are made with both under glibc's tunable that
// backs malloc's heap with huge pages, so that the page size is not what
// makes the ratio.
#include "process.h"
#include "reference_files.h"

#include <ksyms/snapshot.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <stdlib.h>

namespace {

struct Frame {
	std::string function, file;
	unsigned line = 0, column = 0;
	bool operator==(const Frame &) const = default;
};
using Frames = std::vector<Frame>;

using ksyms::test::Sample;

// "FILE:LINE[:COLUMN]", either side's way of writing it.
void parse_location(const std::string &text, Frame &frame)
{
	size_t colon = text.rfind(':');
	size_t before = colon == std::string::npos ? colon :
						     text.rfind(':', colon - 1);
	// FILE:LINE:COLUMN when the part before the last colon is a number.
	if (before != std::string::npos &&
	    text.find_first_not_of("0123456789", before + 1) == colon) {
		frame.file = text.substr(0, before);
		frame.line = std::stoul(text.substr(before + 1, colon - before - 1));
		frame.column = std::stoul(text.substr(colon + 1));
	} else if (colon != std::string::npos) {
		frame.file = text.substr(0, colon);
		frame.line = std::strtoul(text.c_str() + colon + 1, nullptr, 10);
	}
}

// ksyms: a line per address, then "  F at FILE:LINE[:COL]" and
// "  (inlined by) F at ..." for its frames.
std::vector<Frames> parse_ksyms(const std::string &out)
{
	std::vector<Frames> all;
	size_t pos = 0;
	while (pos < out.size()) {
		size_t end = out.find('\n', pos);
		std::string line = out.substr(pos, end - pos);
		pos = end == std::string::npos ? out.size() : end + 1;
		if (!line.starts_with("  ")) {
			all.emplace_back();
			continue;
		}
		line.erase(0, 2);
		if (line.starts_with("(inlined by) "))
			line.erase(0, 13);
		size_t at = line.find(" at ");
		if (at == std::string::npos || all.empty())
			continue;
		Frame frame;
		frame.function = line.substr(0, at);
		parse_location(line.substr(at + 4), frame);
		all.back().push_back(frame);
	}
	return all;
}

// llvm-symbolizer: per address, FUNCTION and FILE:LINE:COLUMN lines, then
// an empty line.
std::vector<Frames> parse_llvm(const std::string &out)
{
	std::vector<Frames> all(1);
	size_t pos = 0;
	while (pos < out.size()) {
		size_t end = out.find('\n', pos);
		std::string function = out.substr(pos, end - pos);
		pos = end == std::string::npos ? out.size() : end + 1;
		if (function.empty()) {
			all.emplace_back();
			continue;
		}
		end = out.find('\n', pos);
		Frame frame;
		frame.function = function == "??" ? "??" : function;
		parse_location(out.substr(pos, end - pos), frame);
		pos = end == std::string::npos ? out.size() : end + 1;
		all.back().push_back(frame);
	}
	if (all.back().empty())
		all.pop_back();
	// One frame at line 0 ("??:0:0", or a file's line 0) is
	// llvm-symbolizer's way of saying the DWARF has no line; the name
	// is then the symbol table's, which ksyms prints on the address's
	// line.
	for (Frames &frames : all)
		if (frames.size() == 1 && frames[0].line == 0)
			frames.clear();
	return all;
}

std::string hex(uint64_t value)
{
	char text[24];
	std::snprintf(text, sizeof(text), "0x%llx", (unsigned long long)value);
	return text;
}

// Runs of each side, in turns, the runs that gave the answers first: CPU
// time varies by a third from run to run on a shared machine.
constexpr int timed_runs = 5;
constexpr double throughput_goal = 2;
const std::vector<std::string> huge_page_heaps = {
	"GLIBC_TUNABLES=glibc.malloc.hugetlb=1"};

// The runs of one program in one environment.
struct Runs {
	std::vector<double> cpu;
	std::vector<long> faults;
	void add(const ksyms::test::Output &out)
	{
		cpu.push_back(out.cpu_seconds);
		faults.push_back(out.minor_faults);
	}
};

template <typename T> T median(std::vector<T> v)
{
	std::sort(v.begin(), v.end());
	return v[v.size() / 2];
}

// "min / median / max s (N/s, F faults)" for `count` addresses.
std::string show(const Runs &runs, size_t count)
{
	auto [min, max] = std::minmax_element(runs.cpu.begin(), runs.cpu.end());
	double med = median(runs.cpu);
	char text[128];
	std::snprintf(text, sizeof(text),
		      "%.3f / %.3f / %.3f s (%.0f/s, %ld page faults)", *min,
		      med, *max, count / med, median(runs.faults));
	return text;
}

std::string show(const Frames &frames)
{
	std::string out;
	for (const Frame &f : frames)
		out += (out.empty() ? "" : " <- ") + f.function + " " + f.file +
		       ":" + std::to_string(f.line) + ":" +
		       std::to_string(f.column);
	return out.empty() ? "(none)" : out;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 4) {
		std::fprintf(stderr,
			     "usage: %s KSYMS IMAGE DEBUGDIR [COUNT]\n", argv[0]);
		return 2;
	}
	std::string ksyms = argv[1], image = argv[2], dir = argv[3];
	size_t count = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 3000;

	auto snapshot = ksyms::Snapshot::open_file(image);
	if (!snapshot) {
		std::printf("Bail out! %s\n", snapshot.error().message().c_str());
		return 1;
	}
	std::vector<ksyms::test::ReferenceFile> files =
		ksyms::test::reference_files(*snapshot, dir);
	std::mt19937_64 random(12);
	std::vector<Sample> samples =
		ksyms::test::sample_addresses(*snapshot, files, count, random);
	if (samples.empty()) {
		std::printf("Bail out! no debug file in %s for %s\n",
			    dir.c_str(), image.c_str());
		return 1;
	}

	std::vector<std::string> args = {ksyms, "--file", image, "symbolize",
					 "--debuginfo", dir};
	for (const Sample &s : samples)
		args.push_back(hex(s.address));
	ksyms::test::Output mine = ksyms::test::run(args, "");

	// llvm-symbolizer in one run, each line naming its object's file,
	// as it reads them when not given --obj.
	char dir_template[] = "/tmp/debuginfo-compare-XXXXXX";
	if (!mkdtemp(dir_template)) {
		std::printf("Bail out! no temporary directory\n");
		return 1;
	}
	std::string dir_made = dir_template;
	std::map<size_t, std::string> objects;
	for (const Sample &s : samples)
		if (!objects.count(s.object))
			objects[s.object] = files[s.object].is_vmlinux ?
				files[s.object].path :
				ksyms::test::linked_copy(files[s.object],
							 dir_made);
	std::string input;
	for (const Sample &s : samples)
		input += "\"" + objects[s.object] + "\" " + hex(s.reference) +
			 "\n";
	const std::vector<std::string> llvm = {
		"llvm-symbolizer", "--inlines", "--relativenames",
		"--functions=short"};
	ksyms::test::Output out = ksyms::test::run(llvm, input);
	std::filesystem::remove_all(dir_made);
	double linked_seconds = out.cpu_seconds;

	// The speed goal is against llvm-symbolizer on the files as Debian
	// ships them, .ko files and all, which is what one would give it:
	// the answers differ where it mixes a module's sections up, not the
	// work.
	input.clear();
	for (const Sample &s : samples)
		input += "\"" + files[s.object].path + "\" " + hex(s.in_file) +
			 "\n";
	ksyms::test::Output llvm_first = ksyms::test::run(llvm, input);

	// Same work in every timed run: the same output as the first. The
	// pair with huge-page heaps runs in the same turns.
	Runs ksyms_runs, llvm_runs, ksyms_huge, llvm_huge;
	ksyms_runs.add(mine);
	llvm_runs.add(llvm_first);
	bool same_output = true;
	auto timed = [&](Runs &runs, const std::vector<std::string> &argv,
			 const std::string &stdin_text,
			 const std::string &expected,
			 const std::vector<std::string> &environment) {
		ksyms::test::Output got =
			ksyms::test::run(argv, stdin_text, environment);
		runs.add(got);
		same_output = same_output && got.text == expected;
	};
	for (int i = 0; i < timed_runs; i++) {
		if (i > 0) {
			timed(ksyms_runs, args, "", mine.text, {});
			timed(llvm_runs, llvm, input, llvm_first.text, {});
		}
		timed(ksyms_huge, args, "", mine.text, huge_page_heaps);
		timed(llvm_huge, llvm, input, llvm_first.text, huge_page_heaps);
	}
	std::vector<Frames> theirs = parse_llvm(out.text);

	std::vector<Frames> ours = parse_ksyms(mine.text);
	std::printf("KTAP version 1\n1..3\n");
	if (ours.size() != samples.size()) {
		std::printf("# ksyms printed %zu addresses of %zu (status %d)\n",
			    ours.size(), samples.size(), mine.status);
		std::printf("not ok 1 vmlinux frames as llvm-symbolizer's\n"
			    "not ok 2 module frames as llvm-symbolizer's\n"
			    "not ok 3 throughput with DWARF: at least %.0fx "
			    "llvm-symbolizer's (not measured)\n",
			    throughput_goal);
		return 1;
	}
	size_t same[2] = {0, 0}, total[2] = {0, 0}, shown = 0;
	for (size_t i = 0; i < samples.size(); i++) {
		const Sample &s = samples[i];
		Frames expected = i < theirs.size() ? theirs[i] : Frames();
		int kind = files[s.object].is_vmlinux ? 0 : 1;
		total[kind]++;
		// Where the DWARF has no function (assembly) llvm-symbolizer
		// says "??", ksyms the symbol's name.
		if (!expected.empty() && expected.back().function == "??" &&
		    !ours[i].empty())
			expected.back().function = ours[i].back().function;
		if (ours[i] == expected) {
			same[kind]++;
		} else if (shown++ < 10) {
			std::printf("# %s (%s): ksyms %s\n#   llvm-symbolizer %s\n",
				    hex(s.address).c_str(),
				    hex(s.reference).c_str(),
				    show(ours[i]).c_str(),
				    show(expected).c_str());
		}
	}
	const char *what[2] = {"vmlinux", "module"};
	for (int kind = 0; kind < 2; kind++) {
		// An image whose modules have no debug file (the VM's test
		// modules) has nothing to count for them.
		if (kind == 1 && total[kind] == 0) {
			std::printf("# no module with a debug file\n");
			continue;
		}
		double share = total[kind] ? 100.0 * same[kind] / total[kind] : 0;
		std::printf("%s %d %s frames as llvm-symbolizer's: %zu of %zu "
			    "addresses (%.2f%%, goal 99%%)\n",
			    total[kind] && share >= 99 ? "ok" : "not ok",
			    kind + 1, what[kind], same[kind], total[kind],
			    share);
	}
	double ratio = median(llvm_runs.cpu) / median(ksyms_runs.cpu);
	double huge_ratio = median(llvm_huge.cpu) / median(ksyms_huge.cpu);
	std::printf("# CPU time for %zu addresses in %zu objects, min / "
		    "median / max of %d runs each, in turns, on the debug "
		    "files:\n#   ksyms %s\n#   llvm-symbolizer %s\n"
		    "#   with the modules linked: llvm-symbolizer %.3f s (one "
		    "run)\n",
		    samples.size(), objects.size(), timed_runs,
		    show(ksyms_runs, samples.size()).c_str(),
		    show(llvm_runs, samples.size()).c_str(),
		    linked_seconds);
	std::printf("# both with malloc's heap on huge pages (%s):\n"
		    "#   ksyms %s\n#   llvm-symbolizer %s\n"
		    "#   %.2fx llvm-symbolizer's throughput (medians)\n",
		    huge_page_heaps[0].c_str(),
		    show(ksyms_huge, samples.size()).c_str(),
		    show(llvm_huge, samples.size()).c_str(), huge_ratio);
	if (!same_output)
		std::printf("# a timed run printed other than its side's first\n");
	std::printf("%s 3 throughput with DWARF: at least %.0fx "
		    "llvm-symbolizer's, median CPU times (%.2fx)\n",
		    same_output && ratio >= throughput_goal ? "ok" : "not ok",
		    throughput_goal, ratio);
	return 0;
}
