// SPDX-License-Identifier: BSD-2-Clause
#include "command.h"

#include <cerrno>
#include <cstdio>
#include <unistd.h>

namespace ksyms::tool {

Expected<Snapshot> open_snapshot(const GlobalOptions &options)
{
	if (options.file)
		return Snapshot::open_file(*options.file);
	Expected<Snapshot> snapshot = Snapshot::open_device();
	if (snapshot) {
		// Module names are a nicety: without /proc/modules (or with its
		// addresses hidden) results just carry none.
		(void)snapshot->load_proc_modules();
	}
	return snapshot;
}

OptionWord take_debuginfo(const Arguments &args, size_t &i,
			  DebugInfoOptions &debug)
{
	std::string_view arg = args[i];
	if (arg.starts_with("--debuginfo=")) {
		debug.directories.emplace_back(arg.substr(12));
		return OptionWord::taken;
	}
	if (arg != "--debuginfo")
		return OptionWord::other;
	if (i + 1 == args.size())
		return OptionWord::missing_value;
	debug.directories.emplace_back(args[++i]);
	return OptionWord::taken;
}

Expected<size_t> read_stdin(char *buf, size_t size)
{
	for (;;) {
		ssize_t got = ::read(STDIN_FILENO, buf, size);
		if (got >= 0)
			return static_cast<size_t>(got);
		if (errno != EINTR)
			return Error::from_errno(errno, "stdin");
	}
}

int report(const Error &error)
{
	std::fprintf(stderr, "ksyms: %s\n", error.message().c_str());
	return exit_io;
}

int usage_error(std::string_view command, std::string_view message)
{
	if (command.empty()) {
		std::fprintf(stderr, "ksyms: %.*s\nTry 'ksyms --help'.\n",
			     (int)message.size(), message.data());
		return exit_usage;
	}
	std::fprintf(stderr, "ksyms %.*s: %.*s\nTry 'ksyms %.*s --help'.\n",
		     (int)command.size(), command.data(), (int)message.size(),
		     message.data(), (int)command.size(), command.data());
	return exit_usage;
}

int finish_output(int status)
{
	if (std::fflush(stdout) != 0 || std::ferror(stdout))
		return report(Error::from_errno(errno ? errno : EIO, "stdout"));
	return status;
}

} // namespace ksyms::tool
