// SPDX-License-Identifier: GPL-2.0
// libksyms on images with an object table, build IDs and typed sections,
// written by the driver's own writer (driver/ksyms_elf_*.c): which object a
// symbol belongs to, the module and build ID symbolize gives, and nm's
// letters from the sections.
#include <ksyms/snapshot.h>
#include <ksyms/symbolize.h>

#include "test_image.h"

extern "C" {
#include "ksyms_elf.h"
#include "ksyms_nm.h"
}

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace ksyms {
namespace {

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

// One Elf64_Sym as the driver makes it from a kallsyms letter.
Elf64_Sym elf_sym(const Sym &s)
{
	Elf64_Sym sym{};
	ksyms_nm_to_sym(s.letter, s.address, &sym);
	sym.st_size = s.size;
	return sym;
}

// Builds the image the driver would for these objects, locals first; the
// last @pseudo of them are pseudo-objects.
std::vector<uint8_t> build_image(const std::vector<Object> &objects,
				 size_t pseudo = 0)
{
	ksyms_elf_layout layout{};
	std::vector<std::vector<ksyms_typed_section>> sections;
	std::vector<std::vector<Elf64_Sym>> placed;

	layout.nr_locals = 1;
	layout.strtab_size = 1;
	layout.nr_objects = objects.size();
	for (const Object &o : objects) {
		ksyms_elf_chunker c;
		std::vector<ksyms_typed_section> secs(o.syms.size() + 1);
		std::vector<Elf64_Sym> syms;

		ksyms_elf_chunker_init(&c, secs.data(), secs.size(),
				       KSYMS_ELF_SECTION_SPAN);
		for (const Sym &s : o.syms) {
			Elf64_Sym sym = elf_sym(s);
			sym.st_shndx = ksyms_elf_place(
				&c, &sym, ksyms_nm_kind(s.letter),
				KSYMS_SHN_FIRST_TYPED + layout.nr_sections);
			syms.push_back(sym);
			(ksyms_elf_is_local(&sym) ? layout.nr_locals
						  : layout.nr_globals)++;
			layout.strtab_size += strlen(s.name) + 1;
		}
		ksyms_elf_chunker_finish(&c);
		secs.resize(c.nr);
		layout.nr_sections += c.nr;
		layout.zero_size = std::max(layout.zero_size, c.zero_size);
		layout.nobits_size = std::max(layout.nobits_size, c.nobits_size);
		layout.build_ids_size +=
			ksyms_elf_build_id_note_size(o.build_id.size());
		sections.push_back(secs);
		placed.push_back(syms);
	}

	std::vector<uint8_t> image(ksyms_elf_image_size(&layout));
	ksyms_elf_write_headers(image.data(), &layout, EM_X86_64, ELFDATA2LSB);
	ksyms_elf_cursor at;
	ksyms_elf_cursor_init(&at, image.data(), &layout);
	for (size_t k = 0; k < objects.size(); k++) {
		ksyms_object *rec =
			ksyms_elf_object_begin(&at, objects[k].name.c_str());
		EXPECT_NE(nullptr, rec);
		if (rec && k + pseudo >= objects.size())
			rec->flags = KSYMS_OBJECT_PSEUDO;
		for (size_t i = 0; i < placed[k].size(); i++) {
			const Sym &s = objects[k].syms[i];
			EXPECT_EQ(0, ksyms_elf_cursor_add(&at, &placed[k][i],
							  s.name, strlen(s.name),
							  s.letter));
		}
		EXPECT_EQ(0, ksyms_elf_object_end(&at, rec, sections[k].data(),
						  sections[k].size(),
						  objects[k].build_id.data(),
						  objects[k].build_id.size()));
	}
	EXPECT_TRUE(ksyms_elf_writer_complete(&at.w));
	return image;
}

std::vector<Object> two_objects()
{
	Object vmlinux{"vmlinux",
		       {{"_stext", 'T', kVmlinux, 0x100},
			{"local_fn", 't', kVmlinux + 0x100, 0x100},
			{"table", 'r', kVmlinux + 0x400000, 0x40},
			{"init_task", 'D', kVmlinux + 0x600000, 0x1000},
			{"zeroed", 'b', kVmlinux + 0x800000, 0x10},
			{"weak_fn", 'W', kVmlinux + 0x200, 0x10},
			{"fixed_percpu_data", 'A', 0x0, 0}},
		       {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01,
			0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23,
			0x45, 0x67}};
	Object module{"ext9",
		      {{"ext9_helper", 't', kModule, 0x80},
		       {"ext9_exported", 'T', kModule + 0x80, 0x80},
		       {"ext9_state", 'd', kModule + 0x10000, 0x8}},
		      {0xde, 0xad, 0xbe, 0xef}};
	Object bare{"bare", {{"bare_fn", 't', kModule + 0x100000, 0x20}}, {}};
	return {vmlinux, module, bare};
}

class ExtendedImage : public ::testing::Test {
protected:
	void SetUp() override
	{
		std::vector<uint8_t> image = build_image(two_objects());
		path_ = dir_.file("extended.elf");
		test::write_file(path_,
				 std::string(image.begin(), image.end()));
		auto opened = Snapshot::open_file(path_);
		ASSERT_TRUE(opened) << opened.error().message();
		snapshot_.emplace(std::move(*opened));
	}

	const Symbol *find(std::string_view name)
	{
		auto found = snapshot_->find_name(name);
		if (found.empty())
			return nullptr;
		last_ = found.front();
		return &last_;
	}

	test::TempDir dir_;
	std::string path_;
	std::optional<Snapshot> snapshot_;
	Symbol last_;
};

TEST_F(ExtendedImage, ObjectsInOrderWithBuildIds)
{
	auto objects = snapshot_->objects();
	ASSERT_EQ(3u, objects.size());
	EXPECT_EQ("vmlinux", objects[0].name);
	EXPECT_TRUE(objects[0].is_vmlinux());
	EXPECT_EQ("ext9", objects[1].name);
	EXPECT_EQ("bare", objects[2].name);
	EXPECT_EQ("0123456789abcdef0123456789abcdef01234567",
		  format_build_id(objects[0].build_id));
	EXPECT_EQ("deadbeef", format_build_id(objects[1].build_id));
	EXPECT_TRUE(objects[2].build_id.empty());
	EXPECT_EQ(kModule, objects[1].base);
	EXPECT_EQ(0x10008u, objects[1].size);
}

TEST_F(ExtendedImage, EverySymbolHasItsObject)
{
	for (Symbol s : snapshot_->symbols()) {
		const ObjectInfo *object = snapshot_->object_of(s.index);
		ASSERT_NE(nullptr, object) << s.name;
		bool module_symbol = s.name.starts_with("ext9");
		bool bare_symbol = s.name.starts_with("bare");
		EXPECT_EQ(module_symbol ? "ext9" :
			  bare_symbol	? "bare" :
					  "vmlinux",
			  object->name)
			<< s.name;
		EXPECT_EQ(object->is_vmlinux() ? "" : object->name,
			  snapshot_->module_of(s.index, s.address));
	}
	EXPECT_EQ(nullptr, snapshot_->object_of(0));
	EXPECT_EQ(nullptr, snapshot_->object_of(1000));
}

// Letters as GNU nm gives them from the typed sections' flags.
TEST_F(ExtendedImage, LettersFromSections)
{
	const std::pair<const char *, char> want[] = {
		{"_stext", 'T'},	{"local_fn", 't'},   {"table", 'r'},
		{"init_task", 'D'},	{"zeroed", 'b'},     {"weak_fn", 'W'},
		{"fixed_percpu_data", 'A'}, {"ext9_helper", 't'},
		{"ext9_state", 'd'},
	};
	for (const auto &[name, letter] : want) {
		const Symbol *s = find(name);
		ASSERT_NE(nullptr, s) << name;
		EXPECT_EQ(letter, s->letter) << name;
	}
}

// The kernel's %pSb: "[module buildid]" for modules, nothing for vmlinux.
TEST_F(ExtendedImage, SymbolizeGivesModuleAndBuildId)
{
	auto in_module = snapshot_->symbolize(kModule + 0x90);
	ASSERT_TRUE(in_module);
	EXPECT_EQ("ext9_exported+0x10/0x80 [ext9 deadbeef]",
		  format_match(*in_module));
	auto in_bare = snapshot_->symbolize(kModule + 0x100004);
	ASSERT_TRUE(in_bare);
	EXPECT_EQ("bare_fn+0x4/0x20 [bare]", format_match(*in_bare));
	auto in_vmlinux = snapshot_->symbolize(kVmlinux + 0x104);
	ASSERT_TRUE(in_vmlinux);
	EXPECT_EQ("local_fn+0x4/0x100", format_match(*in_vmlinux));
	EXPECT_EQ(20u, in_vmlinux->build_id.size());

	std::string out;
	AddressRewriter rewriter(*snapshot_);
	rewriter.feed("RIP: 0010:ffffffffc0000084 end\n", out);
	rewriter.finish(out);
	EXPECT_EQ("RIP: 0010:ffffffffc0000084 (ext9_exported+0x4/0x80 [ext9 "
		  "deadbeef]) end\n",
		  out);
}

// kallsyms' order (vmlinux, then the modules newest first, each as it
// listed its symbols, locals and globals mixed) and letters, back from .ksyms.kallsyms, and the command's
// --format=kallsyms output.
TEST_F(ExtendedImage, KallsymsOrderAndLetters)
{
	ASSERT_TRUE(snapshot_->has_kallsyms_order());
	std::string listed;
	for (uint32_t index : snapshot_->kallsyms_order()) {
		Symbol s = snapshot_->symbol(index);
		listed += std::string(s.name) + ":" +
			  snapshot_->kallsyms_letter(index) + " ";
	}
	EXPECT_EQ("_stext:T local_fn:t table:r init_task:D zeroed:b "
		  "weak_fn:W fixed_percpu_data:A bare_fn:t ext9_helper:t "
		  "ext9_exported:T ext9_state:d ",
		  listed);

	auto run = test::run_shell(std::string(KSYMS_COMMAND) + " --file " +
				   path_ + " dump --format=kallsyms");
	EXPECT_EQ(0, run.status) << run.out;
	EXPECT_EQ("ffffffff81000000 T _stext\n"
		  "ffffffff81000100 t local_fn\n"
		  "ffffffff81400000 r table\n"
		  "ffffffff81600000 D init_task\n"
		  "ffffffff81800000 b zeroed\n"
		  "ffffffff81000200 W weak_fn\n"
		  "0000000000000000 A fixed_percpu_data\n"
		  "ffffffffc0100000 t bare_fn\t[bare]\n"
		  "ffffffffc0000000 t ext9_helper\t[ext9]\n"
		  "ffffffffc0000080 T ext9_exported\t[ext9]\n"
		  "ffffffffc0010000 d ext9_state\t[ext9]\n",
		  run.out);
}

// What kallsyms lists after the modules (BPF programs, kprobe pages) comes
// after them in its order too, as the image has it, and symbolizes as
// kallsyms names it.
TEST(PseudoObjects, ListedAfterTheModulesAndSymbolized)
{
	std::vector<Object> objects = two_objects();
	constexpr uint64_t kBpf = 0xffffffffa0000000ULL;
	objects.push_back({"bpf",
			   {{"bpf_prog_6deef7357e7b4530_b", 't', kBpf + 0x800, 0x40},
			    {"bpf_prog_aaaabbbbccccdddd_a", 't', kBpf, 0x80}},
			   {}});
	objects.push_back({"__builtin__kprobes",
			   {{"kprobe_insn_page", 't', kBpf + 0x100000, 0x1000}},
			   {}});
	std::vector<uint8_t> image = build_image(objects, 2);
	test::TempDir dir;
	std::string path = dir.file("pseudo.elf");
	test::write_file(path, std::string(image.begin(), image.end()));
	auto snapshot = Snapshot::open_file(path);
	ASSERT_TRUE(snapshot) << snapshot.error().message();

	auto infos = snapshot->objects();
	ASSERT_EQ(5u, infos.size());
	EXPECT_FALSE(infos[2].pseudo);
	EXPECT_TRUE(infos[3].pseudo);
	EXPECT_TRUE(infos[4].pseudo);

	auto run = test::run_shell(std::string(KSYMS_COMMAND) + " --file " +
				   path + " dump --format=kallsyms");
	EXPECT_EQ(0, run.status) << run.out;
	const std::string want = "ffffffffc0100000 t bare_fn\t[bare]\n"
		  "ffffffffc0000000 t ext9_helper\t[ext9]\n"
		  "ffffffffc0000080 T ext9_exported\t[ext9]\n"
		  "ffffffffc0010000 d ext9_state\t[ext9]\n"
		  "ffffffffa0000800 t bpf_prog_6deef7357e7b4530_b\t[bpf]\n"
		  "ffffffffa0000000 t bpf_prog_aaaabbbbccccdddd_a\t[bpf]\n"
		  "ffffffffa0100000 t kprobe_insn_page\t[__builtin__kprobes]\n";
	ASSERT_GE(run.out.size(), want.size()) << run.out;
	EXPECT_EQ(want, run.out.substr(run.out.size() - want.size()));

	run = test::run_shell(std::string(KSYMS_COMMAND) + " --file " + path +
			      " symbolize 0xffffffffa0000810");
	EXPECT_EQ(0, run.status) << run.out;
	EXPECT_NE(std::string::npos,
		  run.out.find("bpf_prog_6deef7357e7b4530_b+0x10/0x40 [bpf]"))
		<< run.out;
}

TEST(KallsymsFormat, RefusedForAnImageWithoutIt)
{
	test::TempDir dir;
	std::string path = dir.file("plain.elf");
	test::write_image(path, test::known_symbols());
	auto run = test::run_shell(std::string(KSYMS_COMMAND) + " --file " +
				   path + " dump --format=kallsyms");
	EXPECT_EQ(1, run.status);
	EXPECT_NE(std::string::npos, run.out.find("does not record"))
		<< run.out;
}

// A module map from /proc/modules does not override the image's table.
TEST_F(ExtendedImage, ObjectTableWinsOverModuleMap)
{
	auto map = ModuleMap::parse_proc_modules(
		"other 65536 0 - Live 0xffffffffc0000000\n");
	ASSERT_TRUE(map);
	snapshot_->set_modules(std::move(*map));
	auto match = snapshot_->symbolize(kModule + 0x4);
	ASSERT_TRUE(match);
	EXPECT_EQ("ext9", match->module);
}

} // namespace
} // namespace ksyms
