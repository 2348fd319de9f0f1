// SPDX-License-Identifier: BSD-2-Clause
// ksyms: the kernel's symbol table from /dev/ksyms, on the command line.
// Everything here is parsing and dispatch; the work is in libksyms.
#include "command.h"

#include <cstdio>
#include <cstring>

namespace ksyms::tool {

const std::vector<Command> &commands()
{
	static const std::vector<Command> table = {
		{"dump", "print every symbol (nm or kallsyms style, or JSON)",
		 "usage: ksyms [--file PATH] dump [--format=nm|kallsyms|json] [--json]\n"
		 "\n"
		 "Prints every symbol in image order as \"%016lx %c %s\"\n"
		 "(address, nm-style letter, name); with --format=kallsyms\n"
		 "exactly as /proc/kallsyms printed them, in its order, with\n"
		 "its letters and \"\\t[module]\" (exit 1 if the image does not\n"
		 "record them); with --json (--format=json) as one JSON object\n"
		 "a line per symbol (ksyms(1), JSON OUTPUT).\n",
		 run_dump},
		{"lookup", "print the symbols called NAME",
		 "usage: ksyms [--file PATH] lookup [--json] [--] NAME...\n"
		 "\n"
		 "Prints every symbol of each NAME (names may repeat) as\n"
		 "\"%016lx %c %s\". Exits 1 if a NAME is not found.\n"
		 "With --json, one JSON object a line per NAME, its symbols in\n"
		 "\"Symbols\" (ksyms(1), JSON OUTPUT).\n",
		 run_lookup},
		{"symbolize", "turn addresses into name+offset/size [module]",
		 "usage: ksyms [--file PATH] symbolize [--all] [--json]\n"
		 "                                     [--debuginfo DIR]... [ADDR...]\n"
		 "\n"
		 "With ADDRs (hex, 0x optional) prints\n"
		 "\"ADDR name+0xoff/0xsize [module buildid]\" for each (the\n"
		 "kernel's %pSb; module and build ID when known), or \"ADDR ??\"\n"
		 "and exit status 1 when no symbol covers it.\n"
		 "\n"
		 "Without ADDRs copies standard input to standard output and\n"
		 "appends \" (name+0xoff/0xsize [module buildid])\" to every kernel\n"
		 "address: a word that is 0x and 1-16 hex digits, or exactly\n"
		 "16 hex digits, at least 0xffff000000000000 (any value with\n"
		 "--all) and inside a symbol. Every other byte is unchanged.\n"
		 "\n"
		 "With --json, one JSON object a line per ADDR, or per word of\n"
		 "standard input, as llvm-symbolizer --output-style=JSON:\n"
		 "{\"Address\":\"0x...\",\"BuildID\":\"...\",\"ModuleName\":\"ext4\",\n"
		 " \"Schema\":1,\"Symbol\":[{\"FunctionName\":\"...\",\"Offset\":\"0x..\",\n"
		 " \"Size\":\"0x..\",\"StartAddress\":\"0x...\"}]}\n"
		 "(addresses are strings: JSON numbers lose 64-bit precision).\n"
		 "\n"
		 "With --debuginfo DIR (a /usr/lib/debug tree; repeatable), or\n"
		 "with DEBUGINFOD_URLS set, each ADDR's line is followed by its\n"
		 "source frames, from the debug file of its object's build ID,\n"
		 "as llvm-symbolizer --pretty-print writes them:\n"
		 "  inner at include/linux/list.h:202:13\n"
		 "  (inlined by) caller at drivers/foo.c:260:3\n"
		 "(in --json, in the Symbol list with FileName, Line, Column).\n"
		 "An object without a debug file gets no frames, never an error.\n",
		 run_symbolize},
		{"decode", "a kernel log's stack traces with source lines",
		 "usage: ksyms [--file PATH] decode [--debuginfo DIR]... [FILE...]\n"
		 "\n"
		 "Copies each FILE (standard input without one, or for -) to\n"
		 "standard output, a line at a time, and in each line with a\n"
		 "frame as the kernel prints it, \"name+0xoff/0xsize [module]\",\n"
		 "writes \"name (file:line ...)\" for the frame: the source line\n"
		 "of the address, then the line of each call it was inlined\n"
		 "into, as scripts/decode_stacktrace.sh does. The address is\n"
		 "the symbol called name in the module the line names (vmlinux\n"
		 "if none) plus the offset, so the image must be the kernel\n"
		 "that printed the log: --file a saved image for a log from\n"
		 "elsewhere. Debug files as for symbolize --debuginfo. A line\n"
		 "whose frame has no source line is copied unchanged; Code:\n"
		 "lines too (scripts/decodecode disassembles them).\n",
		 run_decode},
		{"save", "write the snapshot to FILE as an ELF image",
		 "usage: ksyms [--file PATH] save FILE\n"
		 "\n"
		 "Writes the image atomically (a temporary file in FILE's\n"
		 "directory, then rename). readelf, nm, gdb and\n"
		 "'ksyms --file FILE' read it later, on any machine. It is\n"
		 "not a vmlinux for perf: give 'perf report --kallsyms' the\n"
		 "output of 'ksyms dump --format=kallsyms' instead.\n",
		 run_save},
		{"verify", "compare the snapshot with /proc/kallsyms",
		 "usage: ksyms [--file PATH] verify [--kallsyms PATH]\n"
		 "\n"
		 "Compares (address, name) pairs with /proc/kallsyms (or\n"
		 "PATH) and prints the differences as \"-ADDR NAME\" (only in\n"
		 "the snapshot) and \"+ADDR NAME\" (only in kallsyms).\n"
		 "Exits 1 if there are any.\n",
		 run_verify},
		{"stat", "symbol counts, image size, symbols per module",
		 "usage: ksyms [--file PATH] stat [--json]\n"
		 "\n"
		 "Prints the symbol count by binding and type, the image size\n"
		 "and every object of the image (vmlinux, each module) with\n"
		 "its symbols, address span and build ID; for an image without\n"
		 "an object table, the symbols of each module when\n"
		 "/proc/modules gives module addresses. With --json, the same\n"
		 "as one JSON object.\n",
		 run_stat},
	};
	return table;
}

namespace {

void print_usage(std::FILE *out)
{
	std::fputs("usage: ksyms [--file PATH] COMMAND [ARGS...]\n"
		   "\n"
		   "The running kernel's symbol table from /dev/ksyms, or a\n"
		   "saved image or ELF file with --file (-f).\n"
		   "\n"
		   "commands:\n",
		   out);
	for (const Command &command : commands())
		std::fprintf(out, "  %-10s %s\n", command.name, command.summary);
	std::fputs("\n'ksyms COMMAND --help' describes each. Exit status: 0 ok, "
		   "1 not found or\ndifferent, 2 usage error, 3 file or device "
		   "error.\n",
		   out);
}

} // namespace

} // namespace ksyms::tool

