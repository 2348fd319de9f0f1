// SPDX-License-Identifier: GPL-2.0-only
// The 464-byte header block, every byte of it: FreeBSD's offsets, ELF
// header, program headers, section headers and names, with this project's
// deviation from FreeBSD (locals first, .symtab sh_info = one past the last
// local) as docs/image-format.md lists it.
#include "elf_test_util.h"
#include "writer_image.h"

#include <cstring>
#include <string>
#include <vector>

using namespace ksyms_test;

namespace {

constexpr u64 kHeaderBlock = 464;

// A complete, small image: @nl locals (the null symbol included), @ng
// globals, names "l1".. and "g1"..; the string table exactly sized.
struct SmallImage {
	ksyms_elf_layout layout{};
	std::vector<uint8_t> buf;
	u64 size = 0;

	SmallImage(u64 nl, u64 ng, u16 machine = EM_X86_64,
		   u8 data = ELFDATA2LSB)
	{
		std::vector<std::string> lnames, gnames;
		u64 strsz = 1;
		for (u64 i = 1; i < nl; i++) {
			lnames.push_back("l" + std::to_string(i));
			strsz += lnames.back().size() + 1;
		}
		for (u64 i = 0; i < ng; i++) {
			gnames.push_back("g" + std::to_string(i));
			strsz += gnames.back().size() + 1;
		}
		layout = freebsd_layout(nl, ng, strsz);
		buf = new_image_buffer(layout);
		size = freebsd_image_size(&layout);
		freebsd_write_headers(buf.data(), &layout, machine, data);
		ksyms_elf_writer w;
		ksyms_elf_writer_init(&w, buf.data(), &layout);
		for (const std::string &n : lnames) {
			Elf64_Sym s = sym_of(STB_LOCAL, STT_FUNC, 0x1000, 8);
			EXPECT_EQ(0, ksyms_elf_add(&w, &s, n.data(), n.size()));
		}
		for (const std::string &n : gnames) {
			Elf64_Sym s = sym_of(STB_GLOBAL, STT_OBJECT, 0x2000, 16);
			EXPECT_EQ(0, ksyms_elf_add(&w, &s, n.data(), n.size()));
		}
		EXPECT_TRUE(ksyms_elf_writer_complete(&w));
	}
};

template <typename T> T read_at(const std::vector<uint8_t> &b, size_t off)
{
	T v;
	std::memcpy(&v, b.data() + off, sizeof(v));
	return v;
}

bool all_zero(const std::vector<uint8_t> &b, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (b[i])
			return false;
	return true;
}

} // namespace

TEST(ElfLayoutConstants, MatchTheFreeBsdOffsets)
{
	EXPECT_EQ(64u, KSYMS_ELF_PHOFF);
	EXPECT_EQ(176u, KSYMS_ELF_SHOFF);
	EXPECT_EQ(432u, KSYMS_ELF_SHSTRTAB_OFFSET);
	EXPECT_EQ(28u, KSYMS_ELF_SHSTRTAB_SIZE);
	EXPECT_EQ(464u, KSYMS_ELF_SYMTAB_OFFSET);
	EXPECT_EQ(8u, KSYMS_ELF_SYMTAB_ALIGN);
	EXPECT_EQ(4, KSYMS_SHN_COUNT);
	EXPECT_EQ(2, KSYMS_PHDR_COUNT);
	EXPECT_EQ(1, KSYMS_SHN_SYMTAB);
	EXPECT_EQ(2, KSYMS_SHN_STRTAB);
	EXPECT_EQ(3, KSYMS_SHN_SHSTRTAB);
	// The symbol table starts 8-aligned right after names and padding.
	EXPECT_EQ(KSYMS_ELF_SYMTAB_OFFSET,
		  KSYMS_ELF_SHSTRTAB_OFFSET + KSYMS_ELF_SHSTRTAB_SIZE + 4);
}

