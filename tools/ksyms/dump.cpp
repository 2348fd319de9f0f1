// SPDX-License-Identifier: BSD-2-Clause
// ksyms dump: every symbol, nm style, /proc/kallsyms style or JSON.
#include "command.h"
#include "json_answers.h"

#include <cinttypes>
#include <cstdio>
#include <string>

namespace ksyms::tool {

namespace {

// One object per line (JSON Lines), each with its Schema: a dump of
// 200,000 symbols can be read a line at a time, and each line reads as a
// symbol of lookup --json does.  No BuildID: stat --json gives each
// object's once, not once per symbol.
void dump_json(const Snapshot &snapshot)
{
	std::string out;
	for (Symbol symbol : snapshot.symbols()) {
		nlohmann::json line = json_symbol(snapshot, symbol, false);
		line["Schema"] = json_schema;
		append_json_line(out, line);
		if (out.size() > (1 << 16)) {
			std::fwrite(out.data(), 1, out.size(), stdout);
			out.clear();
		}
	}
	std::fwrite(out.data(), 1, out.size(), stdout);
}

// /proc/kallsyms' own lines (s_show() in kernel/kallsyms.c), in its order
// and with its letters, from the image's .ksyms.kallsyms.
int dump_kallsyms(const Snapshot &snapshot)
{
	if (!snapshot.has_kallsyms_order()) {
		std::fprintf(stderr, "ksyms: %s: the image does not record "
				     "kallsyms' order (an image from before "
				     "ksyms 7, or not from /dev/ksyms)\n",
			     snapshot.path().c_str());
		return exit_not_found;
	}
	std::string out;
	char line[64];
	for (uint32_t index : snapshot.kallsyms_order()) {
		Symbol symbol = snapshot.symbol(index);
		std::string_view module =
			snapshot.module_of(index, symbol.address);
		std::snprintf(line, sizeof(line), "%016" PRIx64 " %c ",
			      symbol.address, snapshot.kallsyms_letter(index));
		out += line;
		out += symbol.name;
		if (!module.empty()) {
			out += "\t[";
			out += module;
			out += ']';
		}
		out += '\n';
		if (out.size() > (1 << 16)) {
			std::fwrite(out.data(), 1, out.size(), stdout);
			out.clear();
		}
	}
	std::fwrite(out.data(), 1, out.size(), stdout);
	return exit_ok;
}

} // namespace

int run_dump(const GlobalOptions &options, const Arguments &args)
{
	enum class Format { nm, kallsyms, json } format = Format::nm;
	for (std::string_view arg : args) {
		if (arg == "--json" || arg == "--format=json")
			format = Format::json;
		else if (arg == "--format=kallsyms")
			format = Format::kallsyms;
		else if (arg == "--format=nm")
			format = Format::nm;
		else
			return usage_error("dump", "unexpected argument '" +
							   std::string(arg) + "'");
	}
	Expected<Snapshot> snapshot = open_snapshot(options);
	if (!snapshot)
		return report(snapshot.error());

	switch (format) {
	case Format::json:
		dump_json(*snapshot);
		break;
	case Format::kallsyms:
		if (int status = dump_kallsyms(*snapshot))
			return status;
		break;
	case Format::nm:
		for (Symbol symbol : snapshot->symbols())
			std::printf("%016" PRIx64 " %c %s\n", symbol.address,
				    symbol.letter, symbol.name.data());
		break;
	}
	return finish_output(exit_ok);
}

} // namespace ksyms::tool
