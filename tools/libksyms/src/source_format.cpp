// SPDX-License-Identifier: BSD-2-Clause
#include <ksyms/debuginfo.h>

#include <charconv>

namespace ksyms {

namespace {

void append_number(std::string &out, unsigned value)
{
	char digits[12];
	auto result = std::to_chars(digits, digits + sizeof(digits), value);
	out.append(digits, result.ptr);
}

} // namespace

void append_frames(std::string &out, const std::vector<SourceFrame> &frames)
{
	bool first = true;
	for (const SourceFrame &frame : frames) {
		out += first ? "  " : "  (inlined by) ";
		first = false;
		out += frame.function.empty() ? "??" : frame.function;
		out += " at ";
		out += frame.file.empty() ? "??" : frame.file;
		out += ':';
		append_number(out, frame.line);
		if (frame.column) {
			out += ':';
			append_number(out, frame.column);
		}
		out += '\n';
	}
}

} // namespace ksyms
