// SPDX-License-Identifier: BSD-2-Clause
// The command's heap on huge pages: what malloc takes from the heap after
// cover() lies in a mapping advised MADV_HUGEPAGE (smaps' VmFlags "hg",
// set whatever the system's THP policy), and nothing is advised when the
// command reads no DWARF. Each case runs in a child of its own: the
// advice and malloc's settings are the whole process's.
#include "huge_page_heap.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ksyms::tool {
namespace {

// Whether the mapping that holds `address` is advised MADV_HUGEPAGE.
bool advised_huge(const void *address)
{
	auto at = reinterpret_cast<uintptr_t>(address);
	std::ifstream smaps("/proc/self/smaps");
	std::string line;
	bool inside = false;
	while (std::getline(smaps, line)) {
		uintptr_t from, to;
		char dash;
		std::istringstream range(line);
		if (line.find(':') > line.find(' ') &&
		    range >> std::hex >> from >> dash >> to && dash == '-') {
			inside = from <= at && at < to;
		} else if (inside && line.starts_with("VmFlags:")) {
			std::istringstream flags(line.substr(8));
			std::string flag;
			while (flags >> flag)
				if (flag == "hg")
					return true;
			return false;
		}
	}
	return false;
}

// Small blocks (from the heap, not mmap) until `bytes` are taken, with
// cover() between them as the command calls it between answers; the
// last block.
void *grow_heap(HugePageHeap &heap, size_t bytes)
{
	void *last = nullptr;
	for (size_t taken = 0; taken < bytes; taken += 4096) {
		heap.cover();
		last = std::malloc(4096);
		static_cast<char *>(last)[0] = 1;
	}
	return last;
}

void heap_advised_after_cover()
{
	HugePageHeap heap(true);
	// Past the first aligned 2 MiB of the growth, and past a second
	// growth of 64 MiB.
	void *early = grow_heap(heap, size_t(8) << 20);
	void *late = grow_heap(heap, size_t(80) << 20);
	std::exit(advised_huge(early) && advised_huge(late) ? 0 : 1);
}

void heap_left_alone_without_dwarf()
{
	HugePageHeap heap(false);
	void *block = grow_heap(heap, size_t(80) << 20);
	std::exit(advised_huge(block) ? 1 : 0);
}

TEST(HugePageHeap, AdvisesTheHeapItGrew)
{
	EXPECT_EXIT(heap_advised_after_cover(), testing::ExitedWithCode(0), "");
}

TEST(HugePageHeap, LeavesTheHeapAloneWhenNotWanted)
{
	EXPECT_EXIT(heap_left_alone_without_dwarf(),
		    testing::ExitedWithCode(0), "");
}

} // namespace
} // namespace ksyms::tool
