// SPDX-License-Identifier: BSD-2-Clause
// Section 6: the memory the driver caches comes back to the kernel.

#include "driver_state.h"
#include "files.h"
#include "sections.h"

#include <linux/ksyms.h>

#include <fcntl.h>

#include <cstdint>
#include <string>

namespace bench {

namespace {

struct MemState {
	std::int64_t kernel;	// bytes
	DriverStats driver;
};

Result<MemState> mem_state()
{
	auto k = kernel_memory();
	auto d = read_stats();
	if (const Error *e = first_error(k, d))
		return *e;
	return MemState{*k, *d};
}

// One "memory comes back" step: held -> released.
void memory_back(Report &rep, const std::string &name, const std::string &held_how,
		 const MemState &held, const std::string &how, const MemState &gone)
{
	double fell = double(held.kernel - gone.kernel), bytes = double(held.driver.held_bytes());
	double r = bytes > 0 ? fell / bytes : 0;
	rep.row({held_how, "driver " + human_bytes(bytes), "kernel memory",
		 human_bytes(double(held.kernel)), "", "", ""});
	rep.check(name, {how, "driver " + human_bytes(double(gone.driver.held_bytes())) +
			 ", kernel memory fell " + human_bytes(fell), "driver bytes held",
			 human_bytes(bytes), ratio_text(r) + " (fell/held)", "driver 0 B, >= 0.8", ""},
		  gone.driver.held_bytes() == 0 && bytes > 0 && r >= 0.8);
}

// Close, then have the idle timer drop everything the driver caches.
Result<MemState> idle_drop(Fd fd)
{
	if (auto s = fd.close(); !s.ok())
		return s.error();
	if (int err = ksu_cache_drop_idle(); err)
		return Error{"idle drop", -err};
	return mem_state();
}

} // namespace

// 6: the shrinker and the idle timer give the memory back.
Status bench_memory_back(Report &rep)
{
	if (auto s = open_close(KSYMS_PATH); !s.ok())	// the cache holds it
		return s;
	auto cached = mem_state();
	if (!cached.ok())
		return cached.error();
	if (auto s = drop_caches(); !s.ok())
		return s;
	auto shrunk = mem_state();
	if (!shrunk.ok())
		return shrunk.error();
	memory_back(rep, "shrinker_gives_memory_back", "(a) cache held, no open", *cached,
		    "(b) drop_caches", *shrunk);

	auto fd = open_path(KSYMS_PATH, O_RDONLY);	// rebuild, held by fd
	if (!fd.ok())
		return fd.error();
	auto rebuilt = mem_state();
	if (!rebuilt.ok())
		return rebuilt.error();
	auto idle = idle_drop(std::move(*fd));
	if (!idle.ok())
		return idle.error();
	memory_back(rep, "idle_drop_gives_memory_back", "(c) rebuilt, held by an open", *rebuilt,
		    "(c) idle drop (idle_drop_secs=1)", *idle);
	rep.row({"drops counted", fmt("shrinker %llu, idle %llu",
		 (unsigned long long)idle->driver.stat("drops_shrinker"),
		 (unsigned long long)idle->driver.stat("drops_idle")),
		 "", "", "", "", ""});
	return success();
}

} // namespace bench
