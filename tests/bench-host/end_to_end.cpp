// SPDX-License-Identifier: BSD-2-Clause
#include "end_to_end.h"

#include "fixture.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string_view>

extern char **environ;

namespace ksyms::bench {

namespace {

// The largest count every tool gets; addr2line is held lower (below).
constexpr size_t counts[] = {1, 10'000, 100'000, 1'000'000};

struct Tool {
	std::string name;
	std::vector<std::string> argv;
	size_t max_count;
	int repetitions;
	size_t lines_per_address;
	bool functions_only;	// answers names of functions only
	// The name in the first line of an address's answer.
	std::string_view (*name_in)(std::string_view line);
};

std::string_view whole_line(std::string_view line)
{
	return line;
}

// "0xADDR (name+0xoff/0xsize)", or the address alone where none covers it.
std::string_view rewritten_name(std::string_view line)
{
	size_t open = line.find(" (");
	if (open == std::string_view::npos)
		return {};
	line.remove_prefix(open + 2);
	return line.substr(0, line.find('+'));
}

std::string_view unknown_as_empty(std::string_view name)
{
	return name == "??" ? std::string_view() : name;
}

std::vector<Tool> tools()
{
	const std::string &sectioned = fixture->sectioned_path;
	return {
		// The sectioned copy too, so that all three read one file:
		// `ksyms symbolize` answers it byte for byte as it answers the
		// saved image.
		{"ksyms symbolize",
		 {fixture->ksyms_command, "--file", sectioned, "symbolize"},
		 1'000'000, 5, 1, false, rewritten_name},
		// One process for every address: its start-up is paid once.
		{"llvm-symbolizer",
		 {"/usr/bin/llvm-symbolizer", "--obj=" + sectioned},
		 1'000'000, 3, 3, false, whole_line},
		// With symbols it can use, addr2line scans the whole symbol
		// table for each address (about 1,000 a second here), so it
		// stops at 10,000 addresses.
		{"addr2line -f",
		 {"/usr/bin/addr2line", "-f", "-e", sectioned},
		 10'000, 3, 2, true, whole_line},
	};
}

// Runs argv with stdin from `input` and stdout into `output`; the wall
// time from spawn to exit.
double run_timed(const std::vector<std::string> &argv,
		 const std::string &input, const std::string &output)
{
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, input.c_str(),
					 O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO,
					 output.c_str(),
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	std::vector<char *> args;
	for (const std::string &arg : argv)
		args.push_back(const_cast<char *>(arg.c_str()));
	args.push_back(nullptr);
	pid_t pid;
	auto start = std::chrono::steady_clock::now();
	int error = posix_spawn(&pid, args[0], &actions, nullptr, args.data(),
				environ);
	posix_spawn_file_actions_destroy(&actions);
	if (error != 0)
		die(argv[0] + ": cannot run it");
	int status;
	waitpid(pid, &status, 0);
	double seconds = seconds_since(start);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die(argv[0] + ": failed");
	return seconds;
}

// Compares the tool's answers in `output` with libksyms' per address.
void check_answers(const Tool &tool, const std::string &output, size_t count,
		   EndToEnd &result)
{
	std::ifstream in(output);
	std::string line;
	size_t line_number = 0, address = 0;
	while (address < count && std::getline(in, line)) {
		if (line_number++ % tool.lines_per_address != 0)
			continue;
		size_t i = address++;
		if (tool.functions_only && !fixture->in_function[i])
			continue;
		result.compared++;
		result.same += unknown_as_empty(tool.name_in(line)) ==
			       fixture->names[i];
	}
	// Addresses the output did not get to count as different.
	for (; address < count; address++)
		result.compared += !tool.functions_only ||
				   fixture->in_function[address];
}

} // namespace

Spread EndToEnd::fixed_seconds() const
{
	auto it = seconds.find(counts.front());
	return it == seconds.end() ? Spread() : spread(it->second);
}

// Runs at different counts are not pairs (a slow spell can hit the smaller
// one), so the slope is taken between the two counts' minima, medians and
// maxima.
Spread EndToEnd::seconds_per_address() const
{
	if (counts.size() < 2)
		return {};
	size_t low = counts[counts.size() - 2], high = counts.back();
	Spread a = spread(seconds.at(low)), b = spread(seconds.at(high));
	double span = static_cast<double>(high - low);
	return {(b.min - a.min) / span, (b.median - a.median) / span,
		(b.max - a.max) / span, std::min(a.count, b.count)};
}

Spread EndToEnd::rate(size_t count) const
{
	auto it = seconds.find(count);
	if (it == seconds.end())
		return {};
	std::vector<double> rates;
	for (double s : it->second)
		rates.push_back(count / s);
	return spread(rates);
}

std::vector<EndToEnd> run_end_to_end()
{
	std::vector<Tool> all = tools();
	std::vector<EndToEnd> results(all.size());
	int rounds = 0;
	for (size_t t = 0; t < all.size(); t++) {
		results[t].tool = all[t].name;
		results[t].ran = access(all[t].argv[0].c_str(), X_OK) == 0;
		for (size_t count : counts) {
			if (count <= all[t].max_count)
				results[t].counts.push_back(count);
		}
		rounds = std::max(rounds, all[t].repetitions);
	}
	// Round after round, each count in turn, the tools one after the
	// other: a slow spell of the machine then falls on every tool alike.
	for (int round = 0; round < rounds; round++) {
		for (size_t count : counts) {
			for (size_t t = 0; t < all.size(); t++) {
				const Tool &tool = all[t];
				EndToEnd &result = results[t];
				if (!result.ran || round >= tool.repetitions ||
				    count > tool.max_count)
					continue;
				std::string output = fixture->dir + "/out-" +
						     std::to_string(t) + ".txt";
				result.seconds[count].push_back(run_timed(
					tool.argv, addresses_file(count),
					output));
				if (round == 0 && count == result.counts.back())
					check_answers(tool, output, count,
						      result);
			}
		}
	}
	return results;
}

} // namespace ksyms::bench