TEST(ElfHeader, IdentBytes)
{
	SmallImage img(3, 5);
	const uint8_t want[EI_NIDENT] = {0x7f, 'E', 'L', 'F', ELFCLASS64,
					 ELFDATA2LSB, EV_CURRENT,
					 ELFOSABI_NONE, 0, 0, 0, 0, 0, 0, 0, 0};
	EXPECT_EQ(0, std::memcmp(img.buf.data(), want, EI_NIDENT));
}

TEST(ElfHeader, EhdrFieldsThroughLibelf)
{
	SmallImage img(3, 5);
	ParsedImage p;
	ASSERT_TRUE(parse_image(img.buf.data(), img.size, &p));
	const GElf_Ehdr &e = p.ehdr;
	EXPECT_EQ(ELFCLASS64, e.e_ident[EI_CLASS]);
	EXPECT_EQ(ELFDATA2LSB, e.e_ident[EI_DATA]);
	EXPECT_EQ(EV_CURRENT, e.e_ident[EI_VERSION]);
	EXPECT_EQ(ELFOSABI_NONE, e.e_ident[EI_OSABI]);
	EXPECT_EQ(0, e.e_ident[EI_ABIVERSION]);
	EXPECT_EQ(ET_EXEC, e.e_type);
	EXPECT_EQ(EM_X86_64, e.e_machine);
	EXPECT_EQ(static_cast<unsigned>(EV_CURRENT), e.e_version);
	EXPECT_EQ(0u, e.e_entry);
	EXPECT_EQ(64u, e.e_phoff);
	EXPECT_EQ(176u, e.e_shoff);
	EXPECT_EQ(0u, e.e_flags);
	EXPECT_EQ(64, e.e_ehsize);
	EXPECT_EQ(56, e.e_phentsize);
	EXPECT_EQ(2, e.e_phnum);
	EXPECT_EQ(64, e.e_shentsize);
	EXPECT_EQ(4, e.e_shnum);
	EXPECT_EQ(3, e.e_shstrndx);
	EXPECT_EQ(3u, p.shstrndx);
}

TEST(ElfHeader, MachineAndDataAsPassed)
{
	const u16 machines[] = {EM_X86_64, EM_AARCH64, EM_RISCV, EM_S390,
				EM_PPC64, EM_LOONGARCH, 0xbeef};
	for (u16 m : machines) {
		for (u8 data : {u8(ELFDATA2LSB), u8(ELFDATA2MSB)}) {
			SCOPED_TRACE(testing::Message() << "machine " << m
				     << " data " << int(data));
			std::vector<uint8_t> b(kHeaderBlock, 0xa5);
			ksyms_elf_layout l = freebsd_layout(2, 3, 10);
			freebsd_write_headers(b.data(), &l, m, data);
			EXPECT_EQ(data, b[EI_DATA]);
			EXPECT_EQ(m, read_at<u16>(b, offsetof(Elf64_Ehdr,
							      e_machine)));
			if (data == ELFDATA2LSB) {
				ParsedImage p;
				SmallImage img(2, 3, m, data);
				ASSERT_TRUE(parse_image(img.buf.data(),
							img.size, &p));
				EXPECT_EQ(m, p.ehdr.e_machine);
			}
		}
	}
}

