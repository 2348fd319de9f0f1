// SPDX-License-Identifier: BSD-2-Clause
// DebugInfo on a module compiled here: gcc -g -O2 and ld -r --build-id, as
// kbuild makes a .ko, placed by an image the driver's writer makes at an
// address of the module area.  The frames must come out of the .ko's DWARF
// relocated to that address, inlined call included; a directory without
// the file, or with another build's file under the module's name, must
// give none.  A kernel log's frames decode through the same files.
#include <ksyms/debuginfo.h>
#include <ksyms/snapshot.h>
#include <ksyms/trace.h>

#include "driver_image.h"
#include "test_image.h"

#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace ksyms {
namespace {

// Line 4 is the inlined function's call of sink() (a call the compiler
// cannot fold away), line 8 the inlined call; line 13 first_fn's body.
const char *const module_source =
	"extern void sink(int);\n"
	"static inline __attribute__((always_inline)) void notify(int x)\n"
	"{\n"
	"\tsink(x * 3);\n"
	"}\n"
	"int outer_fn(int x)\n"
	"{\n"
	"\tnotify(x);\n"
	"\treturn x + 2;\n"
	"}\n"
	"int first_fn(int x)\n"
	"{\n"
	"\treturn x + 5;\n"
	"}\n";

constexpr uint64_t text_at = test::kModule + 0x100000;

struct Built {
	std::string path;
	std::map<std::string, GElf_Sym> symbols;	// in .text
	std::vector<uint8_t> build_id;
};

// Compiles `source` in `dir` into NAME.ko; a broken toolchain is a broken
// fixture, not a result.
Built build_module(const std::string &dir, const std::string &name,
		   const std::string &source)
{
	Built built;
	test::write_file(dir + "/" + name + ".c", source);
	built.path = dir + "/" + name + ".ko";
	auto result = test::run_shell(
		"cd '" + dir + "' && gcc -g -O2 -fno-asynchronous-unwind-tables -c " +
		name + ".c -o " + name + ".o && ld -r --build-id=sha1 -o " +
		built.path + " " + name + ".o");
	EXPECT_EQ(0, result.status) << result.out;

	elf_version(EV_CURRENT);
	int fd = open(built.path.c_str(), O_RDONLY);
	Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
	const void *id = nullptr;
	ssize_t size = dwelf_elf_gnu_build_id(elf, &id);
	if (size > 0)
		built.build_id.assign((const uint8_t *)id,
				      (const uint8_t *)id + size);
	for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn;
	     scn = elf_nextscn(elf, scn)) {
		GElf_Shdr shdr;
		gelf_getshdr(scn, &shdr);
		if (shdr.sh_type != SHT_SYMTAB)
			continue;
		Elf_Data *data = elf_getdata(scn, nullptr);
		for (size_t i = 1; i < shdr.sh_size / shdr.sh_entsize; i++) {
			GElf_Sym sym;
			gelf_getsym(data, (int)i, &sym);
			if (GELF_ST_TYPE(sym.st_info) == STT_FUNC)
				built.symbols[elf_strptr(elf, shdr.sh_link,
							 sym.st_name)] = sym;
		}
	}
	elf_end(elf);
	close(fd);
	return built;
}

class DebugInfoModule : public ::testing::Test {
protected:
	void SetUp() override
	{
		module_ = build_module(dir_.path(), "mod", module_source);
		ASSERT_FALSE(module_.build_id.empty());
		ASSERT_TRUE(module_.symbols.count("outer_fn"));
		ASSERT_TRUE(module_.symbols.count("first_fn"));
		// The module as kallsyms would list it, .text at text_at.
		std::vector<test::Sym> syms;
		for (const auto &[name, sym] : module_.symbols)
			syms.push_back({name.c_str(), 'T', text_at + sym.st_value,
					sym.st_size});
		std::vector<test::Object> objects = {
			{"vmlinux", {{"_text", 'T', test::kVmlinux, 0x100}}, {}},
			{"mod", syms, module_.build_id}};
		std::vector<uint8_t> image = test::build_image(objects);
		image_ = dir_.file("image.elf");
		test::write_file(image_, std::string(image.begin(), image.end()));
		auto opened = Snapshot::open_file(image_);
		ASSERT_TRUE(opened) << opened.error().message();
		snapshot_.emplace(std::move(*opened));
	}

	// A /usr/lib/debug-like tree with `file` as the module's .ko.
	std::string debug_tree(const std::string &name, const std::string &file)
	{
		std::string tree = dir_.file(name);
		std::string modules = tree + "/lib/modules/6.0.0/kernel/drivers";
		EXPECT_EQ(0, test::run_shell("mkdir -p '" + modules + "' && cp '" +
					     file + "' '" + modules + "/mod.ko'")
				     .status);
		return tree;
	}

	uint64_t at(const char *name, uint64_t offset = 0)
	{
		return text_at + module_.symbols.at(name).st_value + offset;
	}

	test::TempDir dir_;
	Built module_;
	std::string image_;
	std::optional<Snapshot> snapshot_;
};

TEST_F(DebugInfoModule, FramesComeFromTheRelocatedModule)
{
	DebugInfo debug(*snapshot_, {{debug_tree("debug", module_.path)}});
	auto frames = debug.frames(at("first_fn"));
	ASSERT_FALSE(frames.empty());
	EXPECT_EQ("first_fn", frames.back().function);
	EXPECT_EQ("mod.c", frames.back().file);
	EXPECT_EQ(13u, frames.back().line);
	EXPECT_EQ(dir_.file("debug") +
			  "/lib/modules/6.0.0/kernel/drivers/mod.ko",
		  debug.debug_file(snapshot_->objects()[1]));
}

