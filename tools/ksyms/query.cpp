// SPDX-License-Identifier: BSD-2-Clause
// ksyms lookup and ksyms symbolize: names to symbols, addresses to names.
#include "command.h"
#include "json_commands.h"
#include "huge_page_heap.h"
#include "json_frames.h"

#include <ksyms/debuginfo.h>
#include <ksyms/symbolize.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace ksyms::tool {

namespace {

Error write_all(int fd, std::string_view bytes)
{
	while (!bytes.empty()) {
		ssize_t written = ::write(fd, bytes.data(), bytes.size());
		if (written < 0) {
			if (errno == EINTR)
				continue;
			return Error::from_errno(errno, "stdout");
		}
		bytes.remove_prefix(written);
	}
	return Error();
}

// Large reads so that the scanner's per-chunk work is negligible, but not
// so large that the buffers (the output is about 2.5 times the input when
// every line is an address) cost more page faults than they save calls; a
// pipe still returns whatever is there, so `dmesg -w | ksyms symbolize` is
// live.
int rewrite_stream(const Snapshot &snapshot, RewriteOptions rewrite)
{
	AddressRewriter rewriter(snapshot, rewrite);
	std::string in(1 << 18, '\0');
	std::string out;
	for (;;) {
		Expected<size_t> read = read_stdin(in.data(), in.size());
		if (!read)
			return report(read.error());
		size_t got = *read;
		out.clear();
		if (got == 0)
			rewriter.finish(out);
		else
			rewriter.feed(std::string_view(in.data(), got), out);
		if (Error error = write_all(STDOUT_FILENO, out))
			return report(error);
		if (got == 0)
			return exit_ok;
	}
}

} // namespace

int run_lookup(const GlobalOptions &options, const Arguments &args)
{
	bool json = false;
	std::vector<std::string_view> names;
	for (size_t i = 0; i < args.size(); i++) {
		if (args[i] == "--") {
			names.insert(names.end(), args.begin() + i + 1, args.end());
			break;
		}
		if (args[i] == "--json")
			json = true;
		else
			names.push_back(args[i]);
	}
	if (names.empty())
		return usage_error("lookup", "no NAME given");
	Expected<Snapshot> snapshot = open_snapshot(options);
	if (!snapshot)
		return report(snapshot.error());
	if (json)
		return lookup_json(*snapshot, names);

	int status = exit_ok;
	for (std::string_view name : names) {
		std::vector<Symbol> found = snapshot->find_name(name);
		if (found.empty()) {
			std::fprintf(stderr, "ksyms: %.*s: not found\n",
				     (int)name.size(), name.data());
			status = exit_not_found;
		}
		for (const Symbol &symbol : found) {
			std::string_view module =
				snapshot->module_of(symbol.index, symbol.address);
			std::printf("%016" PRIx64 " %c %s%s%.*s%s\n",
				    symbol.address, symbol.letter,
				    symbol.name.data(), module.empty() ? "" : " [",
				    (int)module.size(), module.data(),
				    module.empty() ? "" : "]");
		}
	}
	return finish_output(status);
}

int run_symbolize(const GlobalOptions &options, const Arguments &args)
{
	RewriteOptions rewrite;
	DebugInfoOptions debug;
	bool json = false;
	std::vector<std::string_view> texts;
	std::vector<uint64_t> addresses;
	for (size_t i = 0; i < args.size(); i++) {
		std::string_view arg = args[i];
		if (arg == "--all") {
			rewrite.min_address = 0;
		} else if (OptionWord word = take_debuginfo(args, i, debug);
			   word != OptionWord::other) {
			if (word == OptionWord::missing_value)
				return usage_error("symbolize",
						   "--debuginfo needs a DIR");
		} else if (arg == "--json") {
			json = true;
		} else if (auto address = parse_address(arg)) {
			texts.push_back(arg);
			addresses.push_back(*address);
		} else {
			return usage_error("symbolize", "not an address: '" +
								std::string(arg) + "'");
		}
	}
	Expected<Snapshot> snapshot = open_snapshot(options);
	if (!snapshot)
		return report(snapshot.error());
	// Source lines for the ADDR arguments; the stream forms stay as fast
	// as they are.
	DebugInfo lines(*snapshot, std::move(debug));
	if (json && !addresses.empty() && lines.enabled())
		return symbolize_json_frames(*snapshot, addresses, lines);
	if (json)
		return addresses.empty() ?
			       symbolize_json_stream(*snapshot) :
			       symbolize_json(*snapshot, addresses);
	if (addresses.empty())
		return rewrite_stream(*snapshot, rewrite);

	// All at once, through the batched lookup (locate()).
	std::vector<AddressLocation> where(addresses.size());
	snapshot->locate(addresses, where);
	int status = exit_ok;
	std::string out;
	HugePageHeap heap(lines.enabled());
	for (size_t i = 0; i < addresses.size(); i++) {
		heap.cover();
		out += texts[i];
		out += ' ';
		if (const AddressLocation &at = where[i]) {
			const ObjectInfo *object = snapshot->object_of(at.symbol);
			append_match(out, at.name, at.offset, at.size,
				     snapshot->module_of(at.symbol, addresses[i]),
				     object ? object->build_id :
					      std::span<const uint8_t>());
		} else {
			out += "??";
			status = exit_not_found;
		}
		out += '\n';
		if (where[i] && lines.enabled())
			append_frames(out, lines.frames(addresses[i], where[i]));
	}
	std::fwrite(out.data(), 1, out.size(), stdout);
	return finish_output(status);
}

} // namespace ksyms::tool
