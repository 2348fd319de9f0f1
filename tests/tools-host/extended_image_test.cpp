// SPDX-License-Identifier: BSD-2-Clause
// libksyms on images with an object table, build IDs and typed sections,
// written by the driver's own writer (driver/ksyms_elf_*.c): which object a
// symbol belongs to, the module and build ID symbolize gives, and nm's
// letters from the sections.
#include <ksyms/snapshot.h>
#include <ksyms/symbolize.h>

#include "driver_image.h"
#include "test_image.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace ksyms {
namespace {

using test::build_image;
using test::kModule;
using test::kVmlinux;
using test::Object;
using test::two_objects;

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
	rewriter.feed("RIP: 0010:ffffffffc0000084 end\n"
		      "0xffffffffc0100004 0xffffffff81000104\n", out);
	rewriter.finish(out);
	EXPECT_EQ("RIP: 0010:ffffffffc0000084 (ext9_exported+0x4/0x80 [ext9 "
		  "deadbeef]) end\n"
		  "0xffffffffc0100004 (bare_fn+0x4/0x20 [bare]) "
		  "0xffffffff81000104 (local_fn+0x4/0x100)\n",
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
