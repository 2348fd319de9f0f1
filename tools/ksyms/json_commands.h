// SPDX-License-Identifier: BSD-2-Clause
// The --json forms of the subcommands, once their arguments are parsed and
// the snapshot is open.  Each returns the command's exit status.
#ifndef KSYMS_TOOL_JSON_COMMANDS_H
#define KSYMS_TOOL_JSON_COMMANDS_H

#include <ksyms/snapshot.h>

#include <cstdint>
#include <span>
#include <string_view>

namespace ksyms::tool {

// One line per name: its symbols, or an Error when there are none.
int lookup_json(const Snapshot &snapshot,
		std::span<const std::string_view> names);
// One line per address, in the order given.
int symbolize_json(const Snapshot &snapshot,
		   std::span<const uint64_t> addresses);
// One line per word of standard input: an address's answer, or an Error
// with the word as Input when it is not an address.
int symbolize_json_stream(const Snapshot &snapshot);

} // namespace ksyms::tool

#endif
