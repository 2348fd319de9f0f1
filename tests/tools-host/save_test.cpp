// SPDX-License-Identifier: BSD-2-Clause
// save(): the image comes back byte for byte, readable by binutils too.
#include "test_image.h"

#include <ksyms/snapshot.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <sys/stat.h>

namespace ksyms {
namespace {

TEST(Save, RoundTripsThroughAFile)
{
	test::TempDir dir;
	test::write_image(dir.file("original.elf"), test::known_symbols());
	Expected<Snapshot> original = Snapshot::open_file(dir.file("original.elf"));
	ASSERT_TRUE(original) << original.error().message();

	std::string saved_path = dir.file("saved.elf");
	Error error = original->save(saved_path);
	ASSERT_FALSE(error) << error.message();
	EXPECT_EQ(test::read_file(saved_path),
		  test::read_file(dir.file("original.elf")));

	Expected<Snapshot> saved = Snapshot::open_file(saved_path);
	ASSERT_TRUE(saved) << saved.error().message();
	ASSERT_EQ(saved->symbol_count(), original->symbol_count());
	for (uint32_t i = 1; i <= saved->symbol_count(); i++) {
		EXPECT_EQ(saved->symbol(i).name, original->symbol(i).name);
		EXPECT_EQ(saved->symbol(i).address, original->symbol(i).address);
	}

	// Nothing but the two images is left in the directory.
	size_t files = 0;
	for (const auto &entry : std::filesystem::directory_iterator(dir.path())) {
		(void)entry;
		files++;
	}
	EXPECT_EQ(files, 2u);
}

TEST(Save, ReplacesAnExistingFileWithTheUsualPermissions)
{
	test::TempDir dir;
	test::write_image(dir.file("image.elf"), test::known_symbols());
	Expected<Snapshot> snapshot = Snapshot::open_file(dir.file("image.elf"));
	ASSERT_TRUE(snapshot);
	test::write_file(dir.file("old"), "old contents");
	ASSERT_FALSE(snapshot->save(dir.file("old")));
	EXPECT_EQ(test::read_file(dir.file("old")),
		  test::read_file(dir.file("image.elf")));

	struct stat st;
	ASSERT_EQ(stat(dir.file("old").c_str(), &st), 0);
	mode_t mask = umask(0);
	umask(mask);
	EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);
}

TEST(Save, ReportsAMissingDirectory)
{
	test::TempDir dir;
	test::write_image(dir.file("image.elf"), test::known_symbols());
	Expected<Snapshot> snapshot = Snapshot::open_file(dir.file("image.elf"));
	ASSERT_TRUE(snapshot);
	std::string path = dir.file("missing/saved.elf");
	Error error = snapshot->save(path);
	EXPECT_EQ(error.code(), ENOENT);
	EXPECT_EQ(error.message(), path + ": No such file or directory");
}

TEST(Save, ReadelfAcceptsTheSavedImage)
{
	test::TempDir dir;
	test::write_image(dir.file("image.elf"), test::known_symbols());
	Expected<Snapshot> snapshot = Snapshot::open_file(dir.file("image.elf"));
	ASSERT_TRUE(snapshot);
	std::string saved = dir.file("saved.elf");
	ASSERT_FALSE(snapshot->save(saved));

	std::string command = std::string(KSYMS_READELF) + " -s -W " + saved +
			      " 2>&1";
	FILE *pipe = popen(command.c_str(), "r");
	ASSERT_TRUE(pipe);
	std::string output;
	char buffer[4096];
	size_t got;
	while ((got = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
		output.append(buffer, got);
	int status = pclose(pipe);
	EXPECT_EQ(status, 0) << output;
	EXPECT_EQ(output.find("Warning"), std::string::npos) << output;
	EXPECT_NE(output.find("ffffffff81001200   512 FUNC    GLOBAL DEFAULT  ABS "
			      "start_kernel"),
		  std::string::npos)
		<< output;
}

} // namespace
} // namespace ksyms
