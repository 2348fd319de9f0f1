// SPDX-License-Identifier: BSD-2-Clause
// The heap of a command that reads DWARF, backed by transparent huge
// pages where the kernel offers them (THP "madvise" or "always").
//
// libdw keeps every line table it parses until the end: symbolizing a few
// thousand kernel addresses grows the heap by hundreds of MiB, a page
// fault for each 4 KiB of it on small pages, one per 2 MiB on huge pages
// (docs/debuginfo.md has the figures). Only the program may choose this
// for its whole heap, so it is here and not in libksyms.
#ifndef KSYMS_TOOL_HUGE_PAGE_HEAP_H
#define KSYMS_TOOL_HUGE_PAGE_HEAP_H

#include <cstdint>

namespace ksyms::tool {

class HugePageHeap {
public:
	// When `wanted` (DWARF will be read), makes malloc grow the heap in
	// steps of 64 MiB, so that most of each step is advised before it
	// is touched, and never give its top back; otherwise does nothing.
	explicit HugePageHeap(bool wanted);

	// Advises the heap's growth since the last call. Called between
	// answers; cheap when the heap has not grown (no system call).
	void cover();

private:
	bool wanted_;
	uintptr_t covered_end_ = 0;
};

} // namespace ksyms::tool

#endif
