// SPDX-License-Identifier: BSD-2-Clause
// ksyms_json_check KSYMS [COUNT [SEED]]: inside the test VM, runs
// `KSYMS symbolize --json` on COUNT random addresses drawn inside
// /proc/kallsyms' symbols (on standard input, and the first few as
// arguments too), parses every answer back with nlohmann-json and checks
// it against what /proc/kallsyms says: the name (any alias at that
// address), the symbol's start, the offset, and for functions the module.
// ksyms_json_check --bpf KSYMS: the same for the bytes of every JIT-ed BPF
// program loaded (bpf_frames.cpp).  KTAP "# " diagnostics; exit 0 when
// everything agrees.
#include "address_draw.h"
#include "vm_json.h"

#include <ksyms/kallsyms.h>
#include <ksyms/snapshot.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace ksyms::vmcheck {

Run run(const std::string &command, const std::string &input)
{
	const char *path = "/tmp/ksyms-json-check.in";
	FILE *in = std::fopen(path, "w");
	if (!in || std::fwrite(input.data(), 1, input.size(), in) != input.size() ||
	    std::fclose(in) != 0)
		return {};
	Run result;
	FILE *pipe = ::popen((command + " <" + path).c_str(), "r");
	if (!pipe)
		return result;
	char buffer[1 << 16];
	size_t got;
	while ((got = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0)
		result.out.append(buffer, got);
	int status = ::pclose(pipe);
	result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return result;
}

std::vector<nlohmann::json> parse_lines(const std::string &text)
{
	std::vector<nlohmann::json> lines;
	size_t start = 0;
	while (start < text.size()) {
		size_t end = text.find('\n', start);
		if (end == std::string::npos)
			end = text.size();
		std::string line = text.substr(start, end - start);
		try {
			lines.push_back(nlohmann::json::parse(line));
		} catch (const nlohmann::json::exception &e) {
			std::printf("# not JSON (%s): %.200s\n", e.what(), line.c_str());
		}
		start = end + 1;
	}
	return lines;
}

std::string hex(uint64_t value)
{
	char text[24];
	std::snprintf(text, sizeof(text), "0x%llx", (unsigned long long)value);
	return text;
}

} // namespace ksyms::vmcheck

namespace {

using namespace ksyms::vmcheck;

// What is wrong with `answer` for `d`, or "" if nothing.
std::string check(const nlohmann::json &answer, const Drawn &d,
		  const std::vector<Line> &lines)
{
	if (answer.value("Schema", 0) != 1)
		return "Schema is not 1";
	if (answer.value("Address", "") != hex(d.address))
		return "Address " + answer.value("Address", std::string("(none)"));
	if (answer.contains("Error") || !answer.contains("Symbol") ||
	    answer["Symbol"].size() != 1)
		return "no single frame";
	const nlohmann::json &frame = answer["Symbol"][0];
	std::string name = frame.value("FunctionName", "");
	bool alias = false;
	for (size_t k = d.first; k < d.next; k++)
		alias |= lines[k].entry->name == name;
	if (!alias)
		return "FunctionName " + name;
	if (frame.value("Offset", "") != hex(d.offset) ||
	    frame.value("StartAddress", "") != hex(d.address - d.offset))
		return "Offset " + frame.value("Offset", "") + " StartAddress " +
		       frame.value("StartAddress", "");
	const ksyms::KallsymsEntry &e = *lines[d.first].entry;
	std::string module = e.module.empty() ? "vmlinux" : std::string(e.module);
	bool function = is_function(e.letter);
	if (function && answer.value("ModuleName", "") != module)
		return "ModuleName " + answer.value("ModuleName", "") + ", kallsyms " +
		       module;
	return "";
}

int check_random(const std::string &ksyms, unsigned long count, unsigned long seed)
{
	auto kallsyms = read_checkable_kallsyms();
	if (!kallsyms)
		return 1;
	const std::vector<Line> &lines = kallsyms->lines;
	std::vector<Drawn> drawn;
	{
		auto snap = ksyms::Snapshot::open_device();
		if (!snap) {
			std::printf("# %s\n", snap.error().message().c_str());
			return 1;
		}
		drawn = draw(lines, *snap, count, seed);
	}

	std::string input, arguments;
	for (size_t i = 0; i < drawn.size(); i++) {
		input += hex(drawn[i].address) + (i % 7 == 6 ? "\n" : " ");
		if (i < 20)
			arguments += " " + hex(drawn[i].address);
	}
	Run from_stdin = run(ksyms + " symbolize --json", input);
	Run from_args = run(ksyms + " symbolize --json" + arguments);
	std::vector<nlohmann::json> answers = parse_lines(from_stdin.out);
	std::vector<nlohmann::json> arg_answers = parse_lines(from_args.out);
	int failed = 0;
	if (from_stdin.status != 0 || from_args.status != 0 ||
	    answers.size() != drawn.size() ||
	    arg_answers.size() != std::min<size_t>(20, drawn.size())) {
		std::printf("# exit %d and %d, %zu and %zu answers for %zu addresses\n",
			    from_stdin.status, from_args.status, answers.size(),
			    arg_answers.size(), drawn.size());
		failed++;
	}
	size_t wrong = 0;
	for (size_t i = 0; i < std::min(answers.size(), drawn.size()); i++) {
		std::string why = check(answers[i], drawn[i], lines);
		if (i < arg_answers.size() && arg_answers[i] != answers[i])
			why += " (the argument's answer differs)";
		if (!why.empty() && wrong++ < 10)
			std::printf("# %s: %s: %s\n", hex(drawn[i].address).c_str(),
				    why.c_str(), answers[i].dump().c_str());
	}
	std::printf("# %zu addresses through symbolize --json: %zu answered "
		    "otherwise than /proc/kallsyms\n",
		    drawn.size(), wrong);
	return failed || wrong ? 1 : 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc >= 3 && std::strcmp(argv[1], "--bpf") == 0)
		return check_bpf_frames(argv[2]);
	if (argc < 2) {
		std::fprintf(stderr, "usage: ksyms_json_check KSYMS [COUNT [SEED]]\n"
				     "       ksyms_json_check --bpf KSYMS\n");
		return 2;
	}
	unsigned long count = argc > 2 ? std::strtoul(argv[2], nullptr, 0) : 10000;
	unsigned long seed = argc > 3 ? std::strtoul(argv[3], nullptr, 0) : 7;
	return check_random(argv[1], count, seed);
}
