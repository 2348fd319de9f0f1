// SPDX-License-Identifier: BSD-2-Clause
// An image as /dev/ksyms writes it, made by the driver's own writer
// (driver/ksyms_elf_*.c) from objects given as kallsyms would list them:
// for the tests here (driver_image.h) and for the programs that make
// images of real debug files (tests/debuginfo-host).
#ifndef KSYMS_TESTS_DRIVER_IMAGE_WRITER_H
#define KSYMS_TESTS_DRIVER_IMAGE_WRITER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ksyms::test {

struct ImageSymbol {
	std::string name;
	char letter;	// kallsyms'
	uint64_t address;
	uint64_t size;
};

struct ImageObject {
	std::string name;	// "vmlinux" or the module's
	std::vector<ImageSymbol> symbols;
	std::vector<uint8_t> build_id;
};

// The image's bytes, locals first; the last `pseudo` objects are
// pseudo-objects (what kallsyms lists after the modules).  Empty if the
// writer refused the objects.
std::vector<uint8_t> build_driver_image(const std::vector<ImageObject> &objects,
					size_t pseudo = 0);

} // namespace ksyms::test

#endif
