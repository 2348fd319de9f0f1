// SPDX-License-Identifier: GPL-2.0-only
// What symbol_sets.h declares.
#include "symbol_sets.h"

#include <random>

namespace ksyms_test {

namespace {

constexpr size_t kGuard = 64;
constexpr uint8_t kFill = 0x5a;

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


} // namespace

SymbolSet random_symbol_set(u64 seed)
{
	return Generator(seed).make();
}

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


} // namespace ksyms_test
