// SPDX-License-Identifier: BSD-2-Clause
// Where the running kernel placed each section of a module.
//
// The image does not record module sections, but it has the module's own
// symbols as the loader relocated them, and the .ko has the same symbols
// relative to their sections: a section's address is a symbol's address
// in the image less its value in the .ko.  Names that occur more than once
// in either (static functions of one name in two files) are not used;
// among the rest, the address most of a section's symbols agree on is
// taken.  A section none of whose symbols the image lists (the __init
// code and data the kernel frees after loading, sections without
// symbols) has no address.
#ifndef KSYMS_MODULE_SECTIONS_H
#define KSYMS_MODULE_SECTIONS_H

#include <ksyms/snapshot.h>

#include <gelf.h>

#include <cstdint>
#include <vector>

namespace ksyms {

// Per section index of `ko`, the runtime address, or no_section_address.
inline constexpr uint64_t no_section_address = ~0ull;
std::vector<uint64_t> module_section_addresses(const Snapshot &snapshot,
					       const ObjectInfo &module,
					       Elf *ko);

} // namespace ksyms

#endif
