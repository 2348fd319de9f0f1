// SPDX-License-Identifier: BSD-2-Clause
/*
 * ksyms_bench: how /dev/ksyms compares with /proc/kallsyms, and whether the
 * driver's caching and memory behaviour meet their goals.
 *
 *   ksyms_bench --small-module PATH.ko --sym-module A.ko [--sym-module B.ko]
 *               [--reps N] [--warm-iters N]
 *   ksyms_bench --elf FILE     (walk FILE's symbol table through a read-only
 *                               mapping, as the benchmark walks the image)
 *
 * Runs as root with ksyms.ko loaded. Prints a header line, a markdown table
 * (every line prefixed "# ") and KTAP for the goals; exit 0 only if every
 * goal is met. See tests/bench-vm/Makefile for the build.
 *
 * How it compares:
 *  - Same work on both sides: a consume reads every symbol's address,
 *    kallsyms letter and name bytes into a checksum, on the device through
 *    libelf (the symbol table, its string table read in place, the image's
 *    .ksyms.kallsyms letters), on /proc/kallsyms by parsing one read()
 *    buffer in place, both with checksum.h's scan; the checksums of
 *    every run must agree, each comparison's agreement a KTAP test. The
 *    "pointers only" rows keep (address, name pointer) and read no name
 *    byte; their checksum covers the addresses alone.
 *  - Warm, cold (after vm.drop_caches, the driver's shrinker) and after an
 *    idle drop (the idle timer, which also forgets the privilege answers),
 *    each end to end, with the page faults of every run.
 *  - The two sides of a comparison run in turns (ABAB...), as many runs
 *    each; every figure is min / median / max of its runs, and ratios and
 *    goals use the medians. Fast operations are batches of --warm-iters,
 *    each batch's mean one run.
 *
 * One job per file, each header declaring what the others use:
 *   ksyms_bench.cpp    this comment, the command line, the sections in order
 *   sections.h         the sections: baselines.cpp (1-3), bpf.cpp (4),
 *                      module_churn.cpp and holders.cpp (5), memory_back.cpp,
 *                      memory_accounting.cpp and memory_pressure.cpp (6),
 *                      scale.cpp (7), openers.cpp (9) and, last as it
 *                      reloads the driver, module_load.cpp (8)
 *   compare.h          runs in turns, and the rows every comparison adds
 *   consume.h          the consumes compared, over elf_symtab.h (the image
 *                      through libelf) and kallsyms_text.h (the text parsed
 *                      in place), both summed by checksum.h
 *   report.h           the table and the KTAP
 *   timing.h           one run's time, and min / median / max
 *   driver_state.h     the driver's counters, kernel memory, drop_caches
 *   modules.h, files.h, result.h, options.h: loading modules, descriptors,
 *                      errors as values, the settings
 */

#include "consume.h"
#include "driver_state.h"
#include "elf_symtab.h"
#include "files.h"
#include "options.h"
#include "report.h"
#include "result.h"
#include "sections.h"

#include <linux/ksyms.h>

#include <fcntl.h>
#include <libelf.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace bench {
namespace {

const char usage[] =
	"usage: ksyms_bench --small-module PATH.ko --sym-module A.ko [--sym-module B.ko ...]\n"
	"                   [--reps N] [--warm-iters N]\n"
	"       ksyms_bench --elf FILE\n";

Result<int> positive(const char *s)
{
	int v = 0;
	auto [p, ec] = std::from_chars(s, s + std::strlen(s), v);
	if (ec != std::errc() || *p || v < 1)
		return Error{std::string("not a positive number: ") + s};
	return v;
}

Result<Options> parse_args(std::span<char *> args)
{
	Options o;
	for (std::size_t i = 1; i < args.size(); i += 2) {
		std::string_view a = args[i];
		if (i + 1 >= args.size())
			return Error{"missing value for " + std::string(a)};
		const char *v = args[i + 1];
		if (a == "--small-module") {
			o.small_module = v;
		} else if (a == "--sym-module") {
			o.sym_modules.emplace_back(v);
		} else if (a == "--reps" || a == "--warm-iters") {
			auto n = positive(v);
			if (!n.ok())
				return n.error();
			(a == "--reps" ? o.reps : o.warm_iters) = *n;
		} else {
			return Error{"unknown argument " + std::string(a)};
		}
	}
	if (o.small_module.empty() || o.sym_modules.empty())
		return Error{"--small-module and at least one --sym-module are required"};
	return o;
}

// --elf FILE: the image walk over a PROT_READ mapping of any ELF64 file.
int walk_file(const char *path)
{
	auto fd = open_path(path, O_RDONLY);
	struct stat st{};
	if (!fd.ok() || fstat(fd->get(), &st) != 0) {
		std::printf("# error: %s\n", describe(fd.ok() ? errno_error("fstat") : fd.error()).c_str());
		return 1;
	}
	void *map = mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd->get(), 0);
	if (map == MAP_FAILED) {
		std::printf("# error: %s\n", describe(errno_error("mmap")).c_str());
		return 1;
	}
	Symbols syms;
	auto s = walk_symtab({static_cast<const char *>(map), std::size_t(st.st_size)}, syms);
	munmap(map, st.st_size);
	if (!s.ok()) {
		std::printf("# error: %s: %s\n", path, describe(s.error()).c_str());
		return 1;
	}
	std::printf("# %s: %zu symbols, read through a PROT_READ mapping\n", path, syms.size());
	return 0;
}

