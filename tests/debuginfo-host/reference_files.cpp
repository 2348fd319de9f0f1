// SPDX-License-Identifier: BSD-2-Clause
#include "reference_files.h"

#include "elf_file.h"

#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>

namespace fs = std::filesystem;

namespace ksyms::test {

namespace {

// The name of the section `shdr` heads, "" for none.
std::string section_name(Elf *elf, const GElf_Shdr *shdr)
{
	size_t names = 0;
	const char *name = nullptr;
	if (shdr && elf_getshdrstrndx(elf, &names) == 0)
		name = elf_strptr(elf, names, shdr->sh_name);
	return name ? name : "";
}

bool same_build_id(const std::string &path, std::span<const uint8_t> id)
{
	ElfFile file(path);
	return file.elf && !id.empty() &&
	       std::ranges::equal(build_id(file.elf), id);
}

std::string key(std::string name)
{
	std::ranges::replace(name, '-', '_');
	return name;
}

} // namespace

std::vector<ReferenceFile> reference_files(const Snapshot &snapshot,
					   const std::string &dir)
{
	std::vector<ReferenceFile> files(snapshot.objects().size());
	std::multimap<std::string, std::string> modules;
	std::vector<std::string> vmlinuxes;
	std::error_code ec;
	for (auto it = fs::recursive_directory_iterator(dir, ec);
	     !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
		std::string name = it->path().filename().string();
		if (it->path().extension() == ".ko")
			modules.emplace(key(it->path().stem().string()),
					it->path().string());
		else if (name.starts_with("vmlinux-") &&
			 it->is_regular_file(ec))
			vmlinuxes.push_back(it->path().string());
	}

	for (size_t i = 0; i < files.size(); i++) {
		const ObjectInfo &object = snapshot.objects()[i];
		ReferenceFile &file = files[i];
		if (object.pseudo || object.build_id.empty())
			continue;
		file.is_vmlinux = object.is_vmlinux();
		std::vector<std::string> candidates;
		if (file.is_vmlinux) {
			candidates = vmlinuxes;
		} else {
			auto [first, last] =
				modules.equal_range(key(std::string(object.name)));
			for (auto it = first; it != last; ++it)
				candidates.push_back(it->second);
		}
		for (const std::string &path : candidates)
			if (same_build_id(path, object.build_id))
				file.path = path;
		if (file.path.empty())
			continue;

		ElfFile elf(file.path);
		std::map<std::string, int> seen;
		for_each_symbol(elf.elf, [&](const std::string &name,
					     const GElf_Sym &sym,
					     const GElf_Shdr *shdr) {
			std::string section = section_name(elf.elf, shdr);
			if (file.is_vmlinux) {
				if (name == "_text")
					for (const Symbol &s :
					     snapshot.find_name("_text"))
						if (object.holds(s.index))
							file.slide = s.address -
								     sym.st_value;
				return;
			}
			if (++seen[name] > 1)
				file.text.erase(name);
			else if (section == ".text")
				file.text[name] = sym.st_value;
		});
	}
	return files;
}

std::string linked_copy(const ReferenceFile &file, const std::string &dir)
{
	std::string copy = dir + "/" + fs::path(file.path).stem().string();
	char address[32];
	std::snprintf(address, sizeof(address), "%#llx",
		      (unsigned long long)linked_text_address);
	// Calls to the kernel's functions resolve to 0: only the debug
	// sections' relocations matter here.
	std::string command = "ld --unresolved-symbols=ignore-all "
			      "--noinhibit-exec -e 0 -Ttext=" +
			      std::string(address) + " -o '" + copy + "' '" +
			      file.path + "' >/dev/null 2>&1";
	return std::system(command.c_str()) == 0 ? copy : "";
}

std::vector<Sample> sample_addresses(const Snapshot &snapshot,
				     const std::vector<ReferenceFile> &files,
				     size_t count, std::mt19937_64 &random)
{
	size_t modules = std::ranges::count_if(files, [](const auto &f) {
		return !f.path.empty() && !f.is_vmlinux;
	});
	std::vector<Sample> samples;
	for (size_t i = 0; i < files.size(); i++) {
		const ReferenceFile &file = files[i];
		if (file.path.empty())
			continue;
		const ObjectInfo &object = snapshot.objects()[i];
		size_t want = file.is_vmlinux ? (modules ? count * 2 / 3 : count) :
						(count / 3 + modules - 1) / modules;
		// Functions with a size, and for a module one of the .ko's
		// .text with a name of its own.
		std::vector<Symbol> functions;
		auto add = [&](uint64_t first, uint64_t n) {
			for (uint64_t k = first; k < first + n; k++) {
				Symbol s = snapshot.symbol((uint32_t)k);
				// Not the padding before a function
				// (__pfx_, __cfi_): no code runs there.
				if (s.type == STT_FUNC && s.size > 0 &&
				    !s.name.starts_with("__pfx_") &&
				    !s.name.starts_with("__cfi_") &&
				    (file.is_vmlinux ||
				     file.text.count(std::string(s.name))))
					functions.push_back(s);
			}
		};
		add(object.first_local, object.local_count);
		add(object.first_global, object.global_count);
		for (size_t n = 0; n < want && !functions.empty(); n++) {
			const Symbol &s = functions[random() % functions.size()];
			uint64_t offset = random() % s.size;
			uint64_t in_file =
				file.is_vmlinux ?
					s.address + offset - file.slide :
					file.text.at(std::string(s.name)) + offset;
			uint64_t reference =
				in_file + (file.is_vmlinux ? 0 : linked_text_address);
			samples.push_back(
				{s.address + offset, reference, i, in_file});
		}
	}
	return samples;
}

} // namespace ksyms::test
