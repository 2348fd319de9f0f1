// SPDX-License-Identifier: GPL-2.0-only
// An image for the writer tests: a FreeBSD layout of a given size in a
// buffer followed by a guard region, every byte starting as a fill
// pattern so that a stray write anywhere shows; and the symbols they add.
#ifndef KSYMS_HOST_WRITER_IMAGE_H
#define KSYMS_HOST_WRITER_IMAGE_H

#include "elf_test_util.h"
#include "freebsd_image.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace ksyms_test {

inline constexpr size_t kGuard = 4096;
inline constexpr uint8_t kFill = 0xa5;

// A symbol to add; its st_name is one the writer must replace.
Elf64_Sym sym_of(unsigned bind, unsigned type, u64 value, u64 size,
		 u32 st_name = 0xdeadbeef, u8 other = STV_DEFAULT,
		 u16 shndx = SHN_ABS);
bool same_sym(const Elf64_Sym &a, const GElf_Sym &b);

struct Image {
	ksyms_elf_layout layout;
	u64 size;
	std::vector<uint8_t> buf;
	ksyms_elf_writer w;

	Image(u64 nl, u64 ng, u64 strsz) : layout(freebsd_layout(nl, ng, strsz))
	{
		size = freebsd_image_size(&layout);
		buf = new_image_buffer(layout, kGuard, kFill);
		freebsd_write_headers(buf.data(), &layout, EM_X86_64,
				      ELFDATA2LSB);
		ksyms_elf_writer_init(&w, buf.data(), &layout);
	}

	int add(const Elf64_Sym &s, const std::string &name)
	{
		return ksyms_elf_add(&w, &s, name.data(), name.size());
	}

	Elf64_Sym sym(u64 i) const
	{
		Elf64_Sym s;
		std::memcpy(&s, buf.data() + 464 + i * sizeof(s), sizeof(s));
		return s;
	}

	const char *strtab() const
	{
		return reinterpret_cast<const char *>(buf.data()) + 464 +
		       (layout.nr_locals + layout.nr_globals) * 24;
	}

	::testing::AssertionResult guard_intact() const
	{
		for (size_t i = size; i < buf.size(); i++)
			if (buf[i] != kFill)
				return ::testing::AssertionFailure()
				       << "byte " << i << " past the image end "
				       << size << " was written";
		return ::testing::AssertionSuccess();
	}

	ParsedImage parse() const
	{
		ParsedImage p;
		EXPECT_TRUE(parse_image(buf.data(), size, &p));
		return p;
	}
};

// Never a null pointer, even for an empty array: passing NULL with a zero
// count is covered once, by ElfWriterObject.EmptyPartsMayBeNull.
const Elf64_Sym *nn(const std::vector<Elf64_Sym> &v);
std::vector<std::string> names_of(const ParsedImage &p);

} // namespace ksyms_test

#endif