void print_header(std::size_t symbols)
{
	utsname u{};
	uname(&u);
	std::printf("# ksyms-bench kernel=%s cpus=%ld machine=%s symbols=%zu\n", u.release,
		    sysconf(_SC_NPROCESSORS_ONLN), u.machine, symbols);
}

// Fail before measuring for minutes: the device and every module file.
Status preflight(const Options &o)
{
	auto fd = open_path(KSYMS_PATH, O_RDONLY);
	if (!fd.ok())
		return fd.error();
	if (auto st = read_stats(); !st.ok())
		return st.error();
	if (auto old = read_file(idle_param); !old.ok())
		return old.error();
	std::vector<std::string> files = o.sym_modules;
	files.push_back(o.small_module);
	for (const std::string &f : files)
		if (auto m = open_path(f, O_RDONLY); !m.ok())
			return m.error();
	return success();
}

int run(const Options &o)
{
	Report rep;
	auto kallsyms = consume_kallsyms();
	print_header(kallsyms.ok() ? kallsyms->count : 0);
	if (auto s = preflight(o); !s.ok()) {
		rep.fail("setup", s.error());
		rep.print();
		return 1;
	}
	auto p0 = bench_baselines(o, rep);
	if (!p0.ok()) {
		rep.fail("baselines", p0.error());
		rep.print();
		return 1;
	}
	if (auto s = bench_bpf(o, *p0, rep); !s.ok())
		rep.fail("bpf", s.error());
	if (auto s = bench_module_churn(o, rep); !s.ok())
		rep.fail("module_churn", s.error());
	if (auto s = bench_holders(rep); !s.ok())
		rep.fail("holders", s.error());
	if (auto s = bench_memory_back(rep); !s.ok())
		rep.fail("memory_back", s.error());
	if (auto s = bench_memory_accounting(rep); !s.ok())
		rep.fail("memory_accounting", s.error());
	if (auto s = bench_memory_pressure(rep); !s.ok())
		rep.fail("memory_pressure", s.error());
	if (auto s = bench_scale(o, *p0, rep); !s.ok())
		rep.fail("scale", s.error());
	if (auto s = bench_openers(o, rep); !s.ok())
		rep.fail("openers", s.error());
	if (auto s = bench_module_load(o, *p0, rep); !s.ok())
		rep.fail("module_load", s.error());
	rep.print();
	return rep.all_met() ? 0 : 1;
}

// Everything but the last-resort handler for exceptions (std::bad_alloc).
int bench_main(std::span<char *> args)
{
	if (elf_version(EV_CURRENT) == EV_NONE) {
		std::printf("# error: elf_version: %s\n", elf_errmsg(-1));
		return 1;
	}
	if (args.size() == 3 && std::string_view(args[1]) == "--elf")
		return walk_file(args[2]);
	auto o = parse_args(args);
	if (!o.ok()) {
		std::fprintf(stderr, "ksyms_bench: %s\n%s", describe(o.error()).c_str(), usage);
		return 2;
	}
	return run(*o);
}

} // namespace
} // namespace bench

int main(int argc, char **argv)
{
	try {
		return bench::bench_main({argv, std::size_t(argc)});
	} catch (const std::exception &e) {
		std::printf("# error: %s\nnot ok 1 ksyms_bench # %s\n", e.what(), e.what());
		return 1;
	}
}
