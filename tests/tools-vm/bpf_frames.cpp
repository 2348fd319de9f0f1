// SPDX-License-Identifier: BSD-2-Clause
// ksyms_json_check --bpf: every JIT-ed BPF program the kernel holds (ask
// it: bpf(BPF_OBJ_GET_INFO_BY_FD) gives each function's address and JIT-ed
// length), and the name /proc/kallsyms gives it, against what
// `ksyms symbolize` says of its first, second and last byte, in text and
// in JSON.  The kernel's own %pS names such a byte
// "bpf_prog_<tag>_<name>+0xoff/0xsize" (__bpf_address_lookup() in
// kernel/bpf/core.c), the size being the JIT-ed length since 5.18 and the
// rest of the function's JIT image before; ksyms adds kallsyms' module
// name for it, [bpf].
#include "vm_json.h"

#include <ksyms/kallsyms.h>

#include <linux/bpf.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace ksyms::vmcheck {

namespace {

struct Function {
	uint64_t address;
	uint32_t length;	// JIT-ed bytes
	std::string name;	// kallsyms'
	uint64_t size;		// the size the kernel's lookup gives it
};

// What __bpf_address_lookup() takes as a function's size: its JIT-ed
// length since 5.18; before, the rest of its JIT image, which
// bpf_jit_binary_alloc() made whole pages from the page the function
// starts in, with room for the image's 8-byte header and 128 bytes of
// slack.
uint64_t kernel_size(uint64_t address, uint32_t length)
{
	utsname name{};
	int major = 0, minor = 0;
	if (uname(&name) == 0)
		std::sscanf(name.release, "%d.%d", &major, &minor);
	if (major > 5 || (major == 5 && minor >= 18))
		return length;
	uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
	uint64_t start = address & ~(page - 1);
	uint64_t image = (length + 8 + 128 + page - 1) & ~(page - 1);
	return start + image - address;
}

long bpf(int command, bpf_attr &attr)
{
	return syscall(__NR_bpf, command, &attr, sizeof(attr));
}

// The JIT-ed functions of program `fd`: (address, length) pairs.
std::vector<std::pair<uint64_t, uint32_t>> jited_functions(int fd)
{
	bpf_prog_info info{};
	bpf_attr attr{};
	attr.info.bpf_fd = fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = reinterpret_cast<uintptr_t>(&info);
	if (bpf(BPF_OBJ_GET_INFO_BY_FD, attr) != 0)
		return {};
	uint32_t n = std::min(info.nr_jited_ksyms, info.nr_jited_func_lens);
	std::vector<uint64_t> addresses(n);
	std::vector<uint32_t> lengths(n);
	info = {};
	info.nr_jited_ksyms = n;
	info.jited_ksyms = reinterpret_cast<uintptr_t>(addresses.data());
	info.nr_jited_func_lens = n;
	info.jited_func_lens = reinterpret_cast<uintptr_t>(lengths.data());
	attr = {};
	attr.info.bpf_fd = fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = reinterpret_cast<uintptr_t>(&info);
	if (bpf(BPF_OBJ_GET_INFO_BY_FD, attr) != 0)
		return {};
	std::vector<std::pair<uint64_t, uint32_t>> out;
	for (uint32_t i = 0; i < n; i++)
		out.emplace_back(addresses[i], lengths[i]);
	return out;
}

// Every loaded program's JIT-ed functions that kallsyms lists as [bpf].
std::vector<Function> bpf_functions(const KallsymsTable &kallsyms)
{
	std::map<uint64_t, std::string> names;
	for (const KallsymsEntry &e : kallsyms.entries())
		if (e.module == "bpf")
			names[e.address] = std::string(e.name);
	std::vector<Function> out;
	bpf_attr attr{};
	for (;;) {
		if (bpf(BPF_PROG_GET_NEXT_ID, attr) != 0)
			break;
		uint32_t id = attr.next_id;
		attr = {};
		attr.prog_id = id;
		int fd = static_cast<int>(bpf(BPF_PROG_GET_FD_BY_ID, attr));
		if (fd >= 0) {
			for (auto [address, length] : jited_functions(fd)) {
				auto name = names.find(address);
				if (name != names.end() && length > 0)
					out.push_back({address, length, name->second,
						       kernel_size(address, length)});
			}
			close(fd);
		}
		attr = {};
		attr.start_id = id;
	}
	return out;
}

} // namespace

int check_bpf_frames(const std::string &ksyms)
{
	auto kallsyms = KallsymsTable::read();
	if (!kallsyms) {
		std::printf("# %s\n", kallsyms.error().message().c_str());
		return 1;
	}
	std::vector<Function> functions = bpf_functions(*kallsyms);
	// Each function's first, second and last byte.
	struct Probe {
		const Function *function;
		uint32_t offset;
	};
	std::vector<Probe> probes;
	std::string arguments;
	for (const Function &f : functions) {
		for (uint32_t offset : {0u, 1u, f.length - 1}) {
			probes.push_back({&f, offset});
			// Appended, not `" " + hex(...)`: GCC 12 at -O2 warns of
			// a false -Wrestrict overlap in that operator+.
			arguments += ' ';
			arguments += hex(f.address + offset);
		}
	}
	std::printf("# %zu JIT-ed BPF functions listed as [bpf]\n", functions.size());
	if (functions.size() < 5)
		return 1;

	Run text = run(ksyms + " symbolize" + arguments);
	Run json = run(ksyms + " symbolize --json" + arguments);
	std::vector<nlohmann::json> answers = parse_lines(json.out);
	std::vector<std::string> lines;
	for (size_t at = 0, end; at < text.out.size(); at = end + 1) {
		end = text.out.find('\n', at);
		if (end == std::string::npos)
			end = text.out.size();
		lines.push_back(text.out.substr(at, end - at));
	}
	if (text.status != 0 || json.status != 0 || answers.size() != probes.size() ||
	    lines.size() != probes.size()) {
		std::printf("# exit %d and %d, %zu lines and %zu answers for %zu "
			    "addresses\n",
			    text.status, json.status, lines.size(), answers.size(),
			    probes.size());
		return 1;
	}
	size_t wrong = 0;
	for (size_t i = 0; i < probes.size(); i++) {
		const Function &f = *probes[i].function;
		uint64_t address = f.address + probes[i].offset;
		std::string want = hex(address).substr(2) + " " + f.name + "+" +
				   hex(probes[i].offset) + "/" + hex(f.size) +
				   " [bpf]";
		nlohmann::json frame = answers[i].value("Symbol", nlohmann::json::array());
		bool json_right =
			answers[i].value("Address", "") == hex(address) &&
			answers[i].value("ModuleName", "") == "bpf" &&
			frame.size() == 1 &&
			frame[0].value("FunctionName", "") == f.name &&
			frame[0].value("StartAddress", "") == hex(f.address) &&
			frame[0].value("Offset", "") == hex(probes[i].offset) &&
			frame[0].value("Size", "") == hex(f.size);
		// The command line's text is echoed as given, here 0x and digits.
		bool text_right = lines[i] == "0x" + want;
		if ((!json_right || !text_right) && wrong++ < 10)
			std::printf("# want %s, got \"%s\" and %s\n", want.c_str(),
				    lines[i].c_str(), answers[i].dump().c_str());
	}
	std::printf("# %zu bytes of BPF programs: %zu named otherwise than the "
		    "kernel names them\n",
		    probes.size(), wrong);
	return wrong ? 1 : 0;
}

} // namespace ksyms::vmcheck
