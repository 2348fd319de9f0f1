// SPDX-License-Identifier: BSD-2-Clause
// Kernel log lines with stack frames, as the kernel prints them (%pS,
// %pSb): "func+0x1c/0x80 [mod]", decoded into source lines.
//
//   ksyms::DebugInfo debug(snapshot, {.directories = {"/usr/lib/debug"}});
//   ksyms::TraceDecoder decoder(snapshot, debug);
//   decoder.decode_line(" ? do_one_initcall+0x43/0x1f0", out);
//   // " ? do_one_initcall (init/main.c:1269)"
//
// The kernel hashes or leaves out raw addresses, so a frame is found by
// its name: the symbol called `func` in the object the line names
// (vmlinux when it names none), plus the offset.  That is the address
// scripts/decode_stacktrace.sh gives addr2line, and the output is its
// form: the frame's text becomes "func (file:line file:line ...)", the
// location of the code first, then each call it was inlined into.
#ifndef KSYMS_TRACE_H
#define KSYMS_TRACE_H

#include <ksyms/debuginfo.h>
#include <ksyms/export.h>
#include <ksyms/snapshot.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ksyms {

// One "name+0xoffset/0xsize [module buildid]" in a line of text.
struct TraceFrame {
	size_t begin = 0;	// of "name+0x..../0x...." in the line
	size_t end = 0;		// one past its size's last digit
	std::string_view name;
	uint64_t offset = 0;
	uint64_t size = 0;
	std::string_view module;	// "" when the line names none (vmlinux)
};

// The last frame in `line` (a trace line has one; a WARNING line names
// the function last), or nothing.  The name is what precedes "+0x" back to
// a space, '(', ':' (the "0010:" of a RIP line) or '<'.
[[nodiscard]] KSYMS_API std::optional<TraceFrame> parse_trace_frame(
	std::string_view line);

class KSYMS_API TraceDecoder {
public:
	// Both must outlive the decoder.
	TraceDecoder(const Snapshot &snapshot, DebugInfo &debug);

	// The address `frame` stands for: its symbol in its object (a
	// function where names repeat, then the one whose extent is the
	// frame's size) plus the offset; nothing when the object has no such
	// symbol.
	[[nodiscard]] std::optional<uint64_t> address(const TraceFrame &frame);

	// Appends `line` (with its '\n', if it has one) to `out`, its frame
	// decoded; a line without a frame, or whose frame has no source
	// line, is appended unchanged.
	void decode_line(std::string_view line, std::string &out);

private:
	const Snapshot &snapshot_;
	DebugInfo &debug_;
	// An oops repeats frames (nested traces, the RIP line): by
	// "module\0name" and by address, as decode_stacktrace.sh caches.
	std::unordered_map<std::string, std::optional<uint64_t>> symbols_;
	std::unordered_map<uint64_t, std::string> sources_;
};

} // namespace ksyms

#endif
