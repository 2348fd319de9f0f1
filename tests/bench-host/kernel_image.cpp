// SPDX-License-Identifier: BSD-2-Clause
#include "kernel_image.h"

#include <elf.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <random>
#include <string_view>

namespace ksyms::bench {

namespace {

using test::TestSymbol;

constexpr std::array<std::string_view, 24> subsystems = {
	"ext4", "tcp", "sched", "mm", "kvm", "drm", "usb", "net",
	"irq", "rcu", "bpf", "xfs", "nfs", "pci", "acpi", "i915",
	"btrfs", "cgroup", "crypto", "blk", "sock", "vfs", "page", "dev"};
constexpr std::array<std::string_view, 20> verbs = {
	"init", "exit", "alloc", "free", "get", "put", "lookup", "update",
	"handle", "process", "read", "write", "open", "release", "probe",
	"remove", "setup", "start", "stop", "flush"};
constexpr std::array<std::string_view, 16> nouns = {
	"inode", "buffer", "queue", "entry", "state", "request", "context",
	"table", "work", "node", "map", "ops", "lock", "page", "range",
	"event"};
constexpr std::array<std::string_view, 4> suffixes = {
	".isra.0", ".constprop.0", ".part.0", ".cold"};

class Generator {
public:
	explicit Generator(uint64_t seed) : random_(seed) {}

	std::string name()
	{
		std::string out(pick(subsystems));
		out += '_';
		out += pick(verbs);
		out += '_';
		out += pick(nouns);
		if (below(4) == 0)
			out += std::to_string(below(64));
		if (below(20) == 0)
			out += pick(suffixes);
		return out;
	}

	// Log-normal sizes: many small functions and objects, a long tail.
	uint64_t size(double median, uint64_t low, uint64_t high)
	{
		std::lognormal_distribution<double> distribution(std::log(median),
								 1.0);
		double value = distribution(random_);
		return std::clamp<uint64_t>(static_cast<uint64_t>(value), low, high);
	}

	uint64_t below(uint64_t n) { return random_() % n; }

private:
	template <size_t N>
	std::string_view pick(const std::array<std::string_view, N> &from)
	{
		return from[below(N)];
	}

