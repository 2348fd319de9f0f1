// SPDX-License-Identifier: GPL-2.0
// How fast libksyms turns addresses into symbols (the goal: at least 20
// million a second on one core, and 100 MB/s of log text through the stdin
// rewriter), next to llvm-symbolizer and addr2line on the same saved image
// and the same addresses, in one run.
//
//   bench_symbolize [--benchmark_filter=...]     (Google Benchmark flags)
//
// The image is generated (kernel_image.h, fixed seed) into
// $KSYMS_BENCH_DIR, by default .cache/bench-symbolize in the source tree,
// and reused when it is already there.  The external tools run as child
// processes with the addresses on stdin; their time includes starting up
// and reading the image, as a user of them would see it.
//
// It ends with the goals as KTAP lines (tests/run.sh counts them) and
// exits 1 if one is missed or a comparison did not run.
#include "kernel_image.h"

#include <ksyms/snapshot.h>
#include <ksyms/symbolize.h>

#include <benchmark/benchmark.h>
#include <elf.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <span>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern char **environ;

namespace ksyms::bench {

namespace {

constexpr size_t lookup_count = 1'000'000;	// addresses for libksyms
constexpr size_t tool_count = 100'000;	// of those, for the child processes
// addr2line with symbols it can use scans the symbol table for every
// address (about 1,000 a second here), so it gets fewer.
constexpr size_t slow_tool_count = 2'000;
constexpr size_t log_bytes = 32 << 20;	// synthetic dmesg size
constexpr size_t chunk_bytes = 1 << 20;	// as `ksyms symbolize` reads stdin

struct Fixture {
	std::string dir;
	std::string image_path;
	std::string sectioned_path;	// the same symbols, for the other tools
	std::optional<Snapshot> snapshot;
	std::vector<uint64_t> addresses;
	std::string log;
};

Fixture *fixture;

[[noreturn]] void die(const std::string &what)
{
	std::fprintf(stderr, "bench_symbolize: %s\n", what.c_str());
	std::exit(2);
}

// A dmesg-like log: timestamps, oops register dumps, call traces with raw
// kernel addresses, and plenty of hex words that are not kernel addresses.
std::string make_log(const std::vector<uint64_t> &addresses, size_t bytes)
{
	std::mt19937_64 random(6);
	std::string log;
	log.reserve(bytes + 256);
	char line[256];
	size_t next = 0;
	double seconds = 0;
	auto address = [&] { return addresses[next++ % addresses.size()]; };
	while (log.size() < bytes) {
		seconds += (random() % 1000) / 1e6;
		int n = 0;
		switch (random() % 8) {
		case 0:
			n = std::snprintf(line, sizeof(line),
					  "[%12.6f] RIP: 0010:[<%016" PRIx64
					  ">] %016" PRIx64 "\n",
					  seconds, address(), address());
			break;
		case 1:
			n = std::snprintf(line, sizeof(line),
					  "[%12.6f] RSP: 0018:ffffc90000%06" PRIx64
					  " EFLAGS: 00010246\n",
					  seconds, random() % 0xffffff);
			break;
		case 2:
			n = std::snprintf(line, sizeof(line),
					  "[%12.6f] RAX: 0000000000000000 RBX: "
					  "ffff888003a1%04" PRIx64
					  " RCX: 0x%" PRIx64 "\n",
					  seconds, random() % 0xffff, address());
			break;
		case 3:
		case 4:
			n = std::snprintf(line, sizeof(line),
					  "[%12.6f]  ? 0x%" PRIx64 "\n", seconds,
					  address());
			break;
		default:
			n = std::snprintf(line, sizeof(line),
					  "[%12.6f] usb 1-1: new high-speed USB "
					  "device number %d using xhci_hcd, "
					  "status 0x%x\n",
					  seconds, static_cast<int>(random() % 128),
					  static_cast<unsigned>(random() % 256));
			break;
		}
		log.append(line, n);
	}
	return log;
}

// The first `count` addresses, one per line, for the tools' stdin.
std::string addresses_file(size_t count)
{
	return fixture->dir + "/addresses-v1-" + std::to_string(count) + ".txt";
}

void set_up()
{
	fixture = new Fixture;
	const char *dir = std::getenv("KSYMS_BENCH_DIR");
	fixture->dir = dir ? dir : KSYMS_REPO_DIR "/.cache/bench-symbolize";
	std::filesystem::create_directories(fixture->dir);
	// The generator's version is in the name: a changed generator makes a
	// new file rather than measuring a stale one.
	fixture->image_path = fixture->dir + "/kernel-v1.elf";
	fixture->sectioned_path = fixture->dir + "/kernel-v1-sections.elf";

	std::vector<test::TestSymbol> symbols = kernel_symbols();
	if (!std::filesystem::exists(fixture->image_path)) {
		std::string temporary = fixture->image_path + ".tmp";
		test::write_image(temporary, symbols);
		std::filesystem::rename(temporary, fixture->image_path);
	}
	if (!std::filesystem::exists(fixture->sectioned_path)) {
		std::string temporary = fixture->sectioned_path + ".tmp";
		write_sectioned_image(temporary, symbols);
		std::filesystem::rename(temporary, fixture->sectioned_path);
	}
	fixture->addresses = addresses_inside(symbols, lookup_count);

	for (size_t count : {tool_count, slow_tool_count}) {
		std::string text;
		char line[32];
		for (size_t i = 0; i < count; i++) {
			int n = std::snprintf(line, sizeof(line),
					      "0x%" PRIx64 "\n",
					      fixture->addresses[i]);
			text.append(line, n);
		}
		test::write_file(addresses_file(count), text);
	}

	Expected<Snapshot> snapshot = Snapshot::open_file(fixture->image_path);
	if (!snapshot)
		die(snapshot.error().message());
	fixture->snapshot.emplace(std::move(*snapshot));
	fixture->log = make_log(fixture->addresses, log_bytes);
	std::fprintf(stderr,
		     "image %s: %zu symbols; %zu addresses; log %zu bytes\n",
		     fixture->image_path.c_str(),
		     fixture->snapshot->symbol_count(), fixture->addresses.size(),
		     fixture->log.size());
}

// Items per second, and the share of the addresses a symbol was found for.
void report_found(benchmark::State &state, size_t found)
{
	double total = static_cast<double>(state.iterations()) *
		       fixture->addresses.size();
	state.SetItemsProcessed(state.iterations() * fixture->addresses.size());
	state.counters["found"] = found / total;
}

// One `lookup(address)` a fixture address; its result tests true when a
// symbol covers the address.
template <typename Lookup>
void per_address(benchmark::State &state, Lookup lookup)
{
	size_t found = 0;
	for (auto _ : state) {
		for (uint64_t address : fixture->addresses) {
			auto result = lookup(address);
			benchmark::DoNotOptimize(result);
			found += static_cast<bool>(result);
		}
	}
	report_found(state, found);
}

// The goal's measure: Snapshot::locate() over the addresses in batches,
// each answer with the symbol, its name as a C string, offset and size.
void BM_Symbolize(benchmark::State &state)
{
	const Snapshot &snapshot = *fixture->snapshot;
	std::span<const uint64_t> addresses = fixture->addresses;
	std::vector<AddressLocation> out(state.range(0));
	size_t found = 0;
	for (auto _ : state) {
		for (size_t pos = 0; pos < addresses.size(); pos += out.size()) {
			std::span<const uint64_t> batch =
				addresses.subspan(pos, std::min(out.size(),
								addresses.size() - pos));
			snapshot.locate(batch, out);
			benchmark::DoNotOptimize(out.data());
			for (size_t i = 0; i < batch.size(); i++)
				found += out[i].symbol != 0;
		}
	}
	report_found(state, found);
}
BENCHMARK(BM_Symbolize)->Arg(1024)->Unit(benchmark::kMillisecond);

// One locate() call per address.
void BM_Locate(benchmark::State &state)
{
	const Snapshot &snapshot = *fixture->snapshot;
	per_address(state, [&](uint64_t address) {
		return snapshot.locate(address);
	});
}
BENCHMARK(BM_Locate)->Unit(benchmark::kMillisecond);

// The full answer symbolize() gives: Symbol with its name's length,
// nm letter and the module.
void BM_SymbolizeMatch(benchmark::State &state)
{
	const Snapshot &snapshot = *fixture->snapshot;
	per_address(state, [&](uint64_t address) {
		return snapshot.symbolize(address);
	});
}
BENCHMARK(BM_SymbolizeMatch)->Unit(benchmark::kMillisecond);

// The stdin mode of `ksyms symbolize` on the synthetic log, in the chunks
// the command reads.
void BM_RewriteLog(benchmark::State &state)
{
	const Snapshot &snapshot = *fixture->snapshot;
	std::string_view log = fixture->log;
	std::string out;
	out.reserve(2 * chunk_bytes + 4096);
	uint64_t rewritten = 0;
	for (auto _ : state) {
		AddressRewriter rewriter(snapshot);
		for (size_t pos = 0; pos < log.size(); pos += chunk_bytes) {
			out.clear();
			rewriter.feed(log.substr(pos, chunk_bytes), out);
			benchmark::DoNotOptimize(out.data());
		}
		out.clear();
		rewriter.finish(out);
		rewritten += rewriter.rewritten();
	}
	state.SetBytesProcessed(state.iterations() * log.size());
	state.counters["addresses"] = static_cast<double>(rewritten) /
				      state.iterations();
}
BENCHMARK(BM_RewriteLog)->Unit(benchmark::kMillisecond);

// Runs argv with stdin from `input`; returns its stdout.
std::string run_tool(const std::vector<std::string> &argv,
		     const std::string &input)
{
	int pipe_fds[2];
	if (pipe(pipe_fds) != 0)
		die("pipe");
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, input.c_str(),
					 O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
	posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
	std::vector<char *> args;
	for (const std::string &arg : argv)
		args.push_back(const_cast<char *>(arg.c_str()));
	args.push_back(nullptr);
	pid_t pid;
	int error = posix_spawn(&pid, args[0], &actions, nullptr, args.data(),
				environ);
	posix_spawn_file_actions_destroy(&actions);
	close(pipe_fds[1]);
	if (error != 0) {
		close(pipe_fds[0]);
		die(argv[0] + ": cannot run it");
	}
	std::string out;
	char buffer[1 << 16];
	for (;;) {
		ssize_t got = read(pipe_fds[0], buffer, sizeof(buffer));
		if (got <= 0)
			break;
		out.append(buffer, got);
	}
	close(pipe_fds[0]);
	int status;
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die(argv[0] + ": failed");
	return out;
}

// The share of the tool's answers that name the symbol libksyms names: the
// tool prints `lines_per_address` lines per address, the name first.  With
// `functions_only`, only the addresses inside functions count (addr2line
// -f names functions only).
double agreement(const std::string &out, size_t count,
		 size_t lines_per_address, bool functions_only)
{
	size_t agree = 0, asked = 0, line_number = 0, address = 0;
	std::string_view rest = out;
	while (!rest.empty() && address < count) {
		size_t end = rest.find('\n');
		std::string_view line = rest.substr(0, end);
		rest.remove_prefix(end == std::string_view::npos ? rest.size() :
								   end + 1);
		if (line_number++ % lines_per_address != 0)
			continue;
		auto match = fixture->snapshot->symbolize(
			fixture->addresses[address++]);
		if (functions_only && (!match || match->symbol.type != STT_FUNC))
			continue;
		asked++;
		agree += match && match->symbol.name == line;
	}
	return asked ? static_cast<double>(agree) / asked : 0;
}

void run_tool_benchmark(benchmark::State &state,
			const std::vector<std::string> &argv, size_t count,
			size_t lines_per_address, bool functions_only)
{
	if (access(argv[0].c_str(), X_OK) != 0) {
		state.SkipWithError((argv[0] + " not found").c_str());
		for (auto _ : state) {
		}
		return;
	}
	std::string out;
	for (auto _ : state) {
		auto start = std::chrono::steady_clock::now();
		out = run_tool(argv, addresses_file(count));
		std::chrono::duration<double> elapsed =
			std::chrono::steady_clock::now() - start;
		state.SetIterationTime(elapsed.count());
	}
	state.SetItemsProcessed(state.iterations() * count);
	state.counters["addresses"] = count;
	state.counters["agree"] =
		agreement(out, count, lines_per_address, functions_only);
}

// llvm-symbolizer prints the function, then file:line:column, then a blank
// line for each address.  Argument 0: the saved image itself; 1: the same
// symbols in sections (see write_sectioned_image()).
void BM_LlvmSymbolizer(benchmark::State &state)
{
	const std::string &image = state.range(0) ? fixture->sectioned_path :
						    fixture->image_path;
	run_tool_benchmark(state, {"/usr/bin/llvm-symbolizer", "--obj=" + image},
			   tool_count, 3, false);
}
BENCHMARK(BM_LlvmSymbolizer)
	->ArgName("sections")
	->Arg(0)
	->Arg(1)
	->Unit(benchmark::kMillisecond)
	->UseManualTime()
	->Iterations(1);

// addr2line -f prints the function, then file:line; it names functions
// only, so only addresses inside functions are compared.
void BM_Addr2line(benchmark::State &state)
{
	const std::string &image = state.range(0) ? fixture->sectioned_path :
						    fixture->image_path;
	run_tool_benchmark(state, {"/usr/bin/addr2line", "-f", "-e", image},
			   state.range(0) ? slow_tool_count : tool_count, 2, true);
}
BENCHMARK(BM_Addr2line)
	->ArgName("sections")
	->Arg(0)
	->Arg(1)
	->Unit(benchmark::kMillisecond)
	->UseManualTime()
	->Iterations(1);

// The console output, then a summary: addresses a second against
// libksyms's, and the share of answers that name libksyms's symbol.
class SummaryReporter : public benchmark::ConsoleReporter {
public:
	void ReportRuns(const std::vector<Run> &runs) override
	{
		ConsoleReporter::ReportRuns(runs);
		for (const Run &run : runs) {
			if (run.error_occurred || run.run_type != Run::RT_Iteration)
				continue;
			auto counter = [&](const char *name) {
				auto it = run.counters.find(name);
				return it == run.counters.end() ? -1.0 :
								  it->second.value;
			};
			std::string name = run.benchmark_name();
			name = name.substr(0, name.find("/iterations:"));
			double share = counter("agree");
			if (share < 0)
				share = counter("found");
			if (double items = counter("items_per_second"); items > 0)
				items_.push_back({name, items, share});
			if (double bytes = counter("bytes_per_second"); bytes > 0)
				bytes_.push_back({name, bytes, -1});
		}
	}

