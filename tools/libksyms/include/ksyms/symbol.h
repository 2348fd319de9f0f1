// SPDX-License-Identifier: BSD-2-Clause
// One symbol of a snapshot, as a small value that points into the image.
#ifndef KSYMS_SYMBOL_H
#define KSYMS_SYMBOL_H

#include <ksyms/export.h>

#include <cstdint>
#include <span>
#include <string_view>

namespace ksyms {

struct Symbol {
	// Index in the ELF symbol table (0 is the null symbol, never returned).
	uint32_t index = 0;
	// Points into the image; valid while the Snapshot lives.  The byte
	// after the view is always NUL, so name.data() is a C string.
	std::string_view name;
	uint64_t address = 0;	// st_value
	uint64_t size = 0;	// st_size
	unsigned char type = 0;	// STT_*
	unsigned char binding = 0;	// STB_*
	uint16_t section = 0;	// st_shndx
	// nm's letter: from the section's flags, as GNU nm derives it, when
	// the symbol is in a section that gives one (every symbol of an ELF
	// file with sections, and of a /dev/ksyms image with typed sections);
	// else type_letter().
	char letter = '?';
};

// One object of a /dev/ksyms image (vmlinux, a module, or what kallsyms
// lists after the modules), from its object table (.ksyms.objects; see
// docs/image-format.md).  Views point into the image.
struct ObjectInfo {
	std::string_view name;		// "vmlinux", the module's, or kallsyms'
	uint64_t base = 0;		// the span of its typed sections
	uint64_t size = 0;
	uint64_t first_local = 0;	// its symbols: two index ranges
	uint64_t local_count = 0;
	uint64_t first_global = 0;
	uint64_t global_count = 0;
	std::span<const uint8_t> build_id;	// empty if it has none
	// Listed by kallsyms after the modules, with no module behind it:
	// "bpf" (BPF programs), "__builtin__ftrace", "__builtin__kprobes",
	// or a module's name for its freed __init functions ftrace keeps.
	bool pseudo = false;
	bool is_vmlinux() const { return name == "vmlinux"; }
	bool holds(uint32_t index) const
	{
		return (index >= first_local &&
			index - first_local < local_count) ||
		       (index >= first_global &&
			index - first_global < global_count);
	}
};

// The letter for a symbol with no section to go by (SHN_ABS: absolute and
// weak symbols, and every symbol of an image with only FreeBSD's four
// sections), from type and binding alone: it cannot tell text from rodata
// or data from bss (a kallsyms 'r' or 'b' comes back as 'd').  The mapping
// inverts docs/image-format.md's:
//   STB_WEAK:  'V' for STT_OBJECT, else 'W' (defined weak; 'v'/'w' for an
//              undefined one, which only object files such as a .ko have)
//   STT_FUNC:  'T' global, 't' local
//   STT_OBJECT, STT_TLS: 'D' global, 'd' local
//   STT_NOTYPE: 'A' global, 'a' local -- what kallsyms a/A and the letters
//              without a type of their own became
//   SHN_UNDEF: 'U'
//   anything else (sections, files): '?'
[[nodiscard]] KSYMS_API char type_letter(unsigned char type,
					 unsigned char binding,
					 uint16_t section);

// ELF's names of a symbol's type and binding, as readelf prints them:
// "FUNC", "OBJECT", ...; "LOCAL", "GLOBAL", "WEAK"; "OTHER" for a value
// ELF does not name.
[[nodiscard]] KSYMS_API const char *type_name(unsigned char type);
[[nodiscard]] KSYMS_API const char *binding_name(unsigned char binding);

} // namespace ksyms

#endif
