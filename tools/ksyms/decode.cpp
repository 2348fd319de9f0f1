// SPDX-License-Identifier: BSD-2-Clause
// ksyms decode: a kernel log's stack traces with source lines, as
// scripts/decode_stacktrace.sh prints them.
#include "command.h"
#include "huge_page_heap.h"

#include <ksyms/trace.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace ksyms::tool {

namespace {

struct FileCloser {
	void operator()(std::FILE *file) const
	{
		if (file != stdin)
			std::fclose(file);
	}
};
using InputFile = std::unique_ptr<std::FILE, FileCloser>;

// Line by line, so that `dmesg -w | ksyms decode` shows each line as it
// comes.
Error decode_stream(std::FILE *in, const std::string &name,
		    TraceDecoder &decoder, HugePageHeap &heap)
{
	char *line = nullptr;
	size_t capacity = 0;
	ssize_t length;
	std::string out;
	while ((length = ::getline(&line, &capacity, in)) > 0) {
		out.clear();
		heap.cover();
		decoder.decode_line(std::string_view(line, length), out);
		std::fwrite(out.data(), 1, out.size(), stdout);
		if (out.back() == '\n')
			std::fflush(stdout);
	}
	int read_error = std::ferror(in) ? errno : 0;
	std::free(line);
	if (read_error)
		return Error::from_errno(read_error, name);
	return Error();
}

} // namespace

int run_decode(const GlobalOptions &options, const Arguments &args)
{
	DebugInfoOptions debug;
	std::vector<std::string> files;
	for (size_t i = 0; i < args.size(); i++) {
		if (args[i] == "--") {
			files.insert(files.end(), args.begin() + i + 1,
				     args.end());
			break;
		}
		OptionWord word = take_debuginfo(args, i, debug);
		if (word == OptionWord::missing_value)
			return usage_error("decode", "--debuginfo needs a DIR");
		if (word == OptionWord::taken)
			continue;
		if (args[i].starts_with("-") && args[i] != "-")
			return usage_error("decode", "unknown option '" +
							     std::string(args[i]) + "'");
		files.emplace_back(args[i]);
	}
	if (files.empty())
		files.emplace_back("-");

	// Every input is opened before anything is printed: a wrong name is
	// an error, not a half-decoded log.
	std::vector<InputFile> inputs;
	for (const std::string &file : files) {
		std::FILE *in = file == "-" ? stdin : std::fopen(file.c_str(), "re");
		if (!in)
			return report(Error::from_errno(errno, file));
		inputs.emplace_back(in);
	}
	Expected<Snapshot> snapshot = open_snapshot(options);
	if (!snapshot)
		return report(snapshot.error());
	DebugInfo lines(*snapshot, std::move(debug));
	TraceDecoder decoder(*snapshot, lines);
	HugePageHeap heap(lines.enabled());
	for (size_t i = 0; i < inputs.size(); i++) {
		const std::string &name = files[i] == "-" ? "stdin" : files[i];
		if (Error error = decode_stream(inputs[i].get(), name, decoder,
						  heap))
			return report(error);
	}
	return finish_output(exit_ok);
}

} // namespace ksyms::tool
