// SPDX-License-Identifier: BSD-2-Clause
// Source lines and inlined frames for kernel addresses, from the debug
// files of the objects a snapshot lists (vmlinux and each module, by build
// ID), through elfutils' libdwfl.
//
//   ksyms::DebugInfo debug(snapshot, {.directories = {"/usr/lib/debug"}});
//   for (const ksyms::SourceFrame &f : debug.frames(address)) ...
//
// Nothing is read until an address is asked for: the first address of an
// object finds and opens that object's debug file, and only that one.  An
// object whose debug file cannot be found or read gives no frames, never an
// error: the caller still has the symbol (Snapshot::symbolize()).
//
// Where a debug file is looked for, in order, for an object with a build
// ID (images without an object table or build IDs get no frames):
//  - each directory's .build-id/xx/yyyy.debug (the /usr/lib/debug layout);
//  - for vmlinux, each directory's vmlinux-*, boot/vmlinux-* and
//    lib/modules/*/vmlinux; for a module, NAME.ko anywhere under its
//    lib/modules/ (Debian's linux-image-*-dbg links only some files by
//    build ID), '-' and '_' alike in NAME;
//  - debuginfod, when DEBUGINFOD_URLS is set (libdebuginfod's own
//    variables: DEBUGINFOD_CACHE_PATH, DEBUGINFOD_TIMEOUT, ...).
// A candidate is used only if its build ID is the object's.
//
// A module's debug file is its .ko, relocatable: its sections are placed
// where the running kernel put them, found from the module's symbols in the
// snapshot (a section's address is a symbol's address in the snapshot less
// its offset in the .ko), so that the DWARF's relocations give runtime
// addresses.  vmlinux's addresses are moved by the KASLR offset, _text in
// the snapshot against _text in the debug file.
//
// Not thread-safe: it opens files and caches as it answers.
#ifndef KSYMS_DEBUGINFO_H
#define KSYMS_DEBUGINFO_H

#include <ksyms/export.h>
#include <ksyms/snapshot.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ksyms {

// One frame of an address: the function and where in it.  frames()
// returns them innermost first: the code at the address, then, for each
// function it was inlined into, that function and the line of the call.
struct SourceFrame {
	// As the DWARF names it: a compiler clone without its suffix
	// ("foo", where the symbol is "foo.isra.0").  Where the DWARF has
	// no function (assembly), the outermost frame takes the symbol's
	// name and an inlined one is "".
	std::string function;
	// As the compiler recorded it relative to the build directory
	// (DW_AT_comp_dir stripped): "kernel/sched/core.c".
	std::string file;
	unsigned line = 0;	// 0 when unknown
	unsigned column = 0;	// 0 when unknown
};

struct DebugInfoOptions {
	// /usr/lib/debug-like trees, searched in order.
	std::vector<std::string> directories;
	// Ask debuginfod when DEBUGINFOD_URLS is set.
	bool debuginfod = true;
};

// The frames as indented lines under an address's line, as
// llvm-symbolizer --pretty-print writes them:
//   "  inner at lib/foo.c:12:5\n  (inlined by) outer at lib/foo.c:40:2\n"
// "??" for a function or file the DWARF does not name; ":column" only when
// known.
KSYMS_API void append_frames(std::string &out,
			   const std::vector<SourceFrame> &frames);

class KSYMS_API DebugInfo {
public:
	// `snapshot` must outlive the DebugInfo.
	DebugInfo(const Snapshot &snapshot, DebugInfoOptions options);
	DebugInfo(DebugInfo &&) noexcept;
	DebugInfo &operator=(DebugInfo &&) noexcept;
	~DebugInfo();

	// Whether there is anywhere to look: a directory, or debuginfod.
	bool enabled() const;

	// The frames of `address`, innermost first; empty when the address
	// is in no object, its object has no debug file, or the DWARF has no
	// line for it.
	std::vector<SourceFrame> frames(uint64_t address);
	// The same for an address already located (Snapshot::locate()).
	std::vector<SourceFrame> frames(uint64_t address,
					const AddressLocation &location);

	// The debug file used for `object` (searched for if not yet), or ""
	// when there is none.
	std::string debug_file(const ObjectInfo &object);

	struct Impl;

private:
	std::unique_ptr<Impl> impl_;
};

} // namespace ksyms

#endif
