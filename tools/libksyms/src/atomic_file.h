// SPDX-License-Identifier: BSD-2-Clause
// Whole-file reads and writes with the error handling done once.
#ifndef KSYMS_SRC_ATOMIC_FILE_H
#define KSYMS_SRC_ATOMIC_FILE_H

#include <ksyms/error.h>

#include <cstddef>
#include <span>
#include <string>

namespace ksyms {

// Writes `bytes` to a new file in the directory of `path`, fsyncs it and
// renames it over `path`: readers see the old file or the whole new one,
// never a torn one, and a crash leaves no half-written image.
Error write_file_atomically(const std::string &path,
			    std::span<const std::byte> bytes);

// Reads a file to its end by read(2), not by its st_size, because /proc
// files report a size of 0.
Expected<std::string> read_whole_file(const std::string &path);

} // namespace ksyms

#endif
