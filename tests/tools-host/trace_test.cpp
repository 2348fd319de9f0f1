// SPDX-License-Identifier: BSD-2-Clause
// Finding the frame in a kernel log line, in each form the kernel prints
// one; decoding it is in debuginfo_test.cpp, where there is DWARF.
#include <ksyms/trace.h>

#include <gtest/gtest.h>

namespace ksyms {
namespace {

struct Expected {
	const char *line;
	const char *frame;	// the text [begin, end) covers
	const char *name;
	uint64_t offset, size;
	const char *module;
};

TEST(TraceFrame, EveryFormTheKernelPrints)
{
	const Expected cases[] = {
		{"  do_one_initcall+0x43/0x1f0", "do_one_initcall+0x43/0x1f0",
		 "do_one_initcall", 0x43, 0x1f0, ""},
		{"[   12.345678]  ? __warn+0x81/0x130\n", "__warn+0x81/0x130",
		 "__warn", 0x81, 0x130, ""},
		{"RIP: 0010:ksyms_warn_fn+0x15/0x30 [ksyms_warn]",
		 "ksyms_warn_fn+0x15/0x30", "ksyms_warn_fn", 0x15, 0x30,
		 "ksyms_warn"},
		// %pSb: the module's build ID after its name
		{" ext4_fill_super+0x2c/0x90 [ext4 0123abcd]",
		 "ext4_fill_super+0x2c/0x90", "ext4_fill_super", 0x2c, 0x90,
		 "ext4"},
		// (%pS), and a clone's suffix
		{"caller (foo.isra.0+0x0/0x1 [bar])", "foo.isra.0+0x0/0x1",
		 "foo.isra.0", 0, 1, "bar"},
		// the WARNING line: the function is the last frame
		{"WARNING: CPU: 0 PID: 1 at /src/w.c:12 ksyms_warn_fn+0x1/0x2 [w]",
		 "ksyms_warn_fn+0x1/0x2", "ksyms_warn_fn", 1, 2, "w"},
		// a raw address before it (kernels before 4.x)
		{" [<ffffffff81000000>] start+0x10/0x20", "start+0x10/0x20",
		 "start", 0x10, 0x20, ""},
		// the last candidate that is a frame
		{"x+0x1/0x2 then y+0x3", "x+0x1/0x2", "x", 1, 2, ""},
	};
	for (const Expected &want : cases) {
		std::string_view line = want.line;
		auto frame = parse_trace_frame(line);
		ASSERT_TRUE(frame) << line;
		EXPECT_EQ(want.frame,
			  line.substr(frame->begin, frame->end - frame->begin));
		EXPECT_EQ(want.name, frame->name);
		EXPECT_EQ(want.offset, frame->offset) << line;
		EXPECT_EQ(want.size, frame->size) << line;
		EXPECT_EQ(want.module, frame->module) << line;
	}
}

TEST(TraceFrame, NotAFrame)
{
	for (const char *line :
	     {"", "Call Trace:", " <TASK>", "Code: 48 89 e5 <0f> 0b",
	      "+0x10/0x20", " +0x10/0x20 [m]", "name+0x/0x20", "name+0x10/0x",
	      "name+0x10/20", "name+0xzz/0x20", "RSP: 0018:ffffb0c0000fbd60"})
		EXPECT_FALSE(parse_trace_frame(line)) << line;
}

TEST(TraceFrame, AModuleNeedsItsBracket)
{
	auto frame = parse_trace_frame("f+0x1/0x2 [mod");
	ASSERT_TRUE(frame);
	EXPECT_EQ("", frame->module);
	frame = parse_trace_frame("f+0x1/0x2 []");
	ASSERT_TRUE(frame);
	EXPECT_EQ("", frame->module);
}

} // namespace
} // namespace ksyms