TEST(ElfHeader, ProgramHeadersAreNullWithFreeBsdFlags)
{
	SmallImage img(3, 5);
	ParsedImage p;
	ASSERT_TRUE(parse_image(img.buf.data(), img.size, &p));
	ASSERT_EQ(2u, p.phdrs.size());
	const u32 flags[2] = {PF_R | PF_X, PF_R | PF_W | PF_X};
	for (int i = 0; i < 2; i++) {
		SCOPED_TRACE(i);
		const GElf_Phdr &ph = p.phdrs[i];
		EXPECT_EQ(static_cast<u32>(PT_NULL), ph.p_type);
		EXPECT_EQ(flags[i], ph.p_flags);
		EXPECT_EQ(0u, ph.p_offset);
		EXPECT_EQ(0u, ph.p_vaddr);
		EXPECT_EQ(0u, ph.p_paddr);
		EXPECT_EQ(0u, ph.p_filesz);
		EXPECT_EQ(0u, ph.p_memsz);
		EXPECT_EQ(0u, ph.p_align);
	}
	// And byte for byte: type and flags, then 48 zero bytes, at 64 and 120.
	for (size_t off : {size_t(64), size_t(120)}) {
		EXPECT_EQ(static_cast<u32>(PT_NULL), read_at<u32>(img.buf, off));
		EXPECT_TRUE(all_zero(img.buf, off + 8, off + 56)) << off;
	}
	EXPECT_EQ(u32(PF_R | PF_X), read_at<u32>(img.buf, 68));
	EXPECT_EQ(u32(PF_R | PF_W | PF_X), read_at<u32>(img.buf, 124));
}

TEST(ElfHeader, SectionHeaders)
{
	const u64 nl = 3, ng = 5;
	SmallImage img(nl, ng);
	const u64 symtab_size = (nl + ng) * 24;
	ParsedImage p;
	ASSERT_TRUE(parse_image(img.buf.data(), img.size, &p));
	ASSERT_EQ(4u, p.shdrs.size());

	// Section 0: all zero, as bytes too.
	EXPECT_TRUE(all_zero(img.buf, 176, 240));

	const GElf_Shdr &sym = p.shdrs[1];
	EXPECT_EQ(1u, sym.sh_name);
	EXPECT_EQ(static_cast<u32>(SHT_SYMTAB), sym.sh_type);
	EXPECT_EQ(0u, sym.sh_flags);
	EXPECT_EQ(0u, sym.sh_addr);
	EXPECT_EQ(464u, sym.sh_offset);
	EXPECT_EQ(symtab_size, sym.sh_size);
	EXPECT_EQ(2u, sym.sh_link);
	EXPECT_EQ(nl, sym.sh_info);
	EXPECT_EQ(8u, sym.sh_addralign);
	EXPECT_EQ(24u, sym.sh_entsize);

	const GElf_Shdr &str = p.shdrs[2];
	EXPECT_EQ(9u, str.sh_name);
	EXPECT_EQ(static_cast<u32>(SHT_STRTAB), str.sh_type);
	EXPECT_EQ(0u, str.sh_flags);
	EXPECT_EQ(0u, str.sh_addr);
	EXPECT_EQ(464u + symtab_size, str.sh_offset);
	EXPECT_EQ(img.layout.strtab_size, str.sh_size);
	EXPECT_EQ(0u, str.sh_link);
	EXPECT_EQ(0u, str.sh_info);
	EXPECT_EQ(1u, str.sh_addralign);
	EXPECT_EQ(0u, str.sh_entsize);

	const GElf_Shdr &shs = p.shdrs[3];
	EXPECT_EQ(17u, shs.sh_name);
	EXPECT_EQ(static_cast<u32>(SHT_STRTAB), shs.sh_type);
	EXPECT_EQ(0u, shs.sh_flags);
	EXPECT_EQ(0u, shs.sh_addr);
	EXPECT_EQ(432u, shs.sh_offset);
	EXPECT_EQ(28u, shs.sh_size);
	EXPECT_EQ(0u, shs.sh_link);
	EXPECT_EQ(0u, shs.sh_info);
	EXPECT_EQ(0u, shs.sh_addralign);
	EXPECT_EQ(0u, shs.sh_entsize);

	const std::vector<std::string> names = {"", ".symtab", ".strtab",
						".shstrtab"};
	EXPECT_EQ(names, p.shnames);
	EXPECT_EQ(1u, p.symtab_index);
	EXPECT_EQ(2u, p.strtab_index);
	EXPECT_EQ(img.size, 464u + symtab_size + img.layout.strtab_size);
}

