// SPDX-License-Identifier: BSD-2-Clause
// ksyms verify: does the snapshot list what /proc/kallsyms lists?
#include "command.h"

#include <ksyms/kallsyms.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>

namespace ksyms::tool {

int run_verify(const GlobalOptions &options, const Arguments &args)
{
	std::string kallsyms_path = "/proc/kallsyms";
	for (size_t i = 0; i < args.size(); i++) {
		if (args[i] == "--kallsyms" && i + 1 < args.size())
			kallsyms_path = std::string(args[++i]);
		else if (args[i].starts_with("--kallsyms="))
			kallsyms_path = std::string(args[i].substr(11));
		else
			return usage_error("verify", "unexpected argument '" +
							     std::string(args[i]) + "'");
	}
	Expected<Snapshot> snapshot = open_snapshot(options);
	if (!snapshot)
		return report(snapshot.error());
	Expected<KallsymsTable> kallsyms = KallsymsTable::read(kallsyms_path);
	if (!kallsyms)
		return report(kallsyms.error());
	// Comparing against zeros would list every symbol twice; say why.
	if (kallsyms->addresses_hidden() && !kallsyms->entries().empty())
		return report(Error::with_message(
			EPERM, kallsyms_path,
			"addresses are hidden (kptr_restrict); run as root"));

	std::vector<SymbolDifference> differences = compare(*snapshot, *kallsyms);
	for (const SymbolDifference &difference : differences) {
		char side = difference.side ==
					    SymbolDifference::Side::only_in_snapshot ?
				    '-' : '+';
		std::printf("%c%016" PRIx64 " %s\n", side, difference.address,
			    difference.name.c_str());
	}
	if (!differences.empty())
		std::fprintf(stderr, "ksyms: %zu difference(s) between %s (-) and %s (+)\n",
			     differences.size(), snapshot->path().c_str(),
			     kallsyms_path.c_str());
	return finish_output(differences.empty() ? exit_ok : exit_not_found);
}

} // namespace ksyms::tool
