// SPDX-License-Identifier: GPL-2.0-only
// Fuzz-style test of ksyms_kallsyms_parse_line(): random bytes and mutated
// kallsyms lines never crash it and never make it read outside
// [line, line + len).  Each input is parsed twice: from an exact-size heap
// block (AddressSanitizer's redzones on both sides; the test target is
// built with -fsanitize=address,undefined) and from the very end of a page
// followed by an inaccessible page (a read past the end faults even
// without ASan).  Whatever it accepts must also be what the line says.
#include "elf_test_util.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ksyms_test;

namespace {

class GuardPage {
public:
	GuardPage()
	{
		page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
		void *p = mmap(nullptr, 2 * page_, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			throw std::runtime_error("mmap");
		base_ = static_cast<char *>(p);
		if (mprotect(base_ + page_, page_, PROT_NONE))
			throw std::runtime_error("mprotect");
	}
	~GuardPage() { munmap(base_, 2 * page_); }
	size_t capacity() const { return page_; }
	// @s placed so that its last byte is the last readable one.
	const char *place(const std::string &s)
	{
		char *p = base_ + page_ - s.size();
		std::memcpy(p, s.data(), s.size());
		return p;
	}

private:
	char *base_;
	size_t page_;
};

bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

// The line grammar, stated independently: 1..16 hex digits, a space, the
// type character, a space, a name of one or more characters up to the
// first tab or the end; from a tab on, the module part.
struct Reference {
	bool ok = false;
	u64 addr = 0;
	char type = 0;
	size_t name_off = 0, namelen = 0;
	bool in_module = false;
	size_t mod_off = 0, modlen = 0;	// without "[" and "]" when both
};

Reference reference(const std::string &s)
{
	Reference r;
	size_t digits = 0;
	while (digits < s.size() && is_hex(s[digits]))
		digits++;
	if (digits < 1 || digits > 16 || s.size() < digits + 4 ||
	    s[digits] != ' ' || s[digits + 2] != ' ')
		return r;
	r.addr = std::stoull(s.substr(0, digits), nullptr, 16);
	r.type = s[digits + 1];
	r.name_off = digits + 3;
	size_t tab = s.find('\t', r.name_off);
	size_t end = tab == std::string::npos ? s.size() : tab;
	r.namelen = end - r.name_off;
	if (!r.namelen)
		return r;
	r.in_module = tab != std::string::npos;
	r.mod_off = s.size();
	if (r.in_module) {
		r.mod_off = tab + 1;
		r.modlen = s.size() - r.mod_off;
		if (r.modlen >= 2 && s[r.mod_off] == '[' && s.back() == ']') {
			r.mod_off++;
			r.modlen -= 2;
		}
	}
	r.ok = true;
	return r;
}

// Whether a type character is one a fixed parser might refuse (blank or
// control); the fuzz test leaves that question to
// KallsymsParse.BlankTypeIsNotAType and accepts either answer.
bool questionable_type(char c)
{
	return static_cast<unsigned char>(c) <= 0x20 ||
	       static_cast<unsigned char>(c) >= 0x7f;
}

::testing::AssertionResult check_one(const std::string &s, GuardPage &gp)
{
	const Reference want = reference(s);
	for (int where = 0; where < 2; where++) {
		std::unique_ptr<char[]> heap;
		const char *line;
		if (where == 0) {
			heap.reset(new char[s.size() ? s.size() : 1]);
			std::memcpy(heap.get(), s.data(), s.size());
			line = heap.get();
		} else {
			line = gp.place(s);
		}
		ksyms_kallsyms_line out;
		std::memset(&out, 0, sizeof(out));
		int rc = ksyms_kallsyms_parse_line(line, s.size(), &out);
		if (rc != 0 && rc != -EINVAL)
			return ::testing::AssertionFailure() << "rc " << rc;
		if (rc == -EINVAL) {
			if (want.ok && !questionable_type(want.type))
				return ::testing::AssertionFailure()
				       << "valid line refused";
			continue;
		}
		if (!want.ok)
			return ::testing::AssertionFailure()
			       << "invalid line accepted";
		if (out.addr != want.addr || out.type != want.type ||
		    out.name != line + want.name_off ||
		    out.namelen != want.namelen ||
		    out.in_module != want.in_module ||
		    out.module != line + want.mod_off ||
		    out.modlen != want.modlen)
			return ::testing::AssertionFailure()
			       << "accepted with the wrong fields: addr "
			       << out.addr << " type " << int(out.type)
			       << " name offset " << (out.name - line)
			       << " namelen " << out.namelen << " in_module "
			       << out.in_module;
	}
	return ::testing::AssertionSuccess();
}

std::string show(const std::string &s)
{
	std::string o;
	for (unsigned char c : s) {
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			o += static_cast<char>(c);
		} else {
			char b[8];
			snprintf(b, sizeof(b), "\\x%02x", c);
			o += b;
		}
	}
	return o;
}

const char *const kSeeds[] = {
	"ffffffff81000000 T _stext",
	"ffffffffc0a01000 t foo\t[dummy]",
	"c1000000 T _stext",
	"0000000000000000 A fixed_percpu_data",
	"ffffffffa0000000 t bpf_prog_6deef7357e7b4530_x\t[bpf]",
	"ffffffff81000000 ? y",
	"1 t a",
};

// Bytes that matter to the parser, more often than chance would pick them.
char interesting(std::mt19937_64 &rng)
{
	static const char set[] = "0123456789abcdefABCDEFgxG \t\n[]TtAa?";
	if (rng() % 4 == 0)
		return static_cast<char>(rng() & 0xff);
	return set[rng() % (sizeof(set) - 1)];
}

std::string mutate(std::string s, std::mt19937_64 &rng)
{
	int n = 1 + static_cast<int>(rng() % 4);
	while (n--) {
		size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
		switch (rng() % 7) {
		case 0:	// replace
			if (pos < s.size())
				s[pos] = interesting(rng);
			break;
		case 1:	// insert
			s.insert(pos, 1, interesting(rng));
			break;
		case 2:	// delete
			if (pos < s.size())
				s.erase(pos, 1);
			break;
		case 3:	// truncate
			s.resize(pos);
			break;
		case 4:	// more hex digits in front
			s.insert(0, std::string(1 + rng() % 3, 'f'));
			break;
		case 5:	// a long name
			s += std::string(rng() % 1000, 'n');
			break;
		case 6:	// a bit flip
			if (pos < s.size())
				s[pos] ^= static_cast<char>(1 << (rng() % 8));
			break;
		}
	}
	return s;
}

} // namespace

