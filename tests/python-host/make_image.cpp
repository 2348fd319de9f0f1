// SPDX-License-Identifier: BSD-2-Clause
// ksyms_python_image PATH: writes the image the Python tests read, made by
// the driver's own writer as /dev/ksyms makes one (docs/image-format.md):
// vmlinux, two modules and two objects kallsyms lists after the modules,
// with build IDs on some of them, names that repeat across objects (local
// in one, global or weak in another), weak, absolute and size-0 symbols,
// sized symbols nested in others, and some thousands of generated
// functions and data objects so that lookups go through real indexes.
// Fixed: every run writes the same bytes.
#include "driver_image.h"

#include <cstdint>
#include <cstdio>
#include <deque>
#include <string>
#include <vector>

using DriverObject = ksyms::test::Object;
using DriverSymbol = ksyms::test::Sym;

namespace {

constexpr uint64_t kVmlinux = 0xffffffff81000000ULL;
constexpr uint64_t kModules = 0xffffffffc0000000ULL;
constexpr uint64_t kBpf = 0xffffffffa0000000ULL;

// A small fixed-seed generator: the same image on every machine.
class Sequence {
public:
	uint64_t next(uint64_t bound)
	{
		state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
		return (state_ >> 33) % bound;
	}

private:
	uint64_t state_ = 6;
};

// The names the symbols point to, alive until the image is written.
std::deque<std::string> names;

const char *keep(std::string name)
{
	return names.emplace_back(std::move(name)).c_str();
}

const char *numbered(const char *prefix, int n)
{
	char name[64];
	std::snprintf(name, sizeof(name), "%s_%04d", prefix, n);
	return keep(name);
}

// `count` functions from `address` up, 16-byte aligned with gaps, every
// fifth global, every 97th a size-0 label.
uint64_t add_functions(std::vector<DriverSymbol> &syms, Sequence &random,
		       const char *prefix, int count, uint64_t address)
{
	for (int i = 0; i < count; i++) {
		uint64_t size = 16 * (1 + random.next(32));
		bool label = i % 97 == 50;
		syms.push_back({numbered(prefix, i), i % 5 == 0 ? 'T' : 't',
				address, label ? 0 : size});
		address += size + 16 * random.next(3);
	}
	return address;
}

DriverObject vmlinux(Sequence &random)
{
	DriverObject o{"vmlinux", {}, {}};
	for (uint8_t i = 0; i < 20; i++)
		o.build_id.push_back(0x10 + i * 7);
	auto &s = o.syms;
	s.push_back({"_stext", 'T', kVmlinux, 0x100});
	s.push_back({"startup_64", 't', kVmlinux + 0x100, 0x80});
	s.push_back({"dup_name", 't', kVmlinux + 0x180, 0x40});
	// A function with a sized symbol inside it: the innermost wins.
	s.push_back({"outer_fn", 'T', kVmlinux + 0x200, 0x100});
	s.push_back({"inner_label", 't', kVmlinux + 0x240, 0x10});
	s.push_back({"weak_fn", 'W', kVmlinux + 0x300, 0x20});
	// Also local in the modules: a global or weak one is preferred.
	s.push_back({"global_or_local", 'T', kVmlinux + 0x320, 0x20});
	s.push_back({"weak_or_local", 'W', kVmlinux + 0x340, 0x20});
	uint64_t end = add_functions(s, random, "vmlinux_fn", 2500,
				     kVmlinux + 0x1000);
	s.push_back({"_etext", 'T', end, 0});
	s.push_back({"rodata_table", 'r', kVmlinux + 0x1000000, 0x200});
	s.push_back({"linux_banner", 'R', kVmlinux + 0x1000200, 0x80});
	s.push_back({"init_task", 'D', kVmlinux + 0x1400000, 0x1000});
	s.push_back({"dup_name", 'd', kVmlinux + 0x1401000, 0x8});
	s.push_back({"weak_object", 'V', kVmlinux + 0x1401008, 0x8});
	for (int i = 0; i < 500; i++)
		s.push_back({numbered("vmlinux_data", i), i % 3 ? 'd' : 'D',
			     kVmlinux + 0x1402000 + 0x40 * i,
			     0x20 + uint64_t(i % 4) * 8});
	s.push_back({"zeroed_page", 'b', kVmlinux + 0x1800000, 0x1000});
	s.push_back({"fixed_percpu_data", 'A', 0, 0});
	s.push_back({"cpu_number", 'A', 0x2c, 0});
	return o;
}

DriverObject module(Sequence &random, const char *name, uint64_t base,
		    int functions, bool build_id)
{
	DriverObject o{name, {}, {}};
	if (build_id)
		o.build_id = {0xde, 0xad, 0xbe, 0xef, 0x00, 0x42};
	auto &s = o.syms;
	s.push_back({"dup_name", 't', base, 0x30});
	s.push_back({"global_or_local", 't', base + 0x30, 0x8});
	s.push_back({"weak_or_local", 't', base + 0x38, 0x8});
	add_functions(s, random, (std::string(name) + "_fn").c_str(), functions,
		      base + 0x40);
	s.push_back({keep(std::string(name) + "_state"), 'd', base + 0x100000, 0x40});
	s.push_back({keep(std::string(name) + "_exported"), 'D', base + 0x100040, 0x8});
	return o;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: %s PATH\n", argv[0]);
		return 2;
	}
	Sequence random;
	std::vector<DriverObject> objects = {
		vmlinux(random),
		module(random, "moda", kModules, 400, true),
		module(random, "modb", kModules + 0x200000, 150, false),
		{"bpf",
		 {{"bpf_prog_6deef7357e7b4530_prog", 't', kBpf + 0x800, 0x40},
		  {"bpf_prog_aaaabbbbccccdddd_other", 't', kBpf, 0x80}},
		 {}},
		{"__builtin__kprobes",
		 {{"kprobe_insn_page", 't', kBpf + 0x100000, 0x1000}},
		 {}},
	};
	std::vector<uint8_t> image = ksyms::test::build_image(objects, 2);
	if (image.empty()) {
		std::fprintf(stderr, "%s: the driver's writer refused the objects\n",
			     argv[0]);
		return 1;
	}
	FILE *out = std::fopen(argv[1], "wb");
	if (!out || std::fwrite(image.data(), 1, image.size(), out) != image.size() ||
	    std::fclose(out) != 0) {
		std::perror(argv[1]);
		return 1;
	}
	return 0;
}