TEST(ElfHeader, NamesAndPaddingBytes)
{
	SmallImage img(3, 5);	// buffer started as 0xa5 everywhere
	static const char names[28] = "\0.symtab\0.strtab\0.shstrtab\0";
	EXPECT_EQ(0, std::memcmp(img.buf.data() + 432, names, 28));
	EXPECT_EQ(0, img.buf[432 + 27]);
	EXPECT_TRUE(all_zero(img.buf, 460, 464));
}

// The header block fills exactly [0, 464): everything in it is defined (no
// byte of the 0xa5 fill survives where the layout wants a zero), and
// nothing at or past 464 is touched.
TEST(ElfHeader, WritesExactlyTheHeaderBlock)
{
	for (u8 fill : {u8(0x00), u8(0xa5), u8(0xff)}) {
		std::vector<uint8_t> a(kHeaderBlock + 256, fill);
		ksyms_elf_layout l = freebsd_layout(7, 11, 123);
		freebsd_write_headers(a.data(), &l, EM_X86_64, ELFDATA2LSB);
		for (size_t i = kHeaderBlock; i < a.size(); i++)
			ASSERT_EQ(fill, a[i]) << "byte " << i << " written";
		// Same bytes whatever the buffer held before.
		std::vector<uint8_t> b(kHeaderBlock, u8(~fill));
		freebsd_write_headers(b.data(), &l, EM_X86_64, ELFDATA2LSB);
		EXPECT_EQ(0, std::memcmp(a.data(), b.data(), kHeaderBlock));
	}
}

// sh_info is one past the last local (the null symbol is a local), and the
// string table follows the symbol table, for counts far above any test
// image (the header block needs only its 464 bytes).
TEST(ElfHeader, CountsInSectionHeaders)
{
	struct {
		u64 nl, ng, str;
	} cases[] = {{1, 0, 1},	    {1, 1, 2},	      {2, 0, 3},
		     {150000, 2, 9}, {1, 200000, 77}, {123456, 654321, 4000000},
		     {0xffffffffull, 1ull << 40, 1ull << 32}};
	for (auto c : cases) {
		SCOPED_TRACE(testing::Message() << c.nl << "/" << c.ng << "/"
			     << c.str);
		std::vector<uint8_t> b(kHeaderBlock, 0xa5);
		ksyms_elf_layout l = freebsd_layout(c.nl, c.ng, c.str);
		freebsd_write_headers(b.data(), &l, EM_X86_64, ELFDATA2LSB);
		auto sh = [&](int i) {
			return read_at<Elf64_Shdr>(b, 176 + 64 * i);
		};
		EXPECT_EQ(c.nl, sh(1).sh_info);
		EXPECT_EQ((c.nl + c.ng) * 24, sh(1).sh_size);
		EXPECT_EQ(464 + (c.nl + c.ng) * 24, sh(2).sh_offset);
		EXPECT_EQ(c.str, sh(2).sh_size);
	}
}

TEST(ImageSize, Formula)
{
	struct {
		u64 nl, ng, str;
	} cases[] = {{1, 0, 1},	       {1, 1, 2},	{3, 5, 40},
		     {100000, 50000, 3000000}, {1, 0, 1ull << 32},
		     {0xffffffffull, 0, 1}};
	for (auto c : cases) {
		ksyms_elf_layout l = freebsd_layout(c.nl, c.ng, c.str);
		EXPECT_EQ(464 + 24 * (c.nl + c.ng) + c.str,
			  freebsd_image_size(&l))
			<< c.nl << "/" << c.ng << "/" << c.str;
	}
}

TEST(ImageSize, RejectsNoNullSymbolOrNoStringTable)
{
	ksyms_elf_layout l = freebsd_layout(0, 5, 10);
	EXPECT_EQ(0u, ksyms_elf_image_size(&l));
	l = freebsd_layout(0, 0, 1);
	EXPECT_EQ(0u, ksyms_elf_image_size(&l));
	l = freebsd_layout(3, 5, 0);
	EXPECT_EQ(0u, ksyms_elf_image_size(&l));
	l = freebsd_layout(1, 0, 0);
	EXPECT_EQ(0u, ksyms_elf_image_size(&l));
}