TEST(KallsymsFuzz, RandomBytes)
{
	GuardPage gp;
	std::mt19937_64 rng(0x66757a7a31ull);
	for (int i = 0; i < 100000; i++) {
		size_t len = rng() % 8 == 0 ? rng() % 2000 : rng() % 40;
		std::string s(len, '\0');
		bool structured = rng() % 2;
		for (char &c : s)
			c = structured ? interesting(rng)
				       : static_cast<char>(rng() & 0xff);
		ASSERT_TRUE(check_one(s, gp)) << "input \"" << show(s) << "\"";
	}
}

TEST(KallsymsFuzz, MutatedLines)
{
	GuardPage gp;
	std::mt19937_64 rng(0x66757a7a32ull);
	for (int i = 0; i < 100000; i++) {
		std::string s = mutate(kSeeds[rng() % (sizeof(kSeeds) /
						       sizeof(kSeeds[0]))],
				       rng);
		if (s.size() > gp.capacity())
			s.resize(gp.capacity());
		ASSERT_TRUE(check_one(s, gp)) << "input \"" << show(s) << "\"";
	}
}

// Every prefix of every seed line, so each length boundary is hit.
TEST(KallsymsFuzz, EveryPrefix)
{
	GuardPage gp;
	for (const char *seed : kSeeds) {
		std::string full = seed;
		for (size_t n = 0; n <= full.size(); n++) {
			std::string s = full.substr(0, n);
			ASSERT_TRUE(check_one(s, gp)) << "\"" << show(s) << "\"";
		}
	}
}
