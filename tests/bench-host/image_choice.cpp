// SPDX-License-Identifier: BSD-2-Clause
#include "image_choice.h"

#include "fixture.h"

#include <ksyms/snapshot.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string_view>

namespace ksyms::bench {

namespace {

std::string hex(uint64_t value)
{
	char text[17];
	std::snprintf(text, sizeof(text), "%016" PRIx64, value);
	return text;
}

// Each benchmark VM run saves a new image (module addresses change from
// boot to boot): only the current one's files are kept.
void remove_other_live_dirs(const std::string &base, const std::string &keep)
{
	for (const auto &entry : std::filesystem::directory_iterator(base)) {
		std::string name = entry.path().filename();
		if (name.starts_with("live-") && entry.path() != keep)
			std::filesystem::remove_all(entry.path());
	}
}

} // namespace

std::optional<LiveImage> live_image(const std::string &base)
{
	const char *path = std::getenv("KSYMS_BENCH_IMAGE");
	if (!path || !*path)
		return std::nullopt;
	Expected<Snapshot> snapshot = Snapshot::open_file(path);
	if (!snapshot)
		die(snapshot.error().message());
	const std::span<const std::byte> bytes = snapshot->image();
	LiveImage live;
	live.path = path;
	live.dir = base + "/live-" +
		   hex(name_hash({reinterpret_cast<const char *>(bytes.data()),
				  bytes.size()}));
	std::filesystem::create_directories(live.dir);
	remove_other_live_dirs(base, live.dir);
	live.symbols.reserve(snapshot->symbol_count());
	for (const Symbol &symbol : snapshot->symbols())
		live.symbols.push_back({std::string(symbol.name), symbol.address,
					symbol.size, symbol.type,
					symbol.binding});
	return live;
}

std::string image_label(const std::optional<LiveImage> &live)
{
	const char *label = std::getenv("KSYMS_BENCH_IMAGE_LABEL");
	if (label && *label)
		return label;
	return live ? "live: " + live->path :
		      "generated (kernel_image.h, fixed seed)";
}

} // namespace ksyms::bench
