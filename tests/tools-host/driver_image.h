// SPDX-License-Identifier: BSD-2-Clause
// Images as /dev/ksyms writes them (object table, build IDs, typed
// sections), made by the driver's own writer (driver/ksyms_elf_*.c), for
// tests that need what only such an image has.
#ifndef KSYMS_TESTS_DRIVER_IMAGE_H
#define KSYMS_TESTS_DRIVER_IMAGE_H

#include <cstdint>
#include <string>
#include <vector>

namespace ksyms::test {

struct Sym {
	const char *name;
	char letter;	// kallsyms'
	uint64_t address;
	uint64_t size;
};

struct Object {
	std::string name;
	std::vector<Sym> syms;
	std::vector<uint8_t> build_id;
};

constexpr uint64_t kVmlinux = 0xffffffff81000000ULL;
constexpr uint64_t kModule = 0xffffffffc0000000ULL;

// The image the driver would write for these objects, locals first; the
// last `pseudo` of them are pseudo-objects (what kallsyms lists after the
// modules).  A failure of the writer fails the calling test.
std::vector<uint8_t> build_image(const std::vector<Object> &objects,
				 size_t pseudo = 0);

// vmlinux (with a build ID), "ext9" (with one) and "bare" (without).
std::vector<Object> two_objects();

} // namespace ksyms::test

#endif
