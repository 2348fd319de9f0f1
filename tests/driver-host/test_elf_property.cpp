// SPDX-License-Identifier: GPL-2.0-only
// Property test: thousands of random symbol sets, each built into an image
// with a mix of ksyms_elf_add() and ksyms_elf_add_object(), read back with
// libelf and compared symbol by symbol; a sample also goes through
// eu-elflint (with and without --gnu-ld), binutils readelf and nm, which
// must accept it silently.
#include "elf_test_util.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace ksyms_test;

namespace {

constexpr int kShards = 10;
constexpr int kSetsPerShard = 200;	// 2000 symbol sets in all
constexpr int kElflintEvery = 1;	// eu-elflint on every set (2000)
constexpr int kBinutilsEvery = 100;	// readelf and nm on 1 in 100 (20)
constexpr size_t kGuard = 64;
constexpr uint8_t kFill = 0x5a;
constexpr u64 kSeedBase = 0x6b73796d73000000ull;	// "ksyms"

struct Expected {
	std::string name;
	Elf64_Sym sym;	// st_name as it must come out of the image
};

struct Op {
	bool object = false;
	// ksyms_elf_add
	Elf64_Sym sym{};
	std::string name;
	// ksyms_elf_add_object
	std::vector<Elf64_Sym> locals, globals;
	std::string strtab;
};

struct SymbolSet {
	ksyms_elf_layout layout = freebsd_layout(1, 0, 1);
	std::vector<Op> ops;
	std::vector<Expected> locals, globals;	// in image order, null excluded
};

class Generator {
public:
	explicit Generator(u64 seed) : rng_(seed) {}

	SymbolSet make()
	{
		SymbolSet set;
		u64 pick = below(100), total;
		if (pick < 3)
			total = 0;
		else if (pick < 6)
			total = 2000;
		else
			total = below(2001);
		u64 str_pos = 1;	// where the next string will land
		u64 remaining = total;
		// Sometimes an object with no symbols, or only strings.
		if (below(10) == 0)
			add_object(set, 0, str_pos);
		while (remaining) {
			if (below(100) < 60) {
				Op op;
				op.sym = symbol();
				op.sym.st_name = static_cast<u32>(rng_());
				op.name = name();
				Expected e{op.name, op.sym};
				e.sym.st_name = static_cast<u32>(str_pos);
				str_pos += op.name.size() + 1;
				(ksyms_elf_is_local(&op.sym) ? set.locals
							     : set.globals)
					.push_back(e);
				set.ops.push_back(std::move(op));
				remaining--;
			} else {
				u64 k = below(std::min<u64>(remaining, 400) + 1);
				add_object(set, k, str_pos);
				remaining -= k;
			}
		}
		set.layout.nr_locals = 1 + set.locals.size();
		set.layout.nr_globals = set.globals.size();
		set.layout.strtab_size = str_pos;
		return set;
	}

private:
	u64 below(u64 n) { return n ? rng_() % n : 0; }

	std::string name()
	{
		static const char chars[] =
			"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789_.$";
		u64 len = below(100) < 85 ? 1 + below(32) : 1 + below(600);
		std::string s(len, ' ');
		for (char &c : s)
			c = chars[below(sizeof(chars) - 1)];
		return s;
	}

	Elf64_Sym symbol()
	{
		static const unsigned binds[] = {STB_LOCAL, STB_GLOBAL, STB_WEAK};
		static const unsigned types[] = {STT_NOTYPE, STT_OBJECT, STT_FUNC};
		Elf64_Sym s{};
		s.st_info = ELF64_ST_INFO(binds[below(3)], types[below(3)]);
		s.st_other = STV_DEFAULT;
		s.st_shndx = SHN_ABS;
		u64 v = below(4);
		s.st_value = v == 0 ? rng_() :
			     v == 1 ? 0xffffffffc0000000ull + below(1ull << 28) :
				      0xffffffff81000000ull + below(1ull << 26);
		u64 sz = below(5);
		s.st_size = sz < 2 ? 0 : sz < 4 ? below(4096) : rng_();
		return s;
	}

	// An object of @k symbols with its own string table, as a module's
	// symbol table would be: st_name indexes that table, names may be
	// shared or point into the tail of another name.
	void add_object(SymbolSet &set, u64 k, u64 &str_pos)
	{
		Op op;
		op.object = true;
		if (below(5))
			op.strtab.push_back('\0');
		std::vector<std::pair<u32, std::string>> named;	// offset, name
		for (u64 i = 0; i < k; i++) {
			Elf64_Sym s = symbol();
			std::string n;
			if (!named.empty() && below(10) == 0) {
				const auto &prev = named[below(named.size())];
				u64 tail = below(prev.second.size());
				s.st_name = prev.first + static_cast<u32>(tail);
				n = prev.second.substr(tail);
			} else {
				n = name();
				s.st_name = static_cast<u32>(op.strtab.size());
				op.strtab += n;
				op.strtab.push_back('\0');
				named.emplace_back(s.st_name, n);
			}
			Expected e{n, s};
			e.sym.st_name = static_cast<u32>(str_pos + s.st_name);
			if (ksyms_elf_is_local(&s)) {
				op.locals.push_back(s);
				set.locals.push_back(e);
			} else {
				op.globals.push_back(s);
				set.globals.push_back(e);
			}
		}
		if (below(4) == 0)	// trailing bytes nobody points to
			op.strtab.append(below(3) + 1, '\0');
		str_pos += op.strtab.size();
		set.ops.push_back(std::move(op));
	}

