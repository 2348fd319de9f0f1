// SPDX-License-Identifier: BSD-2-Clause
#include "debug_file_finder.h"

#include <ksyms/symbolize.h>

#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace ksyms {

namespace {

bool same_id(const std::vector<uint8_t> &found, std::span<const uint8_t> want)
{
	return !want.empty() && std::ranges::equal(found, want);
}

std::string module_key(std::string_view name)
{
	std::string key(name);
	std::ranges::replace(key, '-', '_');
	return key;
}

// Every existing path a glob-free pattern list gives for vmlinux: files
// named vmlinux-* in dir and dir/boot, and dir/lib/modules/*/vmlinux.
std::vector<std::string> vmlinux_candidates(const std::string &dir)
{
	std::vector<std::string> found;
	std::error_code ec;
	for (const char *sub : {"", "/boot"}) {
		for (const auto &entry :
		     fs::directory_iterator(dir + sub, ec)) {
			std::string file = entry.path().filename().string();
			if (file.starts_with("vmlinux-") &&
			    entry.is_regular_file(ec))
				found.push_back(entry.path().string());
		}
	}
	for (const auto &entry : fs::directory_iterator(dir + "/lib/modules", ec)) {
		fs::path file = entry.path() / "vmlinux";
		if (fs::is_regular_file(file, ec))
			found.push_back(file.string());
	}
	std::ranges::sort(found);
	return found;
}

} // namespace

std::vector<uint8_t> read_build_id(const std::string &path)
{
	std::vector<uint8_t> id;
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return id;
	elf_version(EV_CURRENT);
	if (Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr)) {
		const void *bits = nullptr;
		ssize_t size = dwelf_elf_gnu_build_id(elf, &bits);
		if (size > 0) {
			const auto *bytes = static_cast<const uint8_t *>(bits);
			id.assign(bytes, bytes + size);
		}
		elf_end(elf);
	}
	::close(fd);
	return id;
}

DebugFileFinder::DebugFileFinder(std::vector<std::string> directories,
				 bool debuginfod)
	: directories_(std::move(directories))
{
	const char *urls = std::getenv("DEBUGINFOD_URLS");
	debuginfod_ = debuginfod && urls && *urls;
}

DebugFileFinder::~DebugFileFinder() = default;

bool DebugFileFinder::enabled() const
{
	return !directories_.empty() || debuginfod_;
}

std::optional<std::string> DebugFileFinder::find(
	std::string_view name, std::span<const uint8_t> build_id)
{
	if (build_id.empty())
		return std::nullopt;
	for (const std::string &dir : directories_)
		if (auto path = in_directory(dir, name, build_id))
			return path;
	if (debuginfod_)
		return from_debuginfod(build_id);
	return std::nullopt;
}

std::optional<std::string> DebugFileFinder::in_directory(
	const std::string &dir, std::string_view name,
	std::span<const uint8_t> build_id)
{
	std::string hex = format_build_id(build_id);
	std::string linked = dir + "/.build-id/" + hex.substr(0, 2) + "/" +
			     hex.substr(2) + ".debug";
	if (same_id(read_build_id(linked), build_id))
		return linked;

	if (name == "vmlinux") {
		for (const std::string &path : vmlinux_candidates(dir))
			if (same_id(read_build_id(path), build_id))
				return path;
		return std::nullopt;
	}
	auto [first, last] = modules_under(dir).equal_range(module_key(name));
	for (auto it = first; it != last; ++it)
		if (same_id(read_build_id(it->second), build_id))
			return it->second;
	return std::nullopt;
}

const std::multimap<std::string, std::string> &DebugFileFinder::modules_under(
	const std::string &dir)
{
	auto [it, added] = modules_.try_emplace(dir);
	if (!added)
		return it->second;
	std::error_code ec;
	fs::recursive_directory_iterator walk(
		dir + "/lib/modules",
		fs::directory_options::skip_permission_denied, ec);
	for (; !ec && walk != fs::recursive_directory_iterator();
	     walk.increment(ec)) {
		const fs::path &path = walk->path();
		if (path.extension() == ".ko")
			it->second.emplace(module_key(path.stem().string()),
					   path.string());
	}
	return it->second;
}

// Through libdwfl, which loads libdebuginfod only when DEBUGINFOD_URLS is
// set and the library is installed: a ksyms that never asks a server does
// not load an HTTP client and its dozens of libraries.  Its standard
// search, given no directory, asks the servers alone, for a module that
// has nothing but the build ID.
std::optional<std::string> DebugFileFinder::from_debuginfod(
	std::span<const uint8_t> build_id)
{
	static char no_directories[] = "";
	static char *search_path = no_directories;
	static const Dwfl_Callbacks callbacks = {
		.find_elf = nullptr,
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = nullptr,
		.debuginfo_path = &search_path,
	};
	Dwfl *dwfl = dwfl_begin(&callbacks);
	if (!dwfl)
		return std::nullopt;
	dwfl_report_begin(dwfl);
	Dwfl_Module *module = dwfl_report_module(dwfl, "debuginfod", 0, 1);
	std::optional<std::string> found;
	char *name = nullptr;
	int fd = -1;
	if (module &&
	    dwfl_module_report_build_id(module, build_id.data(),
					build_id.size(), 0) == 0 &&
	    dwfl_report_end(dwfl, nullptr, nullptr) == 0)
		fd = dwfl_standard_find_debuginfo(module, nullptr, "", 0,
						  nullptr, nullptr, 0, &name);
	if (fd >= 0) {
		// The file in debuginfod's cache, by its descriptor.
		std::error_code ec;
		fs::path path = fs::read_symlink(
			"/proc/self/fd/" + std::to_string(fd), ec);
		if (!ec)
			found = path.string();
		::close(fd);
	}
	std::free(name);
	dwfl_end(dwfl);
	return found;
}

} // namespace ksyms