	void Finalize() override
	{
		ConsoleReporter::Finalize();
		double reference = 0;
		for (const Row &row : items_) {
			if (row.name == "BM_Symbolize/1024")
				reference = row.rate;
		}
		std::printf("\n%-30s %14s %12s %10s\n", "tool", "addresses/s",
			    "vs libksyms", "answered");
		for (const Row &row : items_) {
			std::printf("%-30s %14.0f", row.name.c_str(), row.rate);
			if (reference > 0)
				std::printf(" %11.4fx", row.rate / reference);
			else
				std::printf(" %12s", "");
			if (row.share >= 0)
				std::printf(" %9.1f%%", 100 * row.share);
			std::printf("\n");
		}
		for (const Row &row : bytes_)
			std::printf("%-30s %9.1f MB/s (10^6 bytes)\n",
				    row.name.c_str(), row.rate / 1e6);
		report_goals(reference);
	}

	// False when a goal was missed or a comparison did not run.
	bool passed() const { return failed_ == 0; }

private:
	struct Row {
		std::string name;
		double rate;
		double share;	// answers found or agreeing; -1: none
	};

	const Row *find(const std::vector<Row> &rows, const std::string &name) const
	{
		for (const Row &row : rows)
			if (row.name == name)
				return &row;
		return nullptr;
	}

