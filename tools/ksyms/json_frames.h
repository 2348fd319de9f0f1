// SPDX-License-Identifier: BSD-2-Clause
// symbolize --json with debug files (--debuginfo, debuginfod): the
// answers of json_address() with the source frames (DebugInfo) in their
// Symbol list, under llvm-symbolizer's field names.
#ifndef KSYMS_TOOL_JSON_FRAMES_H
#define KSYMS_TOOL_JSON_FRAMES_H

#include <ksyms/debuginfo.h>
#include <ksyms/snapshot.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace ksyms::tool {

// Each inlined frame becomes a frame of its own before the symbol's
// (FunctionName, FileName, Line, Column); the outermost frame's FileName,
// Line and Column go in the symbol's frame, which keeps its FunctionName.
void add_json_frames(nlohmann::json &answer,
		     const std::vector<SourceFrame> &frames);

// One line per address, in the order given, as symbolize_json().
int symbolize_json_frames(const Snapshot &snapshot,
			  std::span<const uint64_t> addresses,
			  DebugInfo &debug);

} // namespace ksyms::tool

#endif
