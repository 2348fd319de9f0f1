// SPDX-License-Identifier: BSD-2-Clause
// Finds the debug file of one object of a snapshot by its build ID: in
// /usr/lib/debug-like directories, then through debuginfod (the order and
// places are in <ksyms/debuginfo.h>).
#ifndef KSYMS_DEBUG_FILE_FINDER_H
#define KSYMS_DEBUG_FILE_FINDER_H

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ksyms {

class DebugFileFinder {
public:
	DebugFileFinder(std::vector<std::string> directories, bool debuginfod);
	DebugFileFinder(const DebugFileFinder &) = delete;
	DebugFileFinder &operator=(const DebugFileFinder &) = delete;
	~DebugFileFinder();

	// Whether there is anywhere to look.
	bool enabled() const;

	// The path of a file whose build ID is `build_id`, for the object
	// called `name` ("vmlinux" or a module's name), or nothing.
	std::optional<std::string> find(std::string_view name,
					std::span<const uint8_t> build_id);

private:
	std::optional<std::string> in_directory(const std::string &dir,
						std::string_view name,
						std::span<const uint8_t> build_id);
	std::optional<std::string> from_debuginfod(
		std::span<const uint8_t> build_id);
	// dir's .ko files by module name ('-' as '_'), made on first use.
	const std::multimap<std::string, std::string> &modules_under(
		const std::string &dir);

	std::vector<std::string> directories_;
	bool debuginfod_;
	std::map<std::string, std::multimap<std::string, std::string>> modules_;
};

// The GNU build ID note of the ELF file at `path`, empty if it has none or
// is not ELF.
std::vector<uint8_t> read_build_id(const std::string &path);

} // namespace ksyms

#endif
