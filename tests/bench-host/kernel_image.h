// SPDX-License-Identifier: BSD-2-Clause
// A synthetic kernel symbol table for the benchmarks: about 230,000 symbols
// laid out the way /dev/ksyms lays out a real kernel's (docs/image-format.md),
// generated from a fixed seed so every run measures the same image.
#ifndef KSYMS_BENCHMARKS_KERNEL_IMAGE_H
#define KSYMS_BENCHMARKS_KERNEL_IMAGE_H

#include "test_image.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ksyms::bench {

// In image order (every local first, then the rest; vmlinux before the
// modules inside each half):
//  - 400 per-cpu symbols: absolute ('A'), size 0, at 0x0 .. 0x30000, as
//    x86_64 kallsyms shows them;
//  - vmlinux: ~160,000 symbols from 0xffffffff81000000: text (FUNC, sizes
//    drawn from a log-normal around 200 bytes, 16-byte aligned, a few NOTYPE
//    labels), then rodata, data and bss (OBJECT); st_size is the distance to
//    the next higher address, as the driver writes vmlinux symbols;
//  - ~70,000 module symbols in 120 modules from 0xffffffffc0000000, each a
//    page-aligned text allocation followed by a data one, with the modules'
//    own sizes, so there are alignment gaps between symbols.
std::vector<test::TestSymbol> kernel_symbols(uint64_t seed = 6);

// The same symbols in an image that llvm-symbolizer and addr2line can use:
// both resolve addresses only inside an allocated section, and an image of
// FreeBSD's four sections has every symbol in SHN_ABS, so they would answer
// "??" for all of them.  Here two SHT_NOBITS sections span vmlinux and the
// modules and each symbol in them points at its section (per-cpu ones stay
// SHN_ABS).  Written by hand, not with libelf.
void write_sectioned_image(const std::string &path,
			   const std::vector<test::TestSymbol> &symbols);

// `count` addresses, each inside a symbol of `symbols` that has a size
// (uniform over those symbols, then over the bytes of the one drawn).
std::vector<uint64_t> addresses_inside(
	const std::vector<test::TestSymbol> &symbols, size_t count,
	uint64_t seed = 6);

} // namespace ksyms::bench

#endif
