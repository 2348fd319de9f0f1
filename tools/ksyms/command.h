// SPDX-License-Identifier: BSD-2-Clause
// What the subcommands of `ksyms` share: options, exit codes, and the one
// place errors are printed.
#ifndef KSYMS_TOOL_COMMAND_H
#define KSYMS_TOOL_COMMAND_H

#include <ksyms/debuginfo.h>
#include <ksyms/error.h>
#include <ksyms/snapshot.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ksyms::tool {

// grep's convention, documented in ksyms(1).
enum ExitCode {
	exit_ok = 0,
	exit_not_found = 1,	// a name or address not found; differences
	exit_usage = 2,
	exit_io = 3,		// a file or the device could not be opened,
				// read or written
};

struct GlobalOptions {
	// --file PATH: a saved image or ELF file instead of the device.
	std::optional<std::string> file;
};

using Arguments = std::vector<std::string_view>;

struct Command {
	const char *name;
	const char *summary;	// one line for `ksyms --help`
	const char *help;	// the whole text for `ksyms NAME --help`
	int (*run)(const GlobalOptions &options, const Arguments &args);
};

const std::vector<Command> &commands();

int run_dump(const GlobalOptions &options, const Arguments &args);
int run_lookup(const GlobalOptions &options, const Arguments &args);
int run_symbolize(const GlobalOptions &options, const Arguments &args);
int run_save(const GlobalOptions &options, const Arguments &args);
int run_verify(const GlobalOptions &options, const Arguments &args);
int run_stat(const GlobalOptions &options, const Arguments &args);
int run_decode(const GlobalOptions &options, const Arguments &args);

// The device (with /proc/modules for module names, when readable) or the
// --file image.
Expected<Snapshot> open_snapshot(const GlobalOptions &options);

// What args[i] is to the --debuginfo option ("--debuginfo DIR" or
// "--debuginfo=DIR"): not it, or taken (DIR added to `debug`, i moved to
// the option's last word), or missing its DIR.
enum class OptionWord { other, taken, missing_value };
OptionWord take_debuginfo(const Arguments &args, size_t &i,
			  DebugInfoOptions &debug);

// read(2) of standard input, again after a signal: the bytes read (0 at
// its end), or the error, naming "stdin".
Expected<size_t> read_stdin(char *buf, size_t size);

// "ksyms: <message>" on stderr; returns exit_io.
int report(const Error &error);
// "ksyms <command>: <message>" and a pointer to --help; returns exit_usage.
int usage_error(std::string_view command, std::string_view message);
// Flushes stdout; a write error (full disk, closed pipe) becomes exit_io.
int finish_output(int status);

} // namespace ksyms::tool

#endif
