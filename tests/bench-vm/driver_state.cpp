// SPDX-License-Identifier: BSD-2-Clause
// What driver_state.h declares, through the selftests' helpers.

#include "driver_state.h"

#include <string>

namespace bench {

Result<DriverStats> read_stats()
{
	DriverStats st;
	if (int err = ksu_stats_read(&st.raw); err)
		return Error{"read " KSU_DEBUGFS "/stats", -err};
	return st;
}

Result<std::int64_t> kernel_memory()
{
	std::int64_t kib = 0;
	for (const char *name : {"Slab", "VmallocUsed", "PageTables", "KernelStack"}) {
		long v = ksu_meminfo_kb(name);
		if (v < 0)
			return Error{std::string("/proc/meminfo ") + name, int(-v)};
		kib += v;
	}
	return kib * 1024;
}

Status drop_caches()
{
	if (int err = ksu_drop_caches(2); err)	// 2: slab objects, the shrinkers
		return Error{"write /proc/sys/vm/drop_caches", -err};
	auto st = read_stats();
	if (!st.ok())
		return st.error();
	if (st->stat("vmlinux_bytes") != 0)
		return Error{fmt("drop_caches left vmlinux_bytes %llu",
				 (unsigned long long)st->stat("vmlinux_bytes"))};
	return success();
}

} // namespace bench
