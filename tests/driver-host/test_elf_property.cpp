// SPDX-License-Identifier: GPL-2.0-only
// Property test: thousands of random symbol sets, each built into an image
// with a mix of ksyms_elf_add() and ksyms_elf_add_object(), read back with
// libelf and compared symbol by symbol; a sample also goes through
// eu-elflint (with and without --gnu-ld), binutils readelf and nm, which
// must accept it silently.
#include "elf_test_util.h"
#include "symbol_sets.h"

#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace ksyms_test;

namespace {

constexpr int kShards = 10;
constexpr int kSetsPerShard = 200;	// 2000 symbol sets in all
constexpr int kElflintEvery = 1;	// eu-elflint on every set (2000)
constexpr int kBinutilsEvery = 100;	// readelf and nm on 1 in 100 (20)
constexpr u64 kSeedBase = 0x6b73796d73000000ull;	// "ksyms"

// A tool that must accept the image without a word.
::testing::AssertionResult silent(const std::vector<std::string> &argv,
				  bool stdout_too)
{
	CommandResult r = run_command(argv);
	if (r.exit_status != 0 || !r.err.empty() ||
	    (stdout_too && !r.out.empty())) {
		std::string cmd;
		for (const std::string &a : argv)
			cmd += a + " ";
		return ::testing::AssertionFailure() << cmd << "\n"
						     << describe(r);
	}
	return ::testing::AssertionSuccess();
}

// eu-elflint, -q so that success prints nothing (otherwise "No errors").
std::vector<std::string> elflint_argv(bool gnu_ld, const std::string &path)
{
	std::vector<std::string> argv = {KSYMS_EU_ELFLINT, "-q"};
	if (gnu_ld)
		argv.push_back("--gnu-ld");
	argv.push_back(path);
	return argv;
}

::testing::AssertionResult elflint_accepts(const std::vector<uint8_t> &buf,
					   u64 size, bool gnu_ld)
{
	TempFile f(buf.data(), size);
	return silent(elflint_argv(gnu_ld, f.path()), true);
}

// binutils readelf -a -W and nm: exit 0, nothing on stderr.
::testing::AssertionResult binutils_accept(const std::vector<uint8_t> &buf,
					   u64 size, bool has_syms)
{
	TempFile f(buf.data(), size);
	::testing::AssertionResult r =
		silent({KSYMS_READELF, "-a", "-W", f.path()}, false);
	// nm says "no symbols" on stderr when there are none, rightly.
	if (r && has_syms)
		r = silent({KSYMS_NM, f.path()}, false);
	return r;
}

// Builds set @n, checks nothing but that it builds.
::testing::AssertionResult build_set(int n, std::vector<uint8_t> &buf,
				     u64 &size, u64 &nsyms)
{
	SymbolSet set = random_symbol_set(kSeedBase + n);
	nsyms = set.locals.size() + set.globals.size();
	return build(set, buf, size);
}

class ElfProperty : public ::testing::TestWithParam<int> {};

} // namespace

// Every set: build, read back with libelf, compare.
TEST_P(ElfProperty, RandomSymbolSetsRoundTrip)
{
	int shard = GetParam();
	for (int i = 0; i < kSetsPerShard; i++) {
		const int n = shard * kSetsPerShard + i;
		const u64 seed = kSeedBase + n;
		SCOPED_TRACE(testing::Message() << "set " << n << ", seed 0x"
			     << std::hex << seed);
		SymbolSet set = random_symbol_set(seed);
		std::vector<uint8_t> buf;
		u64 size = 0;
		ASSERT_TRUE(build(set, buf, size));
		ParsedImage p;
		ASSERT_TRUE(parse_image(buf.data(), size, &p));
		ASSERT_TRUE(check(set, p, size));
	}
}

INSTANTIATE_TEST_SUITE_P(Shards, ElfProperty, ::testing::Range(0, kShards));

namespace {

class ElfLintProperty : public ::testing::TestWithParam<bool> {};

std::string lint_mode_name(const ::testing::TestParamInfo<bool> &info)
{
	return info.param ? "GnuLd" : "Plain";
}

} // namespace

// Sets through eu-elflint (kElflintEvery apart: now all of them).  Every distinct complaint is
// reported once, with the number of images that drew it.
TEST_P(ElfLintProperty, SampledImagesPass)
{
	const bool gnu_ld = GetParam();
	std::map<std::string, int> complaints;
	int linted = 0;
	for (int n = 0; n < kShards * kSetsPerShard; n += kElflintEvery) {
		std::vector<uint8_t> buf;
		u64 size = 0, nsyms = 0;
		ASSERT_TRUE(build_set(n, buf, size, nsyms)) << "set " << n;
		TempFile f(buf.data(), size);
		CommandResult r = run_command(elflint_argv(gnu_ld, f.path()));
		linted++;
		if (r.exit_status == 0 && r.out.empty() && r.err.empty())
			continue;
		std::istringstream lines(r.out + r.err);
		std::string line;
		while (std::getline(lines, line))
			complaints[line]++;
		complaints["(exit status " + std::to_string(r.exit_status) +
			   ")"]++;
	}
	EXPECT_EQ(kShards * kSetsPerShard / kElflintEvery, linted);
	std::ostringstream msg;
	for (const auto &[text, count] : complaints)
		msg << "  [" << count << "/" << linted << " images] " << text
		    << "\n";
	EXPECT_TRUE(complaints.empty())
		<< "eu-elflint -q" << (gnu_ld ? " --gnu-ld" : "") << ":\n"
		<< msg.str();
}

