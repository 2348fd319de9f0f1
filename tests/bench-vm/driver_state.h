// SPDX-License-Identifier: BSD-2-Clause
// What the benchmark reads of the driver and the kernel beside the device:
// the driver's counters, the kernel's memory, and the shrinker's drop.
#ifndef KSYMS_BENCH_VM_DRIVER_STATE_H
#define KSYMS_BENCH_VM_DRIVER_STATE_H

// The selftests' helpers (selftests/ksyms_util.c, linked in): the driver's
// stats, /proc/meminfo and vm.drop_caches are read as the selftests read them.
#include "ksyms_util.h"
#include "result.h"

#include <cstdint>

namespace bench {

inline constexpr const char *idle_param = KSU_IDLE_PARAM;

// The driver's counters as its debugfs stats file shows them, by name. A
// name the driver does not show aborts the benchmark (ksu_stat()).
struct DriverStats {
	ksu_stats raw;
	std::uint64_t stat(const char *name) const { return std::uint64_t(ksu_stat(&raw, name)); }
	std::uint64_t held_bytes() const { return stat("snapshot_bytes") + stat("vmlinux_bytes"); }
};

Result<DriverStats> read_stats();

// Slab + VmallocUsed + PageTables + KernelStack, in bytes.
Result<std::int64_t> kernel_memory();

// The driver's shrinker drops the cached snapshot and vmlinux table.
Status drop_caches();

} // namespace bench

#endif
