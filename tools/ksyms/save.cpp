// SPDX-License-Identifier: BSD-2-Clause
// ksyms save: the snapshot as an ELF file for later, offline use.
#include "command.h"

#include <string>

namespace ksyms::tool {

int run_save(const GlobalOptions &options, const Arguments &args)
{
	if (args.size() != 1 || args[0].starts_with("-"))
		return usage_error("save", "expected exactly one FILE");
	Expected<Snapshot> snapshot = open_snapshot(options);
	if (!snapshot)
		return report(snapshot.error());
	if (Error error = snapshot->save(std::string(args[0])))
		return report(error);
	return exit_ok;
}

} // namespace ksyms::tool
