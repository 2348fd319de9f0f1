// SPDX-License-Identifier: BSD-2-Clause
#include "huge_page_heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

namespace ksyms::tool {

namespace {

constexpr uintptr_t huge_page = uintptr_t(2) << 20;
constexpr int growth_step = 64 << 20;

uintptr_t heap_end()
{
	return reinterpret_cast<uintptr_t>(sbrk(0));
}

} // namespace

HugePageHeap::HugePageHeap(bool wanted) : wanted_(wanted)
{
	if (!wanted_)
		return;
	// Given back and grown again, the top would be a new mapping
	// without the advice.
	mallopt(M_TOP_PAD, growth_step);
	mallopt(M_TRIM_THRESHOLD, -1);
	covered_end_ = heap_end();
}

void HugePageHeap::cover()
{
	if (!wanted_)
		return;
	uintptr_t end = heap_end();
	if (end <= covered_end_)
		return;
	// Whole huge pages only: the kernel backs an aligned 2 MiB range
	// with one page, and a range that is not aligned with small ones.
	uintptr_t from = (covered_end_ + huge_page - 1) & ~(huge_page - 1);
	uintptr_t to = end & ~(huge_page - 1);
	// Where the kernel has no THP (or refuses), the heap stays as it
	// was: this is an optimisation, never an error.
	if (to > from)
		(void)madvise(reinterpret_cast<void *>(from), to - from,
			      MADV_HUGEPAGE);
	covered_end_ = to > from ? to : covered_end_;
}

} // namespace ksyms::tool
