// SPDX-License-Identifier: BSD-2-Clause
// The baseline's reader: /proc/kallsyms text, parsed in place in the buffer
// it was read into.
#ifndef KSYMS_BENCH_VM_KALLSYMS_TEXT_H
#define KSYMS_BENCH_VM_KALLSYMS_TEXT_H

#include "checksum.h"
#include "result.h"

#include <cstddef>

namespace bench {

// Names touched: every line's address, letter and name bytes into the
// checksum, nothing kept.
Result<Consumed> checksum_kallsyms(const char *text, std::size_t len);

// Pointers kept: (address, name) pairs, each name's end (its tab or
// newline) made a NUL in the buffer, as the ksyms side's names are C strings.
Status parse_kallsyms(char *text, std::size_t len, Symbols &out);

} // namespace bench

#endif