int main(int argc, char **argv)
{
	using namespace ksyms::tool;

	GlobalOptions options;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		std::string_view arg = argv[i];
		if (arg == "--help" || arg == "-h") {
			print_usage(stdout);
			return finish_output(exit_ok);
		} else if (arg == "--file" || arg == "-f") {
			if (i + 1 == argc)
				return usage_error("", "--file needs a PATH");
			options.file = argv[++i];
		} else if (arg.starts_with("--file=")) {
			options.file = std::string(arg.substr(7));
		} else {
			std::fprintf(stderr, "ksyms: unknown option '%s'\n",
				     argv[i]);
			print_usage(stderr);
			return exit_usage;
		}
	}
	if (i == argc) {
		print_usage(stderr);
		return exit_usage;
	}

	std::string_view name = argv[i];
	for (const Command &command : commands()) {
		if (name != command.name)
			continue;
		Arguments args(argv + i + 1, argv + argc);
		for (std::string_view arg : args) {
			if (arg == "--")
				break;
			if (arg == "--help" || arg == "-h") {
				std::fputs(command.help, stdout);
				return finish_output(exit_ok);
			}
		}
		return command.run(options, args);
	}
	std::fprintf(stderr, "ksyms: unknown command '%s'\n", argv[i]);
	print_usage(stderr);
	return exit_usage;
}
