// SPDX-License-Identifier: BSD-2-Clause
// ksyms stat: what the snapshot holds, in numbers.
#include "command.h"
#include "json_answers.h"

#include <ksyms/symbolize.h>

#include <elf.h>

#include <cinttypes>
#include <cstdio>
#include <map>
#include <string>

namespace ksyms::tool {

namespace {

struct Counts {
	size_t by_binding[3] = {};	// local, global, weak
	size_t functions = 0, objects = 0, untyped = 0;
	// Symbols per module from the module map, for an image without an
	// object table ("" for vmlinux and addresses no module holds).
	bool modules_known = false;
	std::map<std::string_view, size_t> by_module;
};

Counts count(const Snapshot &snapshot)
{
	Counts counts;
	counts.modules_known = snapshot.objects().empty() &&
			       !snapshot.modules().empty();
	for (Symbol symbol : snapshot.symbols()) {
		if (symbol.binding <= STB_WEAK)
			counts.by_binding[symbol.binding]++;
		counts.functions += symbol.type == STT_FUNC;
		counts.objects += symbol.type == STT_OBJECT;
		counts.untyped += symbol.type == STT_NOTYPE;
		if (counts.modules_known)
			counts.by_module[snapshot.modules().module_of(
				symbol.address)]++;
	}
	return counts;
}

void print_text(const Snapshot &snapshot, const Counts &counts)
{
	std::printf("source:      %s\n", snapshot.path().c_str());
	std::printf("image size:  %zu bytes\n", snapshot.image().size());
	std::printf("symbols:     %zu\n", snapshot.symbol_count());
	std::printf("  local:     %zu (sh_info says %zu)\n",
		    counts.by_binding[STB_LOCAL], snapshot.local_count());
	std::printf("  global:    %zu\n", counts.by_binding[STB_GLOBAL]);
	std::printf("  weak:      %zu\n", counts.by_binding[STB_WEAK]);
	std::printf("  functions: %zu\n", counts.functions);
	std::printf("  objects:   %zu\n", counts.objects);
	std::printf("  no type:   %zu\n", counts.untyped);
	if (!snapshot.objects().empty()) {
		// The image's own object table: exact, with build IDs.
		std::printf("objects:     %zu\n", snapshot.objects().size());
		for (const ObjectInfo &object : snapshot.objects()) {
			std::string id = format_build_id(object.build_id);
			std::printf("  %-22.*s %8" PRIu64 " symbols  %016" PRIx64
				    "+%#" PRIx64 "  %s\n",
				    (int)object.name.size(), object.name.data(),
				    object.local_count + object.global_count,
				    object.base, object.size,
				    id.empty() ? "(no build ID)" : id.c_str());
		}
	} else if (counts.modules_known) {
		std::printf("by module:\n");
		for (const auto &[module, n] : counts.by_module) {
			std::string_view label =
				module.empty() ? "vmlinux (or no module)" : module;
			std::printf("  %-22.*s %zu\n", (int)label.size(),
				    label.data(), n);
		}
	} else if (snapshot.modules().addresses_hidden()) {
		std::printf("by module:   unknown (/proc/modules hides addresses)\n");
	}
}

// The same as one JSON object (docs/json.md); counts are numbers, addresses
// and sizes in the address space strings.
void print_json(const Snapshot &snapshot, const Counts &counts)
{
	nlohmann::json out = json_answer();
	out["Source"] = snapshot.path();
	out["ImageSize"] = snapshot.image().size();
	out["Symbols"] = {
		{"Total", snapshot.symbol_count()},
		{"Local", counts.by_binding[STB_LOCAL]},
		{"LocalBySectionHeader", snapshot.local_count()},
		{"Global", counts.by_binding[STB_GLOBAL]},
		{"Weak", counts.by_binding[STB_WEAK]},
		{"Functions", counts.functions},
		{"Objects", counts.objects},
		{"NoType", counts.untyped},
	};
	nlohmann::json &objects = out["Objects"] = nlohmann::json::array();
	for (const ObjectInfo &object : snapshot.objects())
		objects.push_back({
			{"ModuleName", object.name},
			{"Symbols", object.local_count + object.global_count},
			{"Base", json_hex(object.base)},
			{"Size", json_hex(object.size)},
			{"BuildID", format_build_id(object.build_id)},
			{"Pseudo", object.pseudo},
		});
	if (counts.modules_known) {
		nlohmann::json &by_module = out["ByModule"] =
			nlohmann::json::array();
		for (const auto &[module, n] : counts.by_module)
			by_module.push_back({{"ModuleName", module}, {"Symbols", n}});
	}
	out["ModuleAddressesHidden"] = snapshot.modules().addresses_hidden();
	std::string text;
	append_json_line(text, out);
	std::fwrite(text.data(), 1, text.size(), stdout);
}

} // namespace

int run_stat(const GlobalOptions &options, const Arguments &args)
{
	bool json = false;
	for (std::string_view arg : args) {
		if (arg == "--json")
			json = true;
		else
			return usage_error("stat", "unexpected argument '" +
							   std::string(arg) + "'");
	}
	Expected<Snapshot> snapshot = open_snapshot(options);
	if (!snapshot)
		return report(snapshot.error());

	Counts counts = count(*snapshot);
	if (json)
		print_json(*snapshot, counts);
	else
		print_text(*snapshot, counts);
	return finish_output(exit_ok);
}

} // namespace ksyms::tool