	std::mt19937_64 rng_;
};

::testing::AssertionResult build(const SymbolSet &set, std::vector<uint8_t> &buf,
				 u64 &size)
{
	size = freebsd_image_size(&set.layout);
	if (!size)
		return ::testing::AssertionFailure() << "layout rejected";
	buf.assign(size + kGuard, kFill);
	freebsd_write_headers(buf.data(), &set.layout, EM_X86_64,
			      ELFDATA2LSB);
	ksyms_elf_writer w;
	ksyms_elf_writer_init(&w, buf.data(), &set.layout);
	u64 nl = 1, ng = 0, str = 1;	// what the writer has been given
	for (size_t i = 0; i < set.ops.size(); i++) {
		const Op &op = set.ops[i];
		int rc;
		if (op.object) {
			// Never NULL for an empty part here; NULL is
			// ElfWriterObject.EmptyPartsMayBeNull's business.
			static const Elf64_Sym none{};
			rc = ksyms_elf_add_object(
				&w, op.locals.empty() ? &none : op.locals.data(),
				op.locals.size(),
				op.globals.empty() ? &none : op.globals.data(),
				op.globals.size(), op.strtab.data(),
				op.strtab.size());
			nl += op.locals.size();
			ng += op.globals.size();
			str += op.strtab.size();
		} else {
			rc = ksyms_elf_add(&w, &op.sym, op.name.data(),
					   op.name.size());
			(ksyms_elf_is_local(&op.sym) ? nl : ng)++;
			str += op.name.size() + 1;
		}
		if (rc)
			return ::testing::AssertionFailure()
			       << "op " << i << " returned " << rc;
		bool full = nl == set.layout.nr_locals &&
			    ng == set.layout.nr_globals &&
			    str == set.layout.strtab_size;
		if (ksyms_elf_writer_complete(&w) != full)
			return ::testing::AssertionFailure()
			       << "complete() wrong after op " << i;
	}
	if (!ksyms_elf_writer_complete(&w))
		return ::testing::AssertionFailure() << "not complete at the end";
	for (size_t i = size; i < buf.size(); i++)
		if (buf[i] != kFill)
			return ::testing::AssertionFailure()
			       << "byte " << i << " past the end (" << size
			       << ") written";
	return ::testing::AssertionSuccess();
}

::testing::AssertionResult same(const Expected &e, const ParsedSymbol &p,
				size_t index)
{
	const GElf_Sym &s = p.sym;
	if (e.name != p.name || e.sym.st_name != s.st_name ||
	    e.sym.st_info != s.st_info || e.sym.st_other != s.st_other ||
	    e.sym.st_shndx != s.st_shndx || e.sym.st_value != s.st_value ||
	    e.sym.st_size != s.st_size)
		return ::testing::AssertionFailure()
		       << "symbol " << index << ": want \"" << e.name
		       << "\" st_name " << e.sym.st_name << " info "
		       << int(e.sym.st_info) << " value " << e.sym.st_value
		       << " size " << e.sym.st_size << ", got \"" << p.name
		       << "\" st_name " << s.st_name << " info "
		       << int(s.st_info) << " value " << s.st_value << " size "
		       << s.st_size;
	return ::testing::AssertionSuccess();
}

::testing::AssertionResult check(const SymbolSet &set, const ParsedImage &p,
				 u64 size)
{
	const u64 nl = set.layout.nr_locals, ng = set.layout.nr_globals;
	if (p.shdrs.size() != 4 || p.symtab_index != 1 || p.strtab_index != 2)
		return ::testing::AssertionFailure() << "sections";
	if (p.shdrs[1].sh_info != nl)
		return ::testing::AssertionFailure()
		       << "sh_info " << p.shdrs[1].sh_info << ", want " << nl;
	if (p.shdrs[2].sh_offset + p.shdrs[2].sh_size != size)
		return ::testing::AssertionFailure() << "strtab end != size";
	if (p.syms.size() != nl + ng)
		return ::testing::AssertionFailure()
		       << p.syms.size() << " symbols, want " << nl + ng;
	const GElf_Sym &z = p.syms[0].sym;
	if (z.st_name || z.st_info || z.st_other || z.st_shndx ||
	    z.st_value || z.st_size)
		return ::testing::AssertionFailure() << "symbol 0 not null";
	for (size_t i = 1; i < p.syms.size(); i++) {
		bool local = GELF_ST_BIND(p.syms[i].sym.st_info) == STB_LOCAL;
		if (local != (i < nl))
			return ::testing::AssertionFailure()
			       << "symbol " << i << " local=" << local
			       << " but sh_info " << nl;
		const Expected &e = i < nl ? set.locals[i - 1]
					   : set.globals[i - nl];
		::testing::AssertionResult r = same(e, p.syms[i], i);
		if (!r)
			return r;
	}
	return ::testing::AssertionSuccess();
}

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
	SymbolSet set = Generator(kSeedBase + n).make();
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
		SymbolSet set = Generator(seed).make();
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
