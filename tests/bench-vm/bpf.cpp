// SPDX-License-Identifier: BSD-2-Clause
// Section 4: BPF programs, which kallsyms lists after the modules and
// which come and go without the driver being told.

#include "compare.h"
#include "consume.h"
#include "elf_symtab.h"
#include "files.h"
#include "sections.h"

#include <linux/bpf.h>
#include <linux/ksyms.h>

#include <gelf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <vector>

namespace bench {

namespace {

// A socket filter that returns 0; kallsyms lists it as
// bpf_prog_<tag>_ksyms_b<index> [bpf].
Result<Fd> load_bpf(int index)
{
	bpf_insn insns[2] = {};
	insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K;
	insns[1].code = BPF_JMP | BPF_EXIT;
	bpf_attr attr{};
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = reinterpret_cast<std::uintptr_t>(insns);
	attr.insn_cnt = 2;
	attr.license = reinterpret_cast<std::uintptr_t>("GPL");
	std::snprintf(attr.prog_name, sizeof(attr.prog_name), "ksyms_b%d", index % 10000);
	long fd = syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return errno_error("bpf(BPF_PROG_LOAD)");
	return Fd(int(fd));
}

// Objects flagged KSYMS_OBJECT_PSEUDO named "bpf" in the image: their symbols.
Result<std::size_t> image_bpf_symbols()
{
	auto img = open_image();
	if (!img.ok())
		return img.error();
	ElfPtr elf(elf_memory(const_cast<char *>(img->image.data()), img->image.size()));
	std::size_t n = 0, shnum = 0;
	if (!elf || elf_getshdrnum(elf.get(), &shnum) != 0)
		return elf_error("elf_memory");
	for (std::size_t i = 0; i < shnum; i++) {
		Elf_Scn *scn = elf_getscn(elf.get(), i);
		GElf_Shdr sh;
		if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_entsize != sizeof(ksyms_object))
			continue;
		Elf_Data *d = elf_getdata(scn, nullptr);
		const auto *obj = static_cast<const ksyms_object *>(d ? d->d_buf : nullptr);
		for (std::size_t k = 0; obj && k < d->d_size / sizeof(*obj); k++)
			if ((obj[k].flags & KSYMS_OBJECT_PSEUDO) && !std::strcmp(obj[k].name, "bpf"))
				n += obj[k].nr_locals + obj[k].nr_globals;
	}
	elf.reset();
	if (auto s = img->close(); !s.ok())
		return s.error();
	return n;
}

} // namespace

// 4: what keeping BPF programs current costs an open.  Every open reads
// the lines kallsyms lists after the modules and rebuilds only if they
// changed: a warm open with 20 programs loaded (batches of opens,
// interleaved with /dev/null's, as the warm row at +0), and the first open
// after one more program was loaded (a rebuild that copies every module).
Status bench_bpf(const Options &o, const Point &p0, Report &rep)
{
	constexpr int programs = 20;
	// Off, kallsyms lists no program: the default where the JIT is not
	// always on.
	const char *listing = "/proc/sys/net/core/bpf_jit_kallsyms";
	if (auto on = read_file(listing); on.ok() && on->starts_with("0"))
		if (auto s = write_file(listing, "1\n"); !s.ok())
			return s;
	std::vector<Fd> held;
	for (int i = 0; i < programs; i++) {
		auto fd = load_bpf(i);
		if (!fd.ok())
			return fd.error();
		held.push_back(std::move(*fd));
	}
	auto listed = image_bpf_symbols();
	if (!listed.ok())
		return listed.error();
	auto warm = warm_against_null(o);
	if (!warm.ok())
		return warm.error();
	// The first open after one more program, interleaved with batches of
	// warm opens with the 20.
	int next = programs;
	auto after_load = interleave(o.reps, nothing, [&]() -> Result<Run> {
		auto fd = load_bpf(next++);
		if (!fd.ok())
			return fd.error();
		return cold_ksyms_open();	// the program goes when fd does, before the next
	}, [&]() -> Result<Run> {
		// The program just closed leaves kallsyms (its release may be
		// deferred): an untimed open takes that rebuild.
		usleep(20 * 1000);
		if (auto s = open_close(KSYMS_PATH); !s.ok())
			return s.error();
		return warm_batch(o, KSYMS_PATH);
	});
	if (!after_load.ok())
		return after_load.error();
	rep.check("bpf_programs_in_image", {fmt("[bpf] symbols in the image, %d loaded", programs),
		  fmt("%zu", *listed), "programs loaded", fmt("%d", programs), "", ">= 20", ""},
		  *listed >= std::size_t(programs));
	// Measured, not a goal: each line costs the kernel's formatting.
	Spread w = warm->a.ns();
	rep.row({fmt("warm open+close, %d BPF programs", programs), human_time(w),
		 "open+close /dev/null", human_time(warm->b.ns()), ratio_text(warm->ratio()),
		 "-", "-"});
	rep.row({fmt("warm open+close, %d BPF programs", programs), human_time(w),
		 "warm open+close at +0, none (measured earlier)", human_time(p0.warm),
		 ratio_text(w.med / p0.warm.med), "-", "-"});
	rep.row({"first open+close after one more BPF program", human_time(after_load->a.ns()),
		 fmt("warm open+close, %d BPF programs", programs), human_time(after_load->b.ns()),
		 ratio_text(after_load->ratio()), "-", "-"});
	return success();
}

} // namespace bench
