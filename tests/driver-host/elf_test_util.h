// SPDX-License-Identifier: GPL-2.0-only
// Helpers shared by the host tests: the code under test (as C), reading
// images back with elfutils' libelf, temporary files and running tools.
#ifndef KSYMS_HOST_ELF_TEST_UTIL_H
#define KSYMS_HOST_ELF_TEST_UTIL_H

extern "C" {
#include "ksyms_elf.h"
#include "ksyms_nm.h"
}

#include "freebsd_image.h"

#include <gelf.h>
#include <libelf.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ksyms_test {

struct ParsedSymbol {
	std::string name;
	GElf_Sym sym;
};

// An image as libelf sees it.
struct ParsedImage {
	GElf_Ehdr ehdr{};
	std::vector<GElf_Phdr> phdrs;
	std::vector<GElf_Shdr> shdrs;
	std::vector<std::string> shnames;	// through e_shstrndx
	size_t shstrndx = 0;
	size_t symtab_index = 0;		// found by name, ".symtab"
	size_t strtab_index = 0;		// the symtab's sh_link
	std::vector<ParsedSymbol> syms;		// every entry, the null one too
};

// Parses @size bytes at @data with elf_memory(); fails on any libelf error.
::testing::AssertionResult parse_image(const void *data, size_t size,
				       ParsedImage *out);

// A file under $TMPDIR (or /tmp), removed when this goes out of scope.
class TempFile {
public:
	explicit TempFile(const void *data, size_t size);
	~TempFile();
	TempFile(const TempFile &) = delete;
	TempFile &operator=(const TempFile &) = delete;
	const std::string &path() const { return path_; }

private:
	std::string path_;
};

struct CommandResult {
	int exit_status = -1;	// -1 unless the command exited normally
	std::string out;
	std::string err;
};

// Runs @argv (argv[0] an absolute path) with stdin from /dev/null and LC_ALL=C.
CommandResult run_command(const std::vector<std::string> &argv);

std::string describe(const CommandResult &r);

// A buffer for FreeBSD's image of @layout (freebsd_image.h) plus @guard
// bytes; every byte of it starts as @fill.
std::vector<uint8_t> new_image_buffer(const ksyms_elf_layout &layout,
				      size_t guard = 0, uint8_t fill = 0xa5);

} // namespace ksyms_test

#endif
