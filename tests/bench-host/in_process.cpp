// SPDX-License-Identifier: BSD-2-Clause
#include "in_process.h"

#include "fixture.h"
#include "llvm_library.h"

#include <ksyms/symbolize.h>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <span>
#include <utility>

namespace ksyms::bench {

namespace {

constexpr int repetitions = 5;
// LLVM answers a few hundred thousand addresses a second: it gets the first
// 100,000 of them, so that its repetitions take as long as the others'.
constexpr size_t llvm_count = 100'000;
constexpr size_t chunk_bytes = 1 << 20;	// as `ksyms symbolize` reads stdin

// The baseline: (address, symbol index) of every sized symbol, sorted, and
// each one's size by position.  The generated image has no nested symbols,
// so the entry before upper_bound() is the only candidate.
struct SortedVector {
	std::vector<std::pair<uint64_t, uint32_t>> starts;
	std::vector<uint64_t> sizes;

	static SortedVector build(const Snapshot &snapshot)
	{
		SortedVector out;
		for (Symbol symbol : snapshot.symbols()) {
			if (symbol.size != 0)
				out.starts.emplace_back(symbol.address,
							symbol.index);
		}
		std::sort(out.starts.begin(), out.starts.end());
		for (auto [address, index] : out.starts)
			out.sizes.push_back(snapshot.symbol(index).size);
		return out;
	}

	// The symbol index, 0 if none covers the address.
	uint32_t find(uint64_t address) const
	{
		auto it = std::upper_bound(starts.begin(), starts.end(),
					   std::pair(address, UINT32_MAX));
		if (it == starts.begin())
			return 0;
		--it;
		size_t pos = it - starts.begin();
		return address - it->first < sizes[pos] ? it->second : 0;
	}
};

SortedVector *sorted;
LlvmLibrary *llvm;
const std::string *address_text;

void set_items(benchmark::State &state, size_t per_iteration)
{
	state.SetItemsProcessed(state.iterations() * per_iteration);
}

// Snapshot::locate() over the addresses in batches: each answer with the
// symbol, its name as a C string, offset and size.
void BM_LibksymsBatch(benchmark::State &state)
{
	const Snapshot &snapshot = *fixture->snapshot;
	std::span<const uint64_t> addresses = fixture->addresses;
	std::vector<AddressLocation> out(state.range(0));
	for (auto _ : state) {
		for (size_t pos = 0; pos < addresses.size(); pos += out.size()) {
			size_t n = std::min(out.size(), addresses.size() - pos);
			snapshot.locate(addresses.subspan(pos, n), out);
			benchmark::DoNotOptimize(out.data());
		}
	}
	set_items(state, addresses.size());
}

template <typename Lookup>
void per_address(benchmark::State &state, size_t count, Lookup lookup)
{
	for (auto _ : state) {
		for (size_t i = 0; i < count; i++) {
			auto result = lookup(fixture->addresses[i]);
			benchmark::DoNotOptimize(result);
		}
	}
	set_items(state, count);
}

void BM_LibksymsLocate(benchmark::State &state)
{
	per_address(state, fixture->addresses.size(), [](uint64_t address) {
		return fixture->snapshot->locate(address);
	});
}

// The full answer: Symbol with its name's length, nm letter and module.
void BM_LibksymsSymbolize(benchmark::State &state)
{
	per_address(state, fixture->addresses.size(), [](uint64_t address) {
		return fixture->snapshot->symbolize(address);
	});
}

void BM_SortedVector(benchmark::State &state)
{
	per_address(state, fixture->addresses.size(), [](uint64_t address) {
		return sorted->find(address);
	});
}

void BM_LlvmLibrary(benchmark::State &state)
{
	per_address(state, llvm_count, [](uint64_t address) {
		return llvm->name_at(address);
	});
}

// One pass of the stdin rewriter over @text, in the chunks the command
// reads: what `ksyms symbolize` spends in process.
void rewrite_all(std::string_view text, std::string &out)
{
	AddressRewriter rewriter(*fixture->snapshot);
	for (size_t pos = 0; pos < text.size(); pos += chunk_bytes) {
		out.clear();
		rewriter.feed(text.substr(pos, chunk_bytes), out);
		benchmark::DoNotOptimize(out.data());
	}
	out.clear();
	rewriter.finish(out);
}

// The stdin mode of `ksyms symbolize` on the synthetic log.
void BM_RewriteLog(benchmark::State &state)
{
	std::string out;
	out.reserve(2 * chunk_bytes + 4096);
	for (auto _ : state)
		rewrite_all(fixture->log, out);
	state.SetBytesProcessed(state.iterations() * fixture->log.size());
}

// The same rewriter on the very text `ksyms symbolize` gets end to end (one
// address a line): what the command spends in process, without starting
// up, reading the image or writing the file.
void BM_RewriteAddressList(benchmark::State &state)
{
	std::string out;
	out.reserve(4 * chunk_bytes + 4096);
	for (auto _ : state)
		rewrite_all(*address_text, out);
	set_items(state, fixture->addresses.size());
}

// Folds one side's answers (`name_of(i)`, nullopt where it has none) for
// the first `count` addresses.
template <typename NameOf>
AnswerCheck check(std::string side, size_t count, NameOf name_of)
{
	AnswerCheck out{std::move(side)};
	out.addresses = count;
	for (size_t i = 0; i < count; i++) {
		std::optional<std::string> name = name_of(i);
		if (!name)
			continue;
		out.answered++;
		out.checksum += name_hash(*name);
		out.expected += name_hash(fixture->names[i]);
	}
	return out;
}

std::vector<AnswerCheck> check_answers()
{
	const Snapshot &snapshot = *fixture->snapshot;
	const std::vector<uint64_t> &addresses = fixture->addresses;
	std::vector<AnswerCheck> checks;

	std::vector<AddressLocation> located(addresses.size());
	snapshot.locate(addresses, located);
	checks.push_back(check("libksyms batch", addresses.size(),
			       [&](size_t i) -> std::optional<std::string> {
		if (!located[i])
			return std::nullopt;
		return located[i].name;
	}));
	checks.push_back(check("sorted vector", addresses.size(),
			       [&](size_t i) -> std::optional<std::string> {
		uint32_t index = sorted->find(addresses[i]);
		if (!index)
			return std::nullopt;
		return std::string(snapshot.symbol(index).name);
	}));
	if (llvm) {
		checks.push_back(check("LLVM library", llvm_count,
				       [&](size_t i) -> std::optional<std::string> {
			std::string name = llvm->name_at(addresses[i]);
			if (name.empty())
				return std::nullopt;
			return name;
		}));
	} else {
		checks.push_back({"LLVM library", false});
	}
	return checks;
}

// What a program pays before its first answer, timed apart from lookups.
void time_set_up(InProcess &out)
{
	std::vector<double> load, index, build, llvm_load;
	for (int i = 0; i < repetitions; i++) {
		auto start = std::chrono::steady_clock::now();
		Expected<Snapshot> snapshot =
			Snapshot::open_file(fixture->image_path);
		load.push_back(seconds_since(start));
		if (!snapshot)
			die(snapshot.error().message());
		start = std::chrono::steady_clock::now();
		benchmark::DoNotOptimize(snapshot->locate(fixture->addresses[0]));
		index.push_back(seconds_since(start));

		start = std::chrono::steady_clock::now();
		SortedVector vector = SortedVector::build(*snapshot);
		build.push_back(seconds_since(start));
		benchmark::DoNotOptimize(vector.starts.data());

		if (std::unique_ptr<LlvmLibrary> fresh =
			    LlvmLibrary::open(fixture->sectioned_path)) {
			start = std::chrono::steady_clock::now();
			benchmark::DoNotOptimize(
				fresh->name_at(fixture->addresses[0]));
			llvm_load.push_back(seconds_since(start));
		}
	}
	out.ksyms_load = spread(load);
	out.ksyms_index = spread(index);
	out.vector_build = spread(build);
	out.llvm_load = spread(llvm_load);
}

// The console output, and each repetition's rate kept by name.
class RateReporter : public benchmark::ConsoleReporter {
public:
	explicit RateReporter(std::map<std::string, std::vector<double>> &rates)
		: rates_(rates) {}

