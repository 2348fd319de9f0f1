// SPDX-License-Identifier: BSD-2-Clause
// `ksyms ... --json` end to end: every line of output parsed back with
// nlohmann-json and its fields checked against what libksyms reads from
// the same image.
#include <ksyms/snapshot.h>
#include <ksyms/symbolize.h>

#include "driver_image.h"
#include "test_image.h"

#include <elf.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace ksyms {
namespace {

using nlohmann::json;

std::string hex(uint64_t value)
{
	char text[24];
	std::snprintf(text, sizeof(text), "0x%llx", (unsigned long long)value);
	return text;
}

struct JsonRun {
	int status;
	std::string out;	// standard output only
	std::vector<json> lines;
};

// Runs ksyms with standard error thrown away, so that `out` is exactly
// what a reader of the JSON gets; every line must parse.
JsonRun ksyms_json(const std::string &args, const std::string &stdin_text = "")
{
	test::CommandResult run = test::run_shell(
		"{ " + std::string(KSYMS_COMMAND) + " " + args + " 2>/dev/null; }",
		stdin_text);
	JsonRun result{run.status, run.out, {}};
	size_t start = 0;
	while (start < run.out.size()) {
		size_t end = run.out.find('\n', start);
		EXPECT_NE(std::string::npos, end) << "unterminated line: " << run.out;
		if (end == std::string::npos)
			end = run.out.size();
		std::string line = run.out.substr(start, end - start);
		json value = json::parse(line, nullptr, false);
		EXPECT_FALSE(value.is_discarded()) << "not JSON: " << line;
		EXPECT_TRUE(value.is_object()) << line;
		EXPECT_EQ(1, value.value("Schema", 0)) << line;
		result.lines.push_back(value);
		start = end + 1;
	}
	return result;
}

class JsonOutput : public ::testing::Test {
protected:
	void SetUp() override
	{
		image_ = dir_.file("image.elf");
		test::write_image(image_, test::known_symbols());
		auto opened = Snapshot::open_file(image_);
		ASSERT_TRUE(opened) << opened.error().message();
		snapshot_.emplace(std::move(*opened));
	}
	std::string file() { return "--file " + image_ + " "; }
	test::TempDir dir_;
	std::string image_;
	std::optional<Snapshot> snapshot_;
};

// The answer for `address` as libksyms gives it.
void expect_answer(const Snapshot &snapshot, uint64_t address, const json &answer)
{
	auto match = snapshot.symbolize(address);
	ASSERT_TRUE(match) << hex(address);
	EXPECT_EQ(hex(address), answer.at("Address"));
	ASSERT_EQ(1u, answer.at("Symbol").size()) << answer;
	const json &frame = answer.at("Symbol")[0];
	EXPECT_EQ(match->symbol.name, frame.at("FunctionName"));
	EXPECT_EQ(hex(address - match->offset), frame.at("StartAddress"));
	EXPECT_EQ(hex(match->offset), frame.at("Offset"));
	EXPECT_EQ(hex(match->size), frame.at("Size"));
	EXPECT_FALSE(answer.contains("Error")) << answer;
}

TEST_F(JsonOutput, SymbolizeArgumentsOneLineEach)
{
	JsonRun run = ksyms_json(file() + "symbolize --json ffffffff81001210 "
				 "0xffffffff82000004 0x10");
	EXPECT_EQ(1, run.status);	// 0x10 is in no symbol
	ASSERT_EQ(3u, run.lines.size()) << run.out;
	expect_answer(*snapshot_, 0xffffffff81001210, run.lines[0]);
	EXPECT_EQ("start_kernel", run.lines[0]["Symbol"][0]["FunctionName"]);
	EXPECT_EQ("0x10", run.lines[0]["Symbol"][0]["Offset"]);
	EXPECT_EQ("0x200", run.lines[0]["Symbol"][0]["Size"]);
	// An image without an object table: no module, no build ID.
	EXPECT_EQ("", run.lines[0]["ModuleName"]);
	EXPECT_EQ("", run.lines[0]["BuildID"]);
	expect_answer(*snapshot_, 0xffffffff82000004, run.lines[1]);
	EXPECT_EQ("jiffies", run.lines[1]["Symbol"][0]["FunctionName"]);

	const json &missing = run.lines[2];
	EXPECT_EQ("0x10", missing["Address"]);
	EXPECT_TRUE(missing["Symbol"].empty());
	EXPECT_TRUE(missing["Error"]["Message"].is_string()) << missing;
}

TEST_F(JsonOutput, SymbolizeStandardInputWordByWord)
{
	JsonRun run = ksyms_json(file() + "symbolize --json",
				 "ffffffff81001210 zz\n\n  0xffffffffc0001004\t0x10");
	EXPECT_EQ(1, run.status);
	ASSERT_EQ(4u, run.lines.size()) << run.out;
	expect_answer(*snapshot_, 0xffffffff81001210, run.lines[0]);
	EXPECT_EQ("zz", run.lines[1]["Input"]);
	EXPECT_FALSE(run.lines[1].contains("Address"));
	EXPECT_TRUE(run.lines[1]["Error"]["Message"].is_string());
	expect_answer(*snapshot_, 0xffffffffc0001004, run.lines[2]);
	EXPECT_TRUE(run.lines[3]["Symbol"].empty());

	JsonRun all_found = ksyms_json(file() + "symbolize --json",
				       "ffffffff81001210\n");
	EXPECT_EQ(0, all_found.status);
	EXPECT_EQ(1u, all_found.lines.size());
}

TEST_F(JsonOutput, LookupEverySymbolOfEachName)
{
	JsonRun run = ksyms_json(file() + "lookup --json dup nope jiffies");
	EXPECT_EQ(1, run.status);
	ASSERT_EQ(3u, run.lines.size()) << run.out;
	for (size_t i : {0u, 2u}) {
		const json &answer = run.lines[i];
		std::vector<Symbol> want =
			snapshot_->find_name(answer["Name"].get<std::string>());
		ASSERT_EQ(want.size(), answer["Symbols"].size()) << answer;
		for (size_t k = 0; k < want.size(); k++) {
			const json &got = answer["Symbols"][k];
			EXPECT_EQ(want[k].name, got["Name"]);
			EXPECT_EQ(hex(want[k].address), got["Address"]);
			EXPECT_EQ(hex(want[k].size), got["Size"]);
			EXPECT_EQ(std::string(1, want[k].letter), got["Letter"]);
			EXPECT_TRUE(got.contains("ModuleName"));
			EXPECT_TRUE(got.contains("BuildID"));
		}
	}
	EXPECT_EQ(2u, run.lines[0]["Symbols"].size());
	EXPECT_EQ("nope", run.lines[1]["Name"]);
	EXPECT_TRUE(run.lines[1]["Symbols"].empty());
	EXPECT_TRUE(run.lines[1]["Error"]["Message"].is_string());
	EXPECT_EQ("OBJECT", run.lines[2]["Symbols"][0]["Type"]);
	EXPECT_EQ("GLOBAL", run.lines[2]["Symbols"][0]["Binding"]);

	// After --, a name that looks like an option is a name.
	JsonRun dashed = ksyms_json(file() + "lookup --json -- --json");
	EXPECT_EQ(1, dashed.status);
	ASSERT_EQ(1u, dashed.lines.size());
	EXPECT_EQ("--json", dashed.lines[0]["Name"]);
}

TEST_F(JsonOutput, DumpOneLinePerSymbolInImageOrder)
{
	JsonRun run = ksyms_json(file() + "dump --format=json");
	EXPECT_EQ(0, run.status);
	ASSERT_EQ(snapshot_->symbol_count(), run.lines.size());
	size_t i = 0;
	for (Symbol symbol : snapshot_->symbols()) {
		const json &line = run.lines[i++];
		EXPECT_EQ(symbol.name, line["Name"]);
		EXPECT_EQ(hex(symbol.address), line["Address"]);
		EXPECT_EQ(hex(symbol.size), line["Size"]);
		EXPECT_EQ(std::string(1, symbol.letter), line["Letter"]);
	}
	EXPECT_EQ(run.out, ksyms_json(file() + "dump --json").out);
}

TEST_F(JsonOutput, StatCountsAsTheImageHasThem)
{
	JsonRun run = ksyms_json(file() + "stat --json");
	EXPECT_EQ(0, run.status);
	ASSERT_EQ(1u, run.lines.size()) << run.out;
	const json &stat = run.lines[0];
	EXPECT_EQ(image_, stat["Source"]);
	EXPECT_EQ(snapshot_->image().size(), stat["ImageSize"].get<size_t>());
	EXPECT_EQ(snapshot_->symbol_count(), stat["Symbols"]["Total"].get<size_t>());
	EXPECT_EQ(snapshot_->local_count(), stat["Symbols"]["Local"].get<size_t>());
	EXPECT_EQ(2u, stat["Symbols"]["Weak"].get<size_t>());
	EXPECT_TRUE(stat["Objects"].empty());
}

// Names are bytes: quotes, backslashes and control characters come back as
// they were; a byte that is not UTF-8 comes back as U+FFFD.
TEST(JsonNames, EscapedAndReadBack)
{
	const std::vector<std::string> names = {
		"quote\"d", "back\\slash", "tab\there", "ctl\x01\x1f", "caf\xc3\xa9",
		"slash/", "bad\xff" "byte"};
	std::vector<test::TestSymbol> symbols;
	uint64_t address = 0xffffffff81000000;
	for (const std::string &name : names) {
		symbols.push_back({name, address, 0x10, STT_FUNC, STB_GLOBAL});
		address += 0x10;
	}
	test::TempDir dir;
	std::string path = dir.file("names.elf");
	test::write_image(path, symbols);

	JsonRun dump = ksyms_json("--file " + path + " dump --json");
	EXPECT_EQ(0, dump.status);
	ASSERT_EQ(names.size(), dump.lines.size()) << dump.out;
	for (size_t i = 0; i + 1 < names.size(); i++)
		EXPECT_EQ(names[i], dump.lines[i]["Name"]);
	EXPECT_EQ("bad\xef\xbf\xbd" "byte", dump.lines.back()["Name"]);

	JsonRun answer = ksyms_json("--file " + path +
				    " symbolize --json 0xffffffff81000005");
	ASSERT_EQ(1u, answer.lines.size()) << answer.out;
	EXPECT_EQ(names[0], answer.lines[0]["Symbol"][0]["FunctionName"]);
	JsonRun lookup = ksyms_json("--file " + path + " lookup --json 'tab\there'");
	ASSERT_EQ(1u, lookup.lines.size()) << lookup.out;
	EXPECT_EQ(names[2], lookup.lines[0]["Symbols"][0]["Name"]);
}

// With the object table: the module (vmlinux by name) and the build ID of
// each answer, and every object in stat.
TEST(JsonObjects, ModuleAndBuildId)
{
	std::vector<uint8_t> image = test::build_image(test::two_objects());
	test::TempDir dir;
	std::string path = dir.file("objects.elf");
	test::write_file(path, std::string(image.begin(), image.end()));

	JsonRun run = ksyms_json("--file " + path + " symbolize --json " +
				 hex(test::kModule + 0x84) + " " +
				 hex(test::kVmlinux + 0x110) + " " +
				 hex(test::kModule + 0x100004));
	EXPECT_EQ(0, run.status);
	ASSERT_EQ(3u, run.lines.size()) << run.out;
	EXPECT_EQ("ext9", run.lines[0]["ModuleName"]);
	EXPECT_EQ("deadbeef", run.lines[0]["BuildID"]);
	EXPECT_EQ("ext9_exported", run.lines[0]["Symbol"][0]["FunctionName"]);
	EXPECT_EQ("0x4", run.lines[0]["Symbol"][0]["Offset"]);
	EXPECT_EQ("vmlinux", run.lines[1]["ModuleName"]);
	EXPECT_EQ("0123456789abcdef0123456789abcdef01234567",
		  run.lines[1]["BuildID"]);
	EXPECT_EQ("bare", run.lines[2]["ModuleName"]);
	EXPECT_EQ("", run.lines[2]["BuildID"]);

	JsonRun stat = ksyms_json("--file " + path + " stat --json");
	ASSERT_EQ(1u, stat.lines.size()) << stat.out;
	const json &objects = stat.lines[0]["Objects"];
	ASSERT_EQ(3u, objects.size());
	EXPECT_EQ("vmlinux", objects[0]["ModuleName"]);
	EXPECT_EQ("ext9", objects[1]["ModuleName"]);
	EXPECT_EQ("deadbeef", objects[1]["BuildID"]);
	EXPECT_EQ(3u, objects[1]["Symbols"].get<size_t>());
	EXPECT_EQ(false, objects[1]["Pseudo"]);

	JsonRun dump = ksyms_json("--file " + path + " dump --json");
	ASSERT_FALSE(dump.lines.empty());
	for (const json &line : dump.lines)
		EXPECT_NE("", line["ModuleName"]) << line;
}

// A frame in a JIT-ed BPF program: kallsyms' name and its module, bpf.
TEST(JsonObjects, BpfProgram)
{
	constexpr uint64_t kBpf = 0xffffffffa0000000ULL;
	std::vector<test::Object> objects = test::two_objects();
	objects.push_back({"bpf",
			   {{"bpf_prog_6deef7357e7b4530_b", 't', kBpf + 0x800, 0x40},
			    {"bpf_prog_aaaabbbbccccdddd_a", 't', kBpf, 0x80}},
			   {}});
	std::vector<uint8_t> image = test::build_image(objects, 1);
	test::TempDir dir;
	std::string path = dir.file("bpf.elf");
	test::write_file(path, std::string(image.begin(), image.end()));

	JsonRun run = ksyms_json("--file " + path + " symbolize --json " +
				 hex(kBpf + 0x810) + " " + hex(kBpf + 0x7f));
	EXPECT_EQ(0, run.status);
	ASSERT_EQ(2u, run.lines.size()) << run.out;
	EXPECT_EQ("bpf", run.lines[0]["ModuleName"]);
	EXPECT_EQ("", run.lines[0]["BuildID"]);
	const json &frame = run.lines[0]["Symbol"][0];
	EXPECT_EQ("bpf_prog_6deef7357e7b4530_b", frame["FunctionName"]);
	EXPECT_EQ(hex(kBpf + 0x800), frame["StartAddress"]);
	EXPECT_EQ("0x10", frame["Offset"]);
	EXPECT_EQ("0x40", frame["Size"]);
	EXPECT_EQ("bpf_prog_aaaabbbbccccdddd_a",
		  run.lines[1]["Symbol"][0]["FunctionName"]);
	EXPECT_EQ("0x7f", run.lines[1]["Symbol"][0]["Offset"]);

	// The text form, as the kernel's %pS names the frame, with [bpf].
	test::CommandResult text = test::run_shell(
		std::string(KSYMS_COMMAND) + " --file " + path + " symbolize " +
		hex(kBpf + 0x810));
	EXPECT_EQ(0, text.status);
	EXPECT_EQ(hex(kBpf + 0x810) + " bpf_prog_6deef7357e7b4530_b+0x10/0x40 [bpf]\n",
		  text.out);
}

// Bad input: the usage exit code, nothing on standard output, and the
// image as it was.
TEST_F(JsonOutput, BadInputChangesNothing)
{
	std::string before = test::read_file(image_);
	for (const char *args : {"symbolize --json ffffffff81001210 0xnothex",
				 "symbolize --json 0x12345678901234567",
				 "lookup --json", "stat --json extra",
				 "dump --json --format=xml"}) {
		JsonRun run = ksyms_json(file() + args);
		EXPECT_EQ(2, run.status) << args;
		EXPECT_EQ("", run.out) << args;
	}
	EXPECT_EQ(before, test::read_file(image_));
}

} // namespace
} // namespace ksyms
