// SPDX-License-Identifier: GPL-2.0
// ksyms dump: every symbol, nm style, /proc/kallsyms style or JSON.
#include "command.h"

#include <elf.h>

#include <cinttypes>
#include <cstdio>
#include <string>

namespace ksyms::tool {

namespace {

const char *type_name(unsigned char type)
{
	switch (type) {
	case STT_NOTYPE: return "NOTYPE";
	case STT_OBJECT: return "OBJECT";
	case STT_FUNC: return "FUNC";
	case STT_SECTION: return "SECTION";
	case STT_FILE: return "FILE";
	case STT_COMMON: return "COMMON";
	case STT_TLS: return "TLS";
	default: return "OTHER";
	}
}

const char *binding_name(unsigned char binding)
{
	switch (binding) {
	case STB_LOCAL: return "LOCAL";
	case STB_GLOBAL: return "GLOBAL";
	case STB_WEAK: return "WEAK";
	default: return "OTHER";
	}
}

// Symbol names are bytes: quote and escape whatever an ELF file holds.
void append_json_string(std::string &out, std::string_view text)
{
	out += '"';
	for (unsigned char c : text) {
		if (c == '"' || c == '\\') {
			out += '\\';
			out += c;
		} else if (c < 0x20) {
			char escape[8];
			std::snprintf(escape, sizeof(escape), "\\u%04x", c);
			out += escape;
		} else {
			out += c;
		}
	}
	out += '"';
}

void dump_json(const Snapshot &snapshot)
{
	std::string out = "[";
	bool first = true;
	for (Symbol symbol : snapshot.symbols()) {
		char numbers[96];
		out += first ? "\n" : ",\n";
		first = false;
		out += "{\"name\":";
		append_json_string(out, symbol.name);
		std::snprintf(numbers, sizeof(numbers),
			      ",\"address\":\"0x%016" PRIx64 "\",\"size\":%" PRIu64,
			      symbol.address, symbol.size);
		out += numbers;
		out += ",\"type\":\"";
		out += type_name(symbol.type);
		out += "\",\"binding\":\"";
		out += binding_name(symbol.binding);
		out += "\",\"letter\":\"";
		out += symbol.letter;
		out += '"';
		std::string_view module =
			snapshot.module_of(symbol.index, symbol.address);
		if (!module.empty()) {
			out += ",\"module\":";
			append_json_string(out, module);
		}
		out += '}';
		if (out.size() > (1 << 16)) {
			std::fwrite(out.data(), 1, out.size(), stdout);
			out.clear();
		}
	}
	out += "\n]\n";
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