TEST_F(DebugInfoModule, InlinedCallHasItsCaller)
{
	DebugInfo debug(*snapshot_, {{debug_tree("debug", module_.path)}});
	// Some byte of outer_fn is notify()'s code.
	bool found = false;
	for (uint64_t off = 0; off < module_.symbols.at("outer_fn").st_size;
	     off++) {
		auto frames = debug.frames(at("outer_fn", off));
		if (frames.size() != 2)
			continue;
		found = true;
		EXPECT_EQ("notify", frames[0].function);
		EXPECT_EQ("mod.c", frames[0].file);
		EXPECT_EQ(4u, frames[0].line);
		EXPECT_EQ("outer_fn", frames[1].function);
		EXPECT_EQ("mod.c", frames[1].file);
		EXPECT_EQ(8u, frames[1].line);
	}
	EXPECT_TRUE(found) << "no address of outer_fn is in the inlined notify()";
}

TEST_F(DebugInfoModule, NoDebugFileGivesNoFrames)
{
	DebugInfo debug(*snapshot_, {{dir_.file("empty")}});
	EXPECT_TRUE(debug.enabled());
	EXPECT_TRUE(debug.frames(at("first_fn")).empty());
	EXPECT_EQ("", debug.debug_file(snapshot_->objects()[1]));
}

TEST_F(DebugInfoModule, AnotherBuildUnderTheNameIsNotUsed)
{
	std::string other_dir = dir_.file("other");
	ASSERT_EQ(0, test::run_shell("mkdir -p '" + other_dir + "'").status);
	Built other = build_module(other_dir, "mod",
				   std::string(module_source) + "int x;\n");
	ASSERT_NE(module_.build_id, other.build_id);
	DebugInfo debug(*snapshot_, {{debug_tree("debug", other.path)}});
	EXPECT_TRUE(debug.frames(at("first_fn")).empty());
}

TEST_F(DebugInfoModule, NothingToSearchIsDisabled)
{
	DebugInfoOptions options;
	options.debuginfod = false;
	DebugInfo debug(*snapshot_, options);
	EXPECT_FALSE(debug.enabled());
	EXPECT_TRUE(debug.frames(at("first_fn")).empty());
}

// A trace line as the kernel prints a module's frame.
std::string frame_line(const char *prefix, const char *name, uint64_t offset,
		       uint64_t size, const char *suffix)
{
	char line[256];
	snprintf(line, sizeof(line), "%s%s+0x%llx/0x%llx%s", prefix, name,
		 (unsigned long long)offset, (unsigned long long)size, suffix);
	return line;
}

TEST_F(DebugInfoModule, TraceLinesDecodeAsDecodeStacktrace)
{
	DebugInfo debug(*snapshot_, {{debug_tree("debug", module_.path)}});
	TraceDecoder decoder(*snapshot_, debug);
	uint64_t size = module_.symbols.at("first_fn").st_size;
	std::string out;
	decoder.decode_line(frame_line("[   1.5] RIP: 0010:", "first_fn", 0,
				       size, " [mod]\n"),
			    out);
	EXPECT_EQ("[   1.5] RIP: 0010:first_fn (mod.c:13) [mod]\n", out);

	// The inlined call: the code's line, then the caller's.
	bool found = false;
	for (uint64_t off = 0; off < module_.symbols.at("outer_fn").st_size;
	     off++) {
		if (debug.frames(at("outer_fn", off)).size() != 2)
			continue;
		found = true;
		out.clear();
		decoder.decode_line(frame_line(" ? ", "outer_fn", off, 0x40,
					       " [mod]"),
				    out);
		EXPECT_EQ(" ? outer_fn (mod.c:4 mod.c:8) [mod]", out);
		break;
	}
	EXPECT_TRUE(found);
}

TEST_F(DebugInfoModule, TraceLinesWithoutSourceAreUnchanged)
{
	uint64_t size = module_.symbols.at("first_fn").st_size;
	const std::string lines[] = {
		// in vmlinux, which has no first_fn
		frame_line(" ", "first_fn", 0, size, "\n"),
		frame_line(" ", "no_such_fn", 0, size, " [mod]\n"),
		frame_line(" ", "first_fn", 0, size, " [other]\n"),
		"Code: 48 89 e5 <0f> 0b\n",
		"no frame here\n",
	};
	DebugInfo debug(*snapshot_, {{debug_tree("debug", module_.path)}});
	TraceDecoder decoder(*snapshot_, debug);
	for (const std::string &line : lines) {
		std::string out;
		decoder.decode_line(line, out);
		EXPECT_EQ(line, out);
	}
	// No debug file: the frame stays as the kernel printed it.
	DebugInfo none(*snapshot_, {{dir_.file("empty")}});
	TraceDecoder without(*snapshot_, none);
	std::string line = frame_line(" ", "first_fn", 0, size, " [mod]\n");
	std::string out;
	without.decode_line(line, out);
	EXPECT_EQ(line, out);
	EXPECT_EQ(at("first_fn", 3),
		  without.address({0, 0, "first_fn", 3, size, "mod"}));
}

TEST(SourceFrameFormat, AsLlvmSymbolizerPrettyPrints)
{
	std::string out;
	append_frames(out, {{"inner", "lib/a.c", 12, 5},
			    {"outer", "lib/b.c", 40, 0},
			    {"", "", 0, 0}});
	EXPECT_EQ("  inner at lib/a.c:12:5\n"
		  "  (inlined by) outer at lib/b.c:40\n"
		  "  (inlined by) ?? at ??:0\n",
		  out);
}

} // namespace
} // namespace ksyms