	std::mt19937_64 random_;
};

unsigned char bind(bool global)
{
	return global ? STB_GLOBAL : STB_LOCAL;
}

uint64_t align_up(uint64_t value, uint64_t alignment)
{
	return (value + alignment - 1) & ~(alignment - 1);
}

// vmlinux symbols get the size the driver gives them: the distance to the
// next higher address (0 for the last one).
void sizes_to_next(std::vector<TestSymbol> &symbols)
{
	for (size_t i = 0; i + 1 < symbols.size(); i++)
		symbols[i].size = symbols[i + 1].address - symbols[i].address;
	if (!symbols.empty())
		symbols.back().size = 0;
}

} // namespace

std::vector<TestSymbol> kernel_symbols(uint64_t seed)
{
	Generator gen(seed);
	std::vector<TestSymbol> percpu, vmlinux, modules;

	uint64_t address = 0x1000;
	for (int i = 0; i < 400; i++) {
		percpu.push_back({"percpu_" + gen.name(), address, 0, STT_NOTYPE,
				  STB_GLOBAL});
		address += align_up(gen.size(64, 8, 4096), 8);
	}

	// vmlinux text, then rodata, data and bss, each section page-aligned.
	address = 0xffffffff81000000;
	vmlinux.push_back({"_stext", address, 0, STT_NOTYPE, STB_GLOBAL});
	for (int i = 0; i < 110000; i++) {
		bool global = gen.below(3) == 0;
		unsigned char type = gen.below(50) == 0 ? STT_NOTYPE : STT_FUNC;
		vmlinux.push_back({gen.name(), address, 0, type,
				   bind(global)});
		address = align_up(address + gen.size(200, 4, 32768), 16);
	}
	struct Section {
		int count;
		double median;
	};
	for (Section section : {Section{20000, 64}, Section{20000, 48},
				Section{10000, 128}}) {
		address = align_up(address, 0x200000);
		for (int i = 0; i < section.count; i++) {
			bool global = gen.below(4) == 0;
			vmlinux.push_back({gen.name(), address, 0, STT_OBJECT,
					   bind(global)});
			address = align_up(address + gen.size(section.median, 1,
							       65536), 8);
		}
	}
	vmlinux.push_back({"_end", address, 0, STT_NOTYPE, STB_GLOBAL});
	sizes_to_next(vmlinux);

	// Modules: each one's text and data pages, its own st_size values.
	address = 0xffffffffc0000000;
	for (int module = 0; module < 120; module++) {
		std::string prefix = "mod" + std::to_string(module) + "_";
		int functions = 300 + gen.below(400);
		for (int i = 0; i < functions; i++) {
			uint64_t size = gen.size(180, 8, 16384);
			bool global = gen.below(4) == 0;
			modules.push_back({prefix + gen.name(), address, size,
					   STT_FUNC, bind(global)});
			address = align_up(address + size + gen.below(2) * 16, 16);
		}
		address = align_up(address, 0x1000);
		int objects = 100 + gen.below(100);
		for (int i = 0; i < objects; i++) {
			uint64_t size = gen.size(48, 1, 8192);
			modules.push_back({prefix + gen.name(), address, size,
					   STT_OBJECT, STB_LOCAL});
			address = align_up(address + size, 8);
		}
		// The next module's allocation, a guard page further.
		address = align_up(address, 0x1000) + 0x1000;
	}

	std::vector<TestSymbol> image;
	image.reserve(percpu.size() + vmlinux.size() + modules.size());
	for (bool locals : {true, false}) {
		for (const auto *object : {&percpu, &vmlinux, &modules}) {
			for (const TestSymbol &symbol : *object) {
				if ((symbol.binding == STB_LOCAL) == locals)
					image.push_back(symbol);
			}
		}
	}
	return image;
}

void write_sectioned_image(const std::string &path,
			   const std::vector<TestSymbol> &symbols)
{
	struct Span {
		uint64_t low = UINT64_MAX, high = 0;
	};
	// Section 1 holds vmlinux, section 2 the modules.
	Span spans[3];
	auto section_of = [](uint64_t address) -> unsigned {
		if (address >= 0xffffffffc0000000)
			return 2;
		return address >= 0xffffffff80000000 ? 1 : 0;
	};
	for (const TestSymbol &symbol : symbols) {
		Span &span = spans[section_of(symbol.address)];
		span.low = std::min(span.low, symbol.address);
		span.high = std::max(span.high, symbol.address + symbol.size + 1);
	}

	std::vector<Elf64_Sym> table(1);
	std::string strings(1, '\0');
	uint32_t locals = 1;
	for (const TestSymbol &symbol : symbols) {
		Elf64_Sym sym{};
		sym.st_name = strings.size();
		sym.st_info = ELF64_ST_INFO(symbol.binding, symbol.type);
		unsigned section = section_of(symbol.address);
		sym.st_shndx = section ? section : SHN_ABS;
		sym.st_value = symbol.address;
		sym.st_size = symbol.size;
		table.push_back(sym);
		strings += symbol.name;
		strings += '\0';
		if (symbol.binding == STB_LOCAL)
			locals = table.size();
	}
	const char names[] = "\0.text\0.modules\0.symtab\0.strtab\0.shstrtab";
	// Header, symbols, strings, section names, then the section headers.
	size_t symtab_offset = sizeof(Elf64_Ehdr);
	size_t symtab_size = table.size() * sizeof(Elf64_Sym);
	size_t strtab_offset = symtab_offset + symtab_size;
	size_t names_offset = strtab_offset + strings.size();
	size_t shdr_offset = align_up(names_offset + sizeof(names), 8);

	Elf64_Ehdr ehdr{};
	std::memcpy(ehdr.e_ident, ELFMAG, SELFMAG);
	ehdr.e_ident[EI_CLASS] = ELFCLASS64;
	ehdr.e_ident[EI_DATA] = ELFDATA2LSB;
	ehdr.e_ident[EI_VERSION] = EV_CURRENT;
	ehdr.e_type = ET_EXEC;
	ehdr.e_machine = EM_X86_64;
	ehdr.e_version = EV_CURRENT;
	ehdr.e_shoff = shdr_offset;
	ehdr.e_ehsize = sizeof(Elf64_Ehdr);
	ehdr.e_shentsize = sizeof(Elf64_Shdr);
	ehdr.e_shnum = 6;
	ehdr.e_shstrndx = 5;

	Elf64_Shdr shdrs[6] = {};
	for (unsigned i = 1; i <= 2; i++) {
		shdrs[i].sh_name = i == 1 ? 1 : 7;
		shdrs[i].sh_type = SHT_NOBITS;
		shdrs[i].sh_flags = SHF_ALLOC | SHF_EXECINSTR;
		shdrs[i].sh_addr = spans[i].low;
		shdrs[i].sh_offset = shdr_offset;
		shdrs[i].sh_size = spans[i].high - spans[i].low;
		shdrs[i].sh_addralign = 16;
	}
	shdrs[3] = {16, SHT_SYMTAB, 0, 0, symtab_offset, symtab_size, 4, locals,
		    8, sizeof(Elf64_Sym)};
	shdrs[4] = {24, SHT_STRTAB, 0, 0, strtab_offset, strings.size(), 0, 0,
		    1, 0};
	shdrs[5] = {32, SHT_STRTAB, 0, 0, names_offset, sizeof(names), 0, 0, 1,
		    0};

	std::string file(reinterpret_cast<const char *>(&ehdr), sizeof(ehdr));
	file.append(reinterpret_cast<const char *>(table.data()), symtab_size);
	file += strings;
	file.append(names, sizeof(names));
	file.resize(shdr_offset, '\0');
	file.append(reinterpret_cast<const char *>(shdrs), sizeof(shdrs));
	test::write_file(path, file);
}

std::vector<uint64_t> addresses_inside(const std::vector<TestSymbol> &symbols,
				       size_t count, uint64_t seed)
{
	std::vector<const TestSymbol *> sized;
	for (const TestSymbol &symbol : symbols) {
		if (symbol.size != 0)
			sized.push_back(&symbol);
	}
	std::mt19937_64 random(seed);
	std::vector<uint64_t> addresses;
	addresses.reserve(count);
	for (size_t i = 0; i < count && !sized.empty(); i++) {
		const TestSymbol *symbol = sized[random() % sized.size()];
		addresses.push_back(symbol->address + random() % symbol->size);
	}
	return addresses;
}

} // namespace ksyms::bench
