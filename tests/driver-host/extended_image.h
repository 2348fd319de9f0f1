// SPDX-License-Identifier: GPL-2.0-only
// Images with typed sections, object notes and build IDs, built the way
// the driver builds them (the chunker, ksyms_elf_place(), ksyms_nm_kind(),
// the cursor), from a small vmlinux and modules: what the extended-image,
// chunker and layout tests read back.
#ifndef KSYMS_HOST_EXTENDED_IMAGE_H
#define KSYMS_HOST_EXTENDED_IMAGE_H

#include "elf_test_util.h"

extern "C" {
#include <linux/ksyms.h>

#include "ksyms_elf_internal.h"
}

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ksyms_test {

inline constexpr u64 kSpan = 256 * 1024;
inline constexpr u64 kText = 0xffffffff81000000ULL;

struct Line {
	u64 addr;
	char type;	// kallsyms' letter
	std::string name;
};

struct Object {
	std::string name;
	std::vector<Elf64_Sym> syms;	// st_name unused
	std::vector<std::string> names;
	std::vector<u8> kinds;
	std::vector<char> letters;
	std::vector<uint8_t> build_id;
	std::vector<ksyms_typed_section> sections;
	u64 first_section = 0;
	u64 first_local = 0, first_global = 0;
	u64 nr_locals = 0, nr_globals = 0;
	ksyms_elf_layout needs{};	// its part of the image's layout
};

// vmlinux as the driver reads it: kallsyms lines in address order.
Object vmlinux_object(const std::vector<Line> &lines);
// A module as the driver copies it: its own symbols, kallsyms' letters.
Object module_object(const std::string &name, u64 base);
std::string hex(const std::vector<uint8_t> &bytes);

struct ExtendedImage {
	std::vector<Object> objs;
	ksyms_elf_layout layout{};
	std::vector<uint8_t> buf;
	u64 size = 0;

	ksyms_elf_source source() const { return {buf.data(), &layout}; }

	// @whole: the objects to add as the driver adds vmlinux, in one
	// ksyms_elf_cursor_add_object() call; @copies: the objects to copy
	// from an object of an earlier image; the rest go symbol by symbol.
	explicit ExtendedImage(
		std::vector<Object> objects, std::set<size_t> whole = {},
		std::map<size_t, std::pair<const ExtendedImage *, u64>> copies =
			{});

	// The object's tables as the driver keeps vmlinux's: split by
	// binding, names in their own string table, letters locals first,
	// the order as a bitmap.
	static void add_whole(ksyms_elf_cursor *at, const Object &o);
};

// A kernel's lines: absolute symbols, text over more than one chunk,
// rodata, data and bss, each with local, global and weak symbols.
std::vector<Line> kernel_lines();
// vmlinux (with a build ID), a module with one and a module without;
// @whole: the objects added as the driver adds vmlinux.
ExtendedImage standard_image(std::set<size_t> whole = {});

} // namespace ksyms_test

#endif
