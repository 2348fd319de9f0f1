// SPDX-License-Identifier: BSD-2-Clause
// The source frames of addresses in one libdwfl module: the line the
// line table gives, then a frame for each inlined call around it
// (DW_TAG_inlined_subroutine scopes, with their DW_AT_call_* lines), as
// addr2line -i and llvm-symbolizer report them.
#ifndef KSYMS_SOURCE_FRAMES_H
#define KSYMS_SOURCE_FRAMES_H

#include <ksyms/debuginfo.h>

#include <elfutils/libdwfl.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ksyms {

class SourceFrameFinder {
public:
	explicit SourceFrameFinder(Dwfl_Module *module) : module_(module) {}

	// `address` as the module sees it (after its bias).
	std::vector<SourceFrame> frames(uint64_t address);

private:
	struct FunctionRange {
		Dwarf_Addr low, high;
		Dwarf_Die die;
	};
	// A CU's functions by address, made the first time the CU is
	// asked about: a kernel CU has thousands of DIEs from its headers
	// before and between its functions, too many to walk per address.
	const std::vector<FunctionRange> &functions(Dwarf_Die *cu);

	Dwfl_Module *module_;
	std::unordered_map<Dwarf_Off, std::vector<FunctionRange>> functions_;
};

} // namespace ksyms

#endif
