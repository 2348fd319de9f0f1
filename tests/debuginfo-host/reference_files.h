// SPDX-License-Identifier: BSD-2-Clause
// For the comparison with llvm-symbolizer: each object's debug file, found
// and read here with libelf alone (not with what is being tested), and the
// addresses to ask both about.
#ifndef KSYMS_TESTS_REFERENCE_FILES_H
#define KSYMS_TESTS_REFERENCE_FILES_H

#include <ksyms/snapshot.h>

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace ksyms::test {

struct ReferenceFile {
	std::string path;	// "" when DEBUGDIR has none with its build ID
	bool is_vmlinux = false;
	uint64_t slide = 0;	// vmlinux: image address - file address
	// modules: the symbols of .text with a name of their own, by name
	std::unordered_map<std::string, uint64_t> text;
};

struct Sample {
	uint64_t address;	// in the image
	// What llvm-symbolizer is given: vmlinux's address in the file, a
	// module's in linked_copy()'s .text (from a symbol of the .ko's .text
	// of the same name)
	uint64_t reference;
	size_t object;		// index in the snapshot's objects
	// What llvm-symbolizer --obj=<the file> is given: the same as
	// `reference` for vmlinux, a module's offset in its .ko's .text
	uint64_t in_file;
};

// One per object of the snapshot.
std::vector<ReferenceFile> reference_files(const Snapshot &snapshot,
					   const std::string &dir);

// Where linked_copy() puts a module's .text.
inline constexpr uint64_t linked_text_address = 0x1000000;

// A module's file linked by ld into an executable in `dir`, .text at
// linked_text_address and its other sections after it, relocations
// applied; "" if ld fails.  llvm-symbolizer does not tell a relocatable
// file's sections apart (all start at 0: an address in .text also names
// __init code, and assembly CUs go unanswered), but reads a linked file
// as it reads vmlinux.
std::string linked_copy(const ReferenceFile &file, const std::string &dir);

// About `count` addresses inside functions (not the padding the compiler
// puts before them, __pfx_ and __cfi_ symbols): two thirds in vmlinux, the
// rest shared by the modules with a file, in image order.
std::vector<Sample> sample_addresses(const Snapshot &snapshot,
				     const std::vector<ReferenceFile> &files,
				     size_t count, std::mt19937_64 &random);

} // namespace ksyms::test

#endif