TEST(ImageSize, RejectsAbsurdCounts)
{
	// Symbol counts past 2^56, string tables past 2^61 (the bounds that
	// keep the sums from wrapping), up to values whose sum would wrap.
	const u64 syms[] = {(1ull << 56) + 1, 1ull << 57, 1ull << 62,
			    1ull << 63, ~0ull, ~0ull / 24, ~0ull / 24 + 1,
			    (~0ull - 464) / 24};
	const u64 strs[] = {(1ull << 61) + 1, 1ull << 62, 1ull << 63,
			    ~0ull - 464, ~0ull - 463, ~0ull};
	for (u64 v : syms) {
		SCOPED_TRACE(v);
		ksyms_elf_layout l = freebsd_layout(v, 0, 1);
		EXPECT_EQ(0u, ksyms_elf_image_size(&l));
		l = freebsd_layout(1, v, 1);
		EXPECT_EQ(0u, ksyms_elf_image_size(&l));
		l = freebsd_layout(v, v, 1);
		EXPECT_EQ(0u, ksyms_elf_image_size(&l));
	}
	for (u64 v : strs) {
		SCOPED_TRACE(v);
		ksyms_elf_layout l = freebsd_layout(1, 0, v);
		EXPECT_EQ(0u, ksyms_elf_image_size(&l));
		l = freebsd_layout(2, 3, v);
		EXPECT_EQ(0u, ksyms_elf_image_size(&l));
	}
}

// The largest layouts accepted still give an exact sum, no wrap-around.
TEST(ImageSize, LargestAcceptedDoNotWrap)
{
	ksyms_elf_layout l = freebsd_layout(0xffffffffull, 1ull << 56, 1ull << 32);
	u64 want = 464 + 24 * (0xffffffffull + (1ull << 56)) + (1ull << 32);
	EXPECT_EQ(want, freebsd_image_size(&l));
}

// An accepted layout must be one write_headers and the writer can
// represent.  sh_info is an Elf64_Word: more than U32_MAX locals cannot be
// described.  st_name is an Elf64_Word too: a name at offset 2^32 or above
// cannot be referred to, so the string table can be at most 2^32 bytes.
// Both would be truncated silently (sh_info = nr_locals, st_name =
// next_str), giving a corrupt image instead of the 0 ("cannot be
// represented") the header promises.
TEST(ImageSize, RejectsCountsTheElfFieldsCannotHold)
{
	ksyms_elf_layout l = freebsd_layout(1ull << 32, 0, 1);
	EXPECT_EQ(0u, ksyms_elf_image_size(&l))
		<< "sh_info would be written as "
		<< static_cast<Elf64_Word>(l.nr_locals);
	l = freebsd_layout(1, 0, (1ull << 32) + 1);
	EXPECT_EQ(0u, ksyms_elf_image_size(&l))
		<< "a name at offset 2^32 gets st_name 0";
	// The largest representable values stay accepted.
	l = freebsd_layout(0xffffffffull, 0, 1ull << 32);
	EXPECT_NE(0u, ksyms_elf_image_size(&l));
}

// FNV-1a over every byte of an image.
static u64 fnv1a(const std::vector<uint8_t> &bytes)
{
	u64 h = 0xcbf29ce484222325ULL;

	for (uint8_t b : bytes)
		h = (h ^ b) * 0x100000001b3ULL;
	return h;
}

// FreeBSD's image, pinned byte for byte.
TEST(ElfHeader, BytesArePinned)
{
	SmallImage img(3, 5);
	SmallImage null_only(1, 0);

	EXPECT_EQ(678u, img.size);
	EXPECT_EQ(8159197448674013500ULL, fnv1a(img.buf));
	EXPECT_EQ(16848122431408003195ULL, fnv1a(null_only.buf));
}