	void ktap(bool ok, const std::string &name, const std::string &detail)
	{
		std::printf("%sok %d %s # %s\n", ok ? "" : "not ", ++tests_,
			    name.c_str(), detail.c_str());
		failed_ += !ok;
	}

	// A comparison counts when the tool ran on the same addresses and
	// named the same symbols for nearly all of them.
	void report_comparison(const std::string &test, const std::string &run,
			       double reference)
	{
		const Row *row = find(items_, run);
		char detail[160];
		if (!row) {
			ktap(false, test, run + " did not run");
			return;
		}
		std::snprintf(detail, sizeof(detail),
			      "%.0f addresses/s, libksyms %.0fx faster; the "
			      "same symbol for %.1f%% (goal >= 99%%)",
			      row->rate, reference / row->rate,
			      100 * row->share);
		ktap(row->share >= 0.99, test, detail);
	}

	// The goals, as KTAP lines after the tables.
	void report_goals(double reference)
	{
		const Row *rewrite = find(bytes_, "BM_RewriteLog");
		char detail[160];

		std::printf("\nKTAP version 1\n1..4\n");
		std::snprintf(detail, sizeof(detail),
			      "%.1f million addresses/s on one core (goal >= 20)",
			      reference / 1e6);
		ktap(reference >= 20e6, "symbolize_addresses_per_second", detail);
		std::snprintf(detail, sizeof(detail),
			      "%.1f MB/s of log text (goal >= 100)",
			      rewrite ? rewrite->rate / 1e6 : 0.0);
		ktap(rewrite && rewrite->rate >= 100e6, "symbolize_stdin_rate",
		     detail);
		report_comparison("same_run_llvm_symbolizer",
				  "BM_LlvmSymbolizer/sections:1", reference);
		report_comparison("same_run_addr2line",
				  "BM_Addr2line/sections:1", reference);
	}

	std::vector<Row> items_;
	std::vector<Row> bytes_;
	int tests_ = 0;
	int failed_ = 0;
};

} // namespace

} // namespace ksyms::bench

int main(int argc, char **argv)
{
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return 1;
	ksyms::bench::set_up();
	ksyms::bench::SummaryReporter reporter;
	benchmark::RunSpecifiedBenchmarks(&reporter);
	benchmark::Shutdown();
	return reporter.passed() ? 0 : 1;
}
