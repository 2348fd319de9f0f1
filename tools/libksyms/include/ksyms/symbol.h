// SPDX-License-Identifier: GPL-2.0
// One symbol of a snapshot, as a small value that points into the image.
#ifndef KSYMS_SYMBOL_H
#define KSYMS_SYMBOL_H

#include <cstdint>
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
	uint16_t section = 0;	// st_shndx (SHN_ABS for every /dev/ksyms symbol)
	// nm-style letter; see type_letter().
	char letter = '?';
};

// The nm letter the image supports.  /dev/ksyms images put every symbol in
// SHN_ABS and carry no sections, so the letter comes from type and binding
// alone and cannot tell text from rodata or data from bss: it is an
// approximation until the image carries sections (a kallsyms 'r' or 'b'
// comes back as 'd').  The mapping inverts docs/image-format.md:
//   STB_WEAK:  'V' for STT_OBJECT, else 'W' (defined weak; 'v'/'w' for an
//              undefined one, which only object files such as a .ko have)
//   STT_FUNC:  'T' global, 't' local
//   STT_OBJECT, STT_TLS: 'D' global, 'd' local
//   STT_NOTYPE: 'A' global, 'a' local -- what kallsyms a/A and the letters
//              without a type of their own became
//   SHN_UNDEF: 'U'
//   anything else (sections, files): '?'
char type_letter(unsigned char type, unsigned char binding, uint16_t section);

} // namespace ksyms

#endif
