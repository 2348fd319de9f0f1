// SPDX-License-Identifier: BSD-2-Clause
#include "json_frames.h"

#include "command.h"
#include "huge_page_heap.h"
#include "json_answers.h"

#include <cstdio>
#include <string>

namespace ksyms::tool {

namespace {

void set_location(nlohmann::json &frame, const SourceFrame &source)
{
	frame["FileName"] = source.file;
	frame["Line"] = source.line;
	frame["Column"] = source.column;
}

} // namespace

void add_json_frames(nlohmann::json &answer,
		     const std::vector<SourceFrame> &frames)
{
	nlohmann::json &symbols = answer["Symbol"];
	if (frames.empty() || !symbols.is_array() || symbols.empty())
		return;
	nlohmann::json list = nlohmann::json::array();
	for (size_t i = 0; i + 1 < frames.size(); i++) {
		nlohmann::json frame = {{"FunctionName", frames[i].function}};
		set_location(frame, frames[i]);
		list.push_back(std::move(frame));
	}
	nlohmann::json outer = symbols.back();
	set_location(outer, frames.back());
	list.push_back(std::move(outer));
	symbols = std::move(list);
}

int symbolize_json_frames(const Snapshot &snapshot,
			  std::span<const uint64_t> addresses,
			  DebugInfo &debug)
{
	std::vector<AddressLocation> where(addresses.size());
	snapshot.locate(addresses, where);
	int status = exit_ok;
	std::string out;
	HugePageHeap heap(debug.enabled());
	for (size_t i = 0; i < addresses.size(); i++) {
		heap.cover();
		nlohmann::json answer =
			json_address(snapshot, addresses[i], where[i]);
		if (where[i])
			add_json_frames(answer,
					debug.frames(addresses[i], where[i]));
		else
			status = exit_not_found;
		append_json_line(out, answer);
	}
	std::fwrite(out.data(), 1, out.size(), stdout);
	return finish_output(status);
}

} // namespace ksyms::tool
