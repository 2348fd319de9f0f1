// SPDX-License-Identifier: BSD-2-Clause
#include "source_frames.h"

#include <elfutils/libdw.h>
#include <dwarf.h>

#include <algorithm>
#include <string_view>

namespace ksyms {

namespace {

// The path as the compiler named it relative to its working directory:
// line tables hold absolute paths (the build directory joined in), which
// say where the kernel was built rather than where in its tree.
std::string relative_to(std::string_view path, std::string_view comp_dir)
{
	if (!comp_dir.empty() && path.starts_with(comp_dir) &&
	    path.size() > comp_dir.size() && path[comp_dir.size()] == '/') {
		path.remove_prefix(comp_dir.size() + 1);
		while (path.starts_with("./"))
			path.remove_prefix(2);
	}
	// A DWARF 5 directory entry may end in '/', which joining with the
	// file's name doubles.
	std::string out;
	for (char c : path)
		if (c != '/' || out.empty() || out.back() != '/')
			out += c;
	return out;
}

// A function's name, following DW_AT_abstract_origin and
// DW_AT_specification as inlined instances need.
std::string function_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	const char *name = dwarf_formstring(
		dwarf_attr_integrate(die, DW_AT_name, &attr));
	return name ? name : "";
}

unsigned udata(Dwarf_Die *die, unsigned name)
{
	Dwarf_Attribute attr;
	Dwarf_Word value = 0;
	if (dwarf_formudata(dwarf_attr(die, name, &attr), &value) != 0)
		return 0;
	return (unsigned)value;
}

std::string call_file(Dwarf_Die *cu, Dwarf_Die *inlined,
		      std::string_view comp_dir)
{
	Dwarf_Files *files = nullptr;
	size_t count = 0;
	Dwarf_Attribute attr;
	Dwarf_Word index = 0;
	if (dwarf_formudata(dwarf_attr(inlined, DW_AT_call_file, &attr),
			    &index) != 0 ||
	    dwarf_getsrcfiles(cu, &files, &count) != 0 || index >= count)
		return "";
	const char *name = dwarf_filesrc(files, index, nullptr, nullptr);
	return name ? relative_to(name, comp_dir) : "";
}

// The inlined-call DIEs around `pc` under `parent`, outermost first.
// (dwarf_getscopes() would follow an inlined instance to its abstract
// origin, losing the function it was inlined into.)
void scopes_at(Dwarf_Die *parent, Dwarf_Addr pc, std::vector<Dwarf_Die> &out)
{
	Dwarf_Die child;
	if (dwarf_child(parent, &child) != 0)
		return;
	do {
		int tag = dwarf_tag(&child);
		if (tag != DW_TAG_inlined_subroutine &&
		    tag != DW_TAG_lexical_block)
			continue;
		if (dwarf_haspc(&child, pc) != 1)
			continue;
		if (tag != DW_TAG_lexical_block)
			out.push_back(child);
		scopes_at(&child, pc, out);
		return;
	} while (dwarf_siblingof(&child, &child) == 0);
}

} // namespace

const std::vector<SourceFrameFinder::FunctionRange> &
SourceFrameFinder::functions(Dwarf_Die *cu)
{
	auto [it, added] = functions_.try_emplace(dwarf_dieoffset(cu));
	std::vector<FunctionRange> &list = it->second;
	Dwarf_Die child;
	if (!added || dwarf_child(cu, &child) != 0)
		return list;
	do {
		if (dwarf_tag(&child) != DW_TAG_subprogram)
			continue;
		Dwarf_Addr base, low, high;
		ptrdiff_t offset = 0;
		while ((offset = dwarf_ranges(&child, offset, &base, &low,
					      &high)) > 0)
			list.push_back({low, high, child});
	} while (dwarf_siblingof(&child, &child) == 0);
	std::ranges::sort(list, {}, &FunctionRange::low);
	return list;
}

std::vector<SourceFrame> SourceFrameFinder::frames(uint64_t address)
{
	std::vector<SourceFrame> frames;
	Dwfl_Line *line = dwfl_module_getsrc(module_, address);
	if (!line)
		return frames;
	Dwarf_Addr bias = 0;
	Dwarf_Die *cu = dwfl_module_addrdie(module_, address, &bias);
	Dwarf_Attribute attr;
	const char *dir = cu ? dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir,
							  &attr)) :
			       nullptr;
	std::string_view comp_dir = dir ? dir : "";

	int lineno = 0, column = 0;
	const char *file = dwfl_lineinfo(line, nullptr, &lineno, &column,
					 nullptr, nullptr);
	SourceFrame frame;
	frame.file = file ? relative_to(file, comp_dir) : "";
	frame.line = lineno > 0 ? (unsigned)lineno : 0;
	frame.column = column > 0 ? (unsigned)column : 0;

	std::vector<Dwarf_Die> scopes;
	if (cu) {
		Dwarf_Addr pc = address - bias;
		const auto &list = functions(cu);
		auto after = std::ranges::upper_bound(list, pc, {},
						      &FunctionRange::low);
		if (after != list.begin() && pc < std::prev(after)->high) {
			Dwarf_Die function = std::prev(after)->die;
			scopes.push_back(function);
			scopes_at(&function, pc, scopes);
		}
	}
	// Innermost first: the code at the address, then each caller at the
	// line of its inlined call.
	for (size_t i = scopes.size(); i-- > 0;) {
		frame.function = function_name(&scopes[i]);
		frames.push_back(std::move(frame));
		frame = SourceFrame();
		if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
			return frames;
		frame.file = call_file(cu, &scopes[i], comp_dir);
		frame.line = udata(&scopes[i], DW_AT_call_line);
		frame.column = udata(&scopes[i], DW_AT_call_column);
	}
	// No function around the address (assembly), or none around the
	// outermost inlined call: the line alone, without a name.
	frames.push_back(std::move(frame));
	return frames;
}

} // namespace ksyms
