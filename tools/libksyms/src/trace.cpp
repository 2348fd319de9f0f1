// SPDX-License-Identifier: BSD-2-Clause
#include <ksyms/trace.h>

#include <elf.h>

namespace ksyms {

namespace {

bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '$';
}

// Hex digits of `text` from `at`, at least one: their value, and `at`
// moved past them.
std::optional<uint64_t> hex_digits(std::string_view text, size_t &at)
{
	uint64_t value = 0;
	size_t first = at;
	for (; at < text.size() && at - first < 16; at++) {
		char c = text[at];
		unsigned digit;
		if (c >= '0' && c <= '9')
			digit = c - '0';
		else if (c >= 'a' && c <= 'f')
			digit = c - 'a' + 10;
		else
			break;
		value = value << 4 | digit;
	}
	if (at == first)
		return std::nullopt;
	return value;
}

// "name+0xOFF/0xSIZE" with its '+' at `plus`.
std::optional<TraceFrame> frame_at(std::string_view line, size_t plus)
{
	TraceFrame frame;
	size_t begin = plus;
	while (begin > 0 && is_name_char(line[begin - 1]))
		begin--;
	if (begin == plus)
		return std::nullopt;
	size_t at = plus + 3;
	auto offset = hex_digits(line, at);
	if (!offset || line.substr(at, 3) != "/0x")
		return std::nullopt;
	at += 3;
	auto size = hex_digits(line, at);
	if (!size)
		return std::nullopt;
	frame.begin = begin;
	frame.end = at;
	frame.name = line.substr(begin, plus - begin);
	frame.offset = *offset;
	frame.size = *size;
	// " [module]" or " [module buildid]" (%pSb)
	if (line.substr(at, 2) == " [") {
		size_t name = at + 2, stop = name;
		while (stop < line.size() && is_name_char(line[stop]))
			stop++;
		if (stop > name && stop < line.size() &&
		    (line[stop] == ']' || line[stop] == ' '))
			frame.module = line.substr(name, stop - name);
	}
	return frame;
}

std::optional<uint64_t> find_symbol(const Snapshot &snapshot,
				    const TraceFrame &frame)
{
	std::optional<uint64_t> best;
	int best_rank = -1;
	for (const Symbol &symbol : snapshot.find_name(frame.name)) {
		if (snapshot.module_of(symbol.index, symbol.address) !=
		    frame.module)
			continue;
		// A function over a name that is also data; then the one
		// kallsyms sized as the kernel printed it.
		int rank = symbol.type == STT_FUNC || symbol.letter == 't' ||
			   symbol.letter == 'T';
		AddressLocation at = snapshot.locate(symbol.address);
		rank = rank * 2 + (at && at.size == frame.size);
		if (rank > best_rank) {
			best_rank = rank;
			best = symbol.address;
		}
	}
	return best;
}

} // namespace

std::optional<TraceFrame> parse_trace_frame(std::string_view line)
{
	size_t plus = line.size();
	while (plus > 0 && (plus = line.rfind("+0x", plus - 1)) !=
					   std::string_view::npos) {
		if (auto frame = frame_at(line, plus))
			return frame;
	}
	return std::nullopt;
}

TraceDecoder::TraceDecoder(const Snapshot &snapshot, DebugInfo &debug)
	: snapshot_(snapshot), debug_(debug)
{
}

std::optional<uint64_t> TraceDecoder::address(const TraceFrame &frame)
{
	std::string key(frame.module);
	key += '\0';
	key += frame.name;
	auto [it, added] = symbols_.try_emplace(std::move(key));
	if (added)
		it->second = find_symbol(snapshot_, frame);
	if (!it->second)
		return std::nullopt;
	return *it->second + frame.offset;
}

void TraceDecoder::decode_line(std::string_view line, std::string &out)
{
	std::optional<TraceFrame> frame = parse_trace_frame(line);
	std::optional<uint64_t> at = frame ? address(*frame) : std::nullopt;
	if (!at) {
		out += line;
		return;
	}
	auto [it, added] = sources_.try_emplace(*at);
	std::string &code = it->second;
	if (added) {
		for (const SourceFrame &source : debug_.frames(*at)) {
			if (source.file.empty())
				break;
			if (!code.empty())
				code += ' ';
			code += source.file;
			code += ':';
			code += std::to_string(source.line);
		}
	}
	if (code.empty()) {
		out += line;
		return;
	}
	out += line.substr(0, frame->begin);
	out += frame->name;
	out += " (";
	out += code;
	out += ')';
	out += line.substr(frame->end);
}

} // namespace ksyms
