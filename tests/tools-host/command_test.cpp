// SPDX-License-Identifier: BSD-2-Clause
// The `ksyms` command end to end, on a saved image (--file).
#include "test_image.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sys/wait.h>

namespace {

using ksyms::test::CommandResult;

CommandResult ksyms(const std::string &args, const std::string &stdin_text = "")
{
	return ksyms::test::run_shell(std::string(KSYMS_COMMAND) + " " + args,
				      stdin_text);
}

class CommandTest : public ::testing::Test {
protected:
	void SetUp() override
	{
		image_ = dir_.file("image.elf");
		ksyms::test::write_image(image_, ksyms::test::known_symbols());
	}
	std::string file() { return "--file " + image_ + " "; }
	ksyms::test::TempDir dir_;
	std::string image_;
};

TEST_F(CommandTest, Dump)
{
	CommandResult run = ksyms(file() + "dump");
	EXPECT_EQ(run.status, 0);
	EXPECT_EQ(run.out.find("ffffffff81001000 t local_func\n"), 0u) << run.out;
	EXPECT_NE(run.out.find("0000000000000000 A absolute_zero\n"),
		  std::string::npos);
	CommandResult json = ksyms(file() + "dump --json");
	EXPECT_EQ(json.status, 0);
	// json_output_test.cpp reads it back field by field; this is the
	// exact text of one line.
	EXPECT_NE(json.out.find("\n{\"Address\":\"0xffffffff82000000\","
				"\"Binding\":\"GLOBAL\",\"Letter\":\"D\","
				"\"ModuleName\":\"\",\"Name\":\"jiffies\","
				"\"Schema\":1,\"Size\":\"0x8\",\"Type\":"
				"\"OBJECT\"}\n"),
		  std::string::npos)
		<< json.out;
}

TEST_F(CommandTest, LookupAndSymbolize)
{
	CommandResult found = ksyms(file() + "lookup dup jiffies");
	EXPECT_EQ(found.status, 0);
	EXPECT_EQ(found.out, "ffffffff81001100 t dup\nffffffff82000020 d dup\n"
			     "ffffffff82000000 D jiffies\n");
	CommandResult missing = ksyms(file() + "lookup nope");
	EXPECT_EQ(missing.status, 1);
	EXPECT_EQ(missing.out, "ksyms: nope: not found\n");

	CommandResult addresses = ksyms(file() + "symbolize ffffffff81001210 0x10");
	EXPECT_EQ(addresses.status, 1);
	EXPECT_EQ(addresses.out,
		  "ffffffff81001210 start_kernel+0x10/0x200\n0x10 ??\n");
	CommandResult text = ksyms(file() + "symbolize", "at [<ffffffff81001210>]\n");
	EXPECT_EQ(text.status, 0);
	EXPECT_EQ(text.out, "at [<ffffffff81001210 (start_kernel+0x10/0x200)>]\n");
}

TEST_F(CommandTest, SaveStatAndVerify)
{
	std::string saved = dir_.file("saved.elf");
	EXPECT_EQ(ksyms(file() + "save " + saved).status, 0);
	EXPECT_EQ(ksyms::test::read_file(saved), ksyms::test::read_file(image_));

	CommandResult stat = ksyms("-f " + saved + " stat");
	EXPECT_EQ(stat.status, 0);
	EXPECT_NE(stat.out.find("symbols:     12\n"), std::string::npos) << stat.out;

	std::string kallsyms = dir_.file("kallsyms");
	ksyms::test::write_file(kallsyms, "ffffffff81000000 T _stext\n");
	CommandResult verify = ksyms(file() + "verify --kallsyms " + kallsyms);
	EXPECT_EQ(verify.status, 1);
	EXPECT_NE(verify.out.find("-ffffffff82000000 jiffies\n"), std::string::npos)
		<< verify.out;
}

TEST_F(CommandTest, DecodeCopiesWhatItCannotDecode)
{
	// No debug files: every line as it came, a frame's included.
	std::string log = "[    1.000000] Call Trace:\n"
			  " ? start_kernel+0x10/0x200\n"
			  "no newline at the end";
	CommandResult run = ksyms(file() + "decode --debuginfo " +
				  dir_.file("empty"), log);
	EXPECT_EQ(run.status, 0);
	EXPECT_EQ(run.out, log);

	std::string saved = dir_.file("oops.txt");
	ksyms::test::write_file(saved, log);
	CommandResult two = ksyms(file() + "decode " + saved + " - " + saved,
				  "middle\n");
	EXPECT_EQ(two.status, 0);
	EXPECT_EQ(two.out, log + "middle\n" + log);
}

TEST_F(CommandTest, DecodeErrors)
{
	// Nothing is printed before every input is open.
	std::string absent = dir_.file("absent.txt");
	CommandResult missing = ksyms(file() + "decode - " + absent, "line\n");
	EXPECT_EQ(missing.status, 3);
	EXPECT_EQ(missing.out,
		  "ksyms: " + absent + ": No such file or directory\n");
	CommandResult no_dir = ksyms(file() + "decode --debuginfo");
	EXPECT_EQ(no_dir.status, 2);
	EXPECT_NE(no_dir.out.find("--debuginfo needs a DIR"), std::string::npos);
	EXPECT_EQ(ksyms(file() + "decode --frobnicate").status, 2);
	CommandResult no_image = ksyms("--file " + dir_.file("absent.elf") +
				       " decode", "line\n");
	EXPECT_EQ(no_image.status, 3);
	EXPECT_EQ(no_image.out, "ksyms: " + dir_.file("absent.elf") +
					": No such file or directory\n");
}

TEST_F(CommandTest, UsageAndErrors)
{
	EXPECT_EQ(ksyms("--help").status, 0);
	EXPECT_EQ(ksyms("symbolize --help").status, 0);
	EXPECT_EQ(ksyms("").status, 2);
	EXPECT_EQ(ksyms("frobnicate").status, 2);
	EXPECT_EQ(ksyms(file() + "symbolize not-an-address").status, 2);
	EXPECT_EQ(ksyms(file() + "save").status, 2);
	CommandResult absent = ksyms("--file " + dir_.file("absent") + " stat");
	EXPECT_EQ(absent.status, 3);
	EXPECT_EQ(absent.out,
		  "ksyms: " + dir_.file("absent") + ": No such file or directory\n");
}

} // namespace
