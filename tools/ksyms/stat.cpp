// SPDX-License-Identifier: GPL-2.0
// ksyms stat: what the snapshot holds, in numbers.
#include "command.h"

#include <ksyms/symbolize.h>

#include <elf.h>

#include <cinttypes>
#include <cstdio>
#include <map>
#include <string>

namespace ksyms::tool {

int run_stat(const GlobalOptions &options, const Arguments &args)
{
	if (!args.empty())
		return usage_error("stat", "unexpected argument '" +
						   std::string(args[0]) + "'");
	Expected<Snapshot> snapshot = open_snapshot(options);
	if (!snapshot)
		return report(snapshot.error());

	size_t by_binding[3] = {};	// local, global, weak
	size_t functions = 0, objects = 0, untyped = 0;
	std::map<std::string_view, size_t> by_module;
	bool modules_known = snapshot->objects().empty() &&
			     !snapshot->modules().empty();
	for (Symbol symbol : snapshot->symbols()) {
		if (symbol.binding <= STB_WEAK)
			by_binding[symbol.binding]++;
		functions += symbol.type == STT_FUNC;
		objects += symbol.type == STT_OBJECT;
		untyped += symbol.type == STT_NOTYPE;
		if (modules_known)
			by_module[snapshot->modules().module_of(symbol.address)]++;
	}

	std::printf("source:      %s\n", snapshot->path().c_str());
	std::printf("image size:  %zu bytes\n", snapshot->image().size());
	std::printf("symbols:     %zu\n", snapshot->symbol_count());
	std::printf("  local:     %zu (sh_info says %zu)\n", by_binding[STB_LOCAL],
		    snapshot->local_count());
	std::printf("  global:    %zu\n", by_binding[STB_GLOBAL]);
	std::printf("  weak:      %zu\n", by_binding[STB_WEAK]);
	std::printf("  functions: %zu\n", functions);
	std::printf("  objects:   %zu\n", objects);
	std::printf("  no type:   %zu\n", untyped);
	if (!snapshot->objects().empty()) {
		// The image's own object table: exact, with build IDs.
		std::printf("objects:     %zu\n", snapshot->objects().size());
		for (const ObjectInfo &object : snapshot->objects()) {
			std::string id = format_build_id(object.build_id);
			std::printf("  %-22.*s %8" PRIu64 " symbols  %016" PRIx64
				    "+%#" PRIx64 "  %s\n",
				    (int)object.name.size(), object.name.data(),
				    object.local_count + object.global_count,
				    object.base, object.size,
				    id.empty() ? "(no build ID)" : id.c_str());
		}
	} else if (modules_known) {
		std::printf("by module:\n");
		for (const auto &[module, count] : by_module) {
			std::string_view label =
				module.empty() ? "vmlinux (or no module)" : module;
			std::printf("  %-22.*s %zu\n", (int)label.size(),
				    label.data(), count);
		}
	} else if (snapshot->modules().addresses_hidden()) {
		std::printf("by module:   unknown (/proc/modules hides addresses)\n");
	}
	return finish_output(exit_ok);
}

} // namespace ksyms::tool