INSTANTIATE_TEST_SUITE_P(Modes, ElfLintProperty, ::testing::Bool(),
			 lint_mode_name);

// One set in kBinutilsEvery through readelf -a -W and nm.
TEST(BinutilsProperty, SampledImagesPass)
{
	for (int n = 0; n < kShards * kSetsPerShard; n += kBinutilsEvery) {
		std::vector<uint8_t> buf;
		u64 size = 0, nsyms = 0;
		ASSERT_TRUE(build_set(n, buf, size, nsyms)) << "set " << n;
		EXPECT_TRUE(binutils_accept(buf, size, nsyms > 0)) << "set " << n;
	}
}

namespace {

std::vector<uint8_t> null_only_image()
{
	ksyms_elf_layout l = freebsd_layout(1, 0, 1);
	std::vector<uint8_t> buf = new_image_buffer(l);
	freebsd_write_headers(buf.data(), &l, EM_X86_64, ELFDATA2LSB);
	ksyms_elf_writer w;
	ksyms_elf_writer_init(&w, buf.data(), &l);
	EXPECT_TRUE(ksyms_elf_writer_complete(&w));
	return buf;
}

// What the driver makes of a few /proc/kallsyms lines.
std::vector<uint8_t> kallsyms_like_image()
{
	const char *lines[] = {
		"0000000000000000 A fixed_percpu_data",
		"ffffffff81000000 T _stext",
		"ffffffff81000000 T _text",
		"ffffffff81000010 t __pfx_do_one_initcall",
		"ffffffff81000020 T do_one_initcall",
		"ffffffff81000100 W arch_cpu_idle",
		"ffffffff82000000 D jiffies",
		"ffffffff82000040 d static_data",
		"ffffffff82100000 R __start_rodata",
		"ffffffff82100010 r rodata_local",
		"ffffffff82200000 B bss_global",
		"ffffffff82200008 b bss_local",
		"ffffffff82300000 V weak_object",
	};
	const size_t n = sizeof(lines) / sizeof(lines[0]);
	std::vector<Elf64_Sym> syms(n);
	std::vector<std::string> names;
	std::string types;
	u64 nl = 1, ng = 0, strsz = 1;
	for (size_t i = 0; i < n; i++) {
		ksyms_kallsyms_line kl;
		EXPECT_EQ(0, ksyms_kallsyms_parse_line(lines[i],
						       std::strlen(lines[i]),
						       &kl));
		ksyms_nm_to_sym(kl.type, kl.addr, &syms[i]);
		names.emplace_back(kl.name, kl.namelen);
		types.push_back(kl.type);
		(ksyms_elf_is_local(&syms[i]) ? nl : ng)++;
		strsz += kl.namelen + 1;
	}
	ksyms_nm_fill_sizes(syms.data(), types.data(), n);
	ksyms_elf_layout l = freebsd_layout(nl, ng, strsz);
	std::vector<uint8_t> buf = new_image_buffer(l);
	freebsd_write_headers(buf.data(), &l, EM_X86_64, ELFDATA2LSB);
	ksyms_elf_writer w;
	ksyms_elf_writer_init(&w, buf.data(), &l);
	for (size_t i = 0; i < n; i++)
		EXPECT_EQ(0, ksyms_elf_add(&w, &syms[i], names[i].data(),
					   names[i].size()));
	EXPECT_TRUE(ksyms_elf_writer_complete(&w));
	return buf;
}

} // namespace

TEST(ElfTools, ElflintOnlyTheNullSymbol)
{
	std::vector<uint8_t> buf = null_only_image();
	EXPECT_TRUE(elflint_accepts(buf, buf.size(), true));
	EXPECT_TRUE(elflint_accepts(buf, buf.size(), false));
}

TEST(ElfTools, BinutilsOnlyTheNullSymbol)
{
	std::vector<uint8_t> buf = null_only_image();
	EXPECT_TRUE(binutils_accept(buf, buf.size(), false));
}

TEST(ElfTools, ElflintKallsymsLikeImage)
{
	std::vector<uint8_t> buf = kallsyms_like_image();
	EXPECT_TRUE(elflint_accepts(buf, buf.size(), true));
	EXPECT_TRUE(elflint_accepts(buf, buf.size(), false));
}

TEST(ElfTools, BinutilsKallsymsLikeImage)
{
	std::vector<uint8_t> buf = kallsyms_like_image();
	EXPECT_TRUE(binutils_accept(buf, buf.size(), true));

	// Every symbol is SHN_ABS, so nm prints A/a where kallsyms printed
	// T/t, D/d...; weak symbols keep W and V.
	TempFile f(buf.data(), buf.size());
	CommandResult r = run_command({KSYMS_NM, f.path()});
	ASSERT_EQ(0, r.exit_status) << describe(r);
	for (const char *want : {"ffffffff81000000 A _stext\n",
				 "ffffffff81000000 A _text\n",
				 "ffffffff82000040 a static_data\n",
				 "0000000000000000 A fixed_percpu_data\n",
				 "ffffffff81000100 W arch_cpu_idle\n",
				 "ffffffff82300000 V weak_object\n"})
		EXPECT_NE(std::string::npos, r.out.find(want))
			<< want << "in:\n" << r.out;

	// And readelf shows the sizes kallsyms would: distance to the next
	// higher address.
	r = run_command({KSYMS_READELF, "-s", "-W", f.path()});
	ASSERT_EQ(0, r.exit_status) << describe(r);
	EXPECT_NE(std::string::npos,
		  r.out.find("ffffffff81000000    16 FUNC    GLOBAL DEFAULT  ABS _stext"))
		<< r.out;
}
