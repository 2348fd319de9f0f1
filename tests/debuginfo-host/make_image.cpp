// SPDX-License-Identifier: BSD-2-Clause
// debuginfo_image OUT SLIDE VMLINUX [MODULE.ko...]
//
// Writes the image /dev/ksyms would give for a kernel booted from the
// debug files given: vmlinux's symbols moved by SLIDE (hex, as KASLR would
// move them), then each module with its text sections placed one after
// another in a 16 MiB slot of the module area and its other sections 8 MiB
// further on (separate allocations, as Linux 6.4 and later make them),
// __init sections left out as the kernel frees them.  Build IDs are the
// files' own.  With it, source lines are checked against llvm-symbolizer
// at placements the test chose, without a VM.
#include "driver_image_writer.h"
#include "elf_file.h"

#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

using ksyms::test::ImageObject;
using ksyms::test::ImageSymbol;
using ksyms::test::ElfFile;
using ksyms::test::build_id;
using ksyms::test::for_each_symbol;

namespace {

constexpr uint64_t module_area = 0xffffffffc0000000ull;
constexpr uint64_t module_slot = 16ull << 20;
constexpr uint64_t module_data = 8ull << 20;

char letter_of(const GElf_Shdr &shdr, int binding)
{
	char letter = (shdr.sh_flags & SHF_EXECINSTR)   ? 't' :
		      shdr.sh_type == SHT_NOBITS        ? 'b' :
		      (shdr.sh_flags & SHF_WRITE)       ? 'd' :
							  'r';
	return binding == STB_LOCAL ? letter : (char)(letter - 'a' + 'A');
}

// Every named symbol of a section that `place` gives an address.
template <typename Place>
void add_symbols(Elf *elf, ImageObject &object, Place place)
{
	for_each_symbol(elf, [&](const char *name, const GElf_Sym &sym,
				 const GElf_Shdr *shdr) {
		int type = GELF_ST_TYPE(sym.st_info);
		uint64_t base;
		if (type == STT_SECTION || type == STT_FILE || !shdr ||
		    !place(sym.st_shndx, *shdr, &base))
			return;
		object.symbols.push_back(
			{name, letter_of(*shdr, GELF_ST_BIND(sym.st_info)),
			 base + sym.st_value, sym.st_size});
	});
	// kallsyms' order, so that typed sections stay few and narrow.
	std::ranges::stable_sort(object.symbols, {}, &ImageSymbol::address);
}

bool add_vmlinux(const char *path, uint64_t slide,
		 std::vector<ImageObject> &objects)
{
	ElfFile file(path);
	if (!file.elf)
		return false;
	ImageObject object{"vmlinux", {}, build_id(file.elf)};
	add_symbols(file.elf, object,
		    [&](size_t, const GElf_Shdr &shdr, uint64_t *base) {
			    // Per-CPU symbols are offsets, not addresses.
			    *base = slide;
			    return (shdr.sh_flags & SHF_ALLOC) &&
				   shdr.sh_addr >= 0xffffffff80000000ull;
		    });
	objects.push_back(std::move(object));
	return true;
}

bool add_module(const char *path, uint64_t slot,
		std::vector<ImageObject> &objects)
{
	ElfFile file(path);
	size_t count = 0, names = 0;
	if (!file.elf || elf_getshdrnum(file.elf, &count) ||
	    elf_getshdrstrndx(file.elf, &names))
		return false;
	std::vector<uint64_t> base(count, 0);
	std::vector<bool> placed(count, false);
	uint64_t next[2] = {slot, slot + module_data};
	for (size_t i = 1; i < count; i++) {
		GElf_Shdr shdr;
		if (!gelf_getshdr(elf_getscn(file.elf, i), &shdr) ||
		    !(shdr.sh_flags & SHF_ALLOC))
			continue;
		const char *name = elf_strptr(file.elf, names, shdr.sh_name);
		if (!name || std::strncmp(name, ".init", 5) == 0 ||
		    std::strncmp(name, ".exit", 5) == 0)
			continue;
		uint64_t &at = next[(shdr.sh_flags & SHF_EXECINSTR) ? 0 : 1];
		uint64_t align = shdr.sh_addralign ? shdr.sh_addralign : 1;
		at = (at + align - 1) / align * align;
		base[i] = at;
		placed[i] = true;
		at += shdr.sh_size;
	}
	std::string stem = std::filesystem::path(path).stem().string();
	for (char &c : stem)
		if (c == '-')
			c = '_';
	ImageObject object{stem, {}, build_id(file.elf)};
	add_symbols(file.elf, object,
		    [&](size_t shndx, const GElf_Shdr &, uint64_t *at) {
			    *at = base[shndx];
			    return placed[shndx];
		    });
	objects.push_back(std::move(object));
	return true;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 4) {
		std::fprintf(stderr,
			     "usage: %s OUT SLIDE VMLINUX [MODULE.ko...]\n",
			     argv[0]);
		return 2;
	}
	elf_version(EV_CURRENT);
	std::vector<ImageObject> objects;
	uint64_t slide = std::strtoull(argv[2], nullptr, 16);
	if (!add_vmlinux(argv[3], slide, objects)) {
		std::fprintf(stderr, "%s: cannot read\n", argv[3]);
		return 1;
	}
	for (int i = 4; i < argc; i++)
		if (!add_module(argv[i], module_area + (i - 4) * module_slot,
				objects)) {
			std::fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 1;
		}
	std::vector<uint8_t> image = ksyms::test::build_driver_image(objects);
	FILE *out = image.empty() ? nullptr : std::fopen(argv[1], "wb");
	if (!out || std::fwrite(image.data(), 1, image.size(), out) !=
			    image.size() ||
	    std::fclose(out)) {
		std::fprintf(stderr, "%s: cannot write the image\n", argv[1]);
		return 1;
	}
	return 0;
}
