// SPDX-License-Identifier: BSD-2-Clause
#include "fixture.h"

#include "image_choice.h"
#include "kernel_image.h"
#include "synthetic_log.h"

#include <elf.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

namespace ksyms::bench {

Fixture *fixture;

namespace {

constexpr size_t address_count = 1'000'000;
constexpr size_t log_bytes = 32 << 20;

// Written once per file, atomically, so that an interrupted run never
// leaves a half-written image to be measured next time.
template <typename Write>
void make_once(const std::string &path, Write write)
{
	if (std::filesystem::exists(path))
		return;
	std::string temporary = path + ".tmp";
	write(temporary);
	std::filesystem::rename(temporary, path);
}

} // namespace

void die(const std::string &what)
{
	std::fprintf(stderr, "bench_symbolize: %s\n", what.c_str());
	std::exit(2);
}

uint64_t name_hash(std::string_view name)
{
	// FNV-1a, then a final mix so that sums of hashes do not cancel.
	uint64_t hash = 0xcbf29ce484222325ull;
	for (unsigned char c : name)
		hash = (hash ^ c) * 0x100000001b3ull;
	hash ^= hash >> 33;
	hash *= 0xff51afd7ed558ccdull;
	return hash ^ (hash >> 33);
}

const std::string &addresses_file(size_t count)
{
	static std::map<size_t, std::string> files;
	auto [it, made] = files.try_emplace(count);
	if (!made)
		return it->second;
	// The generator's version is in the name: a changed generator makes a
	// new file rather than measuring a stale one.
	it->second = fixture->dir + "/addresses-v1-" + std::to_string(count) +
		     ".txt";
	make_once(it->second, [&](const std::string &path) {
		std::string text;
		char line[32];
		for (size_t i = 0; i < count; i++) {
			int n = std::snprintf(line, sizeof(line),
					      "0x%" PRIx64 "\n",
					      fixture->addresses[i]);
			text.append(line, n);
		}
		test::write_file(path, text);
	});
	return it->second;
}

void set_up()
{
	fixture = new Fixture;
	const char *dir = std::getenv("KSYMS_BENCH_DIR");
	fixture->dir = dir ? dir : KSYMS_REPO_DIR "/.cache/bench-symbolize";
	fixture->ksyms_command = KSYMS_COMMAND;
	std::filesystem::create_directories(fixture->dir);
	std::optional<LiveImage> live = live_image(fixture->dir);
	fixture->image_label = image_label(live);
	std::vector<test::TestSymbol> symbols;
	if (live) {
		// Its typed sections are what the other tools need.
		fixture->dir = live->dir;
		fixture->image_path = fixture->sectioned_path = live->path;
		symbols = std::move(live->symbols);
	} else {
		fixture->image_path = fixture->dir + "/kernel-v1.elf";
		fixture->sectioned_path = fixture->dir + "/kernel-v1-sections.elf";
		symbols = kernel_symbols();
		make_once(fixture->image_path, [&](const std::string &path) {
			test::write_image(path, symbols);
		});
		make_once(fixture->sectioned_path, [&](const std::string &path) {
			write_sectioned_image(path, symbols);
		});
	}
	fixture->addresses = addresses_inside(symbols, address_count);

	Expected<Snapshot> snapshot = Snapshot::open_file(fixture->image_path);
	if (!snapshot)
		die(snapshot.error().message());
	fixture->snapshot.emplace(std::move(*snapshot));
	for (uint64_t address : fixture->addresses) {
		auto match = fixture->snapshot->symbolize(address);
		fixture->names.push_back(match ? match->symbol.name : "");
		fixture->in_function.push_back(match &&
					       match->symbol.type == STT_FUNC);
	}
	fixture->log = make_log(fixture->addresses, log_bytes);
	std::printf("image: %s; %zu symbols\n", fixture->image_label.c_str(),
		    fixture->snapshot->symbol_count());
	std::fprintf(stderr,
		     "image %s: %zu symbols; %zu addresses; log %zu bytes\n",
		     fixture->image_path.c_str(),
		     fixture->snapshot->symbol_count(), fixture->addresses.size(),
		     fixture->log.size());
}

} // namespace ksyms::bench
