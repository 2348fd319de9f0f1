// SPDX-License-Identifier: BSD-2-Clause
#include "llvm_library.h"

#include <llvm/DebugInfo/Symbolize/Symbolize.h>

namespace ksyms::bench {

namespace {

class Symbolizer final : public LlvmLibrary {
public:
	explicit Symbolizer(std::string path)
		: path_(std::move(path)), symbolizer_(options())
	{
	}

	std::string name_at(uint64_t address) override
	{
		llvm::Expected<llvm::DILineInfo> info = symbolizer_.symbolizeCode(
			path_, {address,
				llvm::object::SectionedAddress::UndefSection});
		if (!info) {
			llvm::consumeError(info.takeError());
			return {};
		}
		if (info->FunctionName == llvm::DILineInfo::BadString)
			return {};
		return std::move(info->FunctionName);
	}

private:
	// As llvm-symbolizer runs by default, but without demangling: kernel
	// names are C names, and the CLI's answers are compared as they are.
	static llvm::symbolize::LLVMSymbolizer::Options options()
	{
		llvm::symbolize::LLVMSymbolizer::Options options;
		options.Demangle = false;
		return options;
	}

	std::string path_;
	llvm::symbolize::LLVMSymbolizer symbolizer_;
};

} // namespace

std::unique_ptr<LlvmLibrary> LlvmLibrary::open(const std::string &path)
{
	return std::make_unique<Symbolizer>(path);
}

} // namespace ksyms::bench
