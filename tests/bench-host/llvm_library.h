// SPDX-License-Identifier: BSD-2-Clause
// LLVM's symbolizer as a library (llvm::symbolize::LLVMSymbolizer), the
// in-process counterpart of llvm-symbolizer, behind an interface free of
// LLVM types: the rest of the benchmark builds without LLVM's headers, and
// without LLVM at all (llvm_library_missing.cpp).
#ifndef KSYMS_BENCHMARKS_LLVM_LIBRARY_H
#define KSYMS_BENCHMARKS_LLVM_LIBRARY_H

#include <cstdint>
#include <memory>
#include <string>

namespace ksyms::bench {

class LlvmLibrary {
public:
	// nullptr when the benchmark was built without LLVM.  LLVM reads the
	// file on the first lookup, not here.
	static std::unique_ptr<LlvmLibrary> open(const std::string &path);
	virtual ~LlvmLibrary() = default;

	// The function or object LLVM names for `address` (a code lookup, as
	// llvm-symbolizer makes by default); "" where it names none.
	virtual std::string name_at(uint64_t address) = 0;
};

} // namespace ksyms::bench

#endif
