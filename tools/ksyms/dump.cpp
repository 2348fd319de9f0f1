// SPDX-License-Identifier: GPL-2.0
// ksyms dump: every symbol, nm style or JSON.
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

} // namespace

int run_dump(const GlobalOptions &options, const Arguments &args)
{
	bool json = false;
	for (std::string_view arg : args) {
		if (arg == "--json")
			json = true;
		else
			return usage_error("dump", "unexpected argument '" +
							   std::string(arg) + "'");
	}
	Expected<Snapshot> snapshot = open_snapshot(options);
	if (!snapshot)
		return report(snapshot.error());

	if (json) {
		dump_json(*snapshot);
	} else {
		for (Symbol symbol : snapshot->symbols())
			std::printf("%016" PRIx64 " %c %s\n", symbol.address,
				    symbol.letter, symbol.name.data());
	}
	return finish_output(exit_ok);
}

} // namespace ksyms::tool