	void ReportRuns(const std::vector<Run> &runs) override
	{
		ConsoleReporter::ReportRuns(runs);
		for (const Run &run : runs) {
			if (run.error_occurred || run.run_type != Run::RT_Iteration)
				continue;
			std::string name = run.run_name.function_name;
			if (!run.run_name.args.empty())
				name += "/" + run.run_name.args;
			for (const char *counter :
			     {"items_per_second", "bytes_per_second"}) {
				auto it = run.counters.find(counter);
				if (it != run.counters.end())
					rates_[name].push_back(it->second.value);
			}
		}
	}

private:
	std::map<std::string, std::vector<double>> &rates_;
};

void add(const char *name, void (*function)(benchmark::State &),
	 long arg = -1)
{
	benchmark::internal::Benchmark *b =
		benchmark::RegisterBenchmark(name, function);
	if (arg >= 0)
		b->Arg(arg);
	b->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.2);
}

// Every benchmark once per round, in the same order each round: the sides
// of a comparison take turns, so a burst of the host's noise lands in one
// side's run, not in all of its repetitions.  (Repetitions() would run
// each benchmark's five back to back.)
void add_rounds()
{
	for (int round = 0; round < repetitions; round++) {
		add("BM_LibksymsBatch", BM_LibksymsBatch, 1024);
		add("BM_LibksymsLocate", BM_LibksymsLocate);
		add("BM_LibksymsSymbolize", BM_LibksymsSymbolize);
		add(vector_name, BM_SortedVector);
		if (llvm)
			add(llvm_name, BM_LlvmLibrary);
		add(rewrite_name, BM_RewriteLog);
		add("BM_RewriteAddressList", BM_RewriteAddressList);
	}
}

} // namespace

InProcess run_in_process()
{
	InProcess out;
	sorted = new SortedVector(SortedVector::build(*fixture->snapshot));
	llvm = LlvmLibrary::open(fixture->sectioned_path).release();
	std::ifstream in(addresses_file(fixture->addresses.size()));
	address_text = new std::string(std::istreambuf_iterator<char>(in), {});
	out.llvm_built = llvm != nullptr;

	add_rounds();

	time_set_up(out);
	out.checks = check_answers();

	std::map<std::string, std::vector<double>> rates;
	RateReporter reporter(rates);
	benchmark::RunSpecifiedBenchmarks(&reporter);
	for (auto &[name, values] : rates)
		out.rates[name] = spread(values);
	return out;
}

} // namespace ksyms::bench
