// SPDX-License-Identifier: BSD-2-Clause
// One version everywhere: the repository's VERSION file, the C++ constant,
// the C call, the CMake project (its package version file) and ksyms.pc
// must all say the same.
#include <ksyms/ksyms.h>
#include <ksyms/version.h>

#include "test_image.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace ksyms {
namespace {

// The value of the first line of `path` that starts with `prefix`.
std::string line_after(const std::string &path, const std::string &prefix)
{
	std::istringstream lines(test::read_file(path));
	for (std::string line; std::getline(lines, line);)
		if (line.starts_with(prefix))
			return line.substr(prefix.size());
	return "(no " + prefix + " in " + path + ")";
}

TEST(Version, OneVersionEverywhere)
{
	std::string file = test::read_file(KSYMS_VERSION_FILE);
	ASSERT_FALSE(file.empty());
	std::string version = file.substr(0, file.find('\n'));

	EXPECT_EQ(version, ksyms::version);
	EXPECT_EQ(version, ksyms_version());
	EXPECT_EQ(version, KSYMS_VERSION_STRING);
	EXPECT_EQ(version, std::to_string(KSYMS_VERSION_MAJOR) + "." +
				   std::to_string(KSYMS_VERSION_MINOR) + "." +
				   std::to_string(KSYMS_VERSION_PATCH));
	EXPECT_EQ(version, line_after(KSYMS_PC_FILE, "Version: "));
	EXPECT_EQ("\"" + version + "\")",
		  line_after(KSYMS_CONFIG_VERSION_FILE,
			     "set(PACKAGE_VERSION "));
}

} // namespace
} // namespace ksyms
