// SPDX-License-Identifier: BSD-2-Clause
// What a person reads when opening fails.
#include "test_image.h"

#include <ksyms/snapshot.h>

#include <gtest/gtest.h>

namespace ksyms {
namespace {

TEST(Errors, MissingFile)
{
	test::TempDir dir;
	std::string path = dir.file("absent.elf");
	Expected<Snapshot> snapshot = Snapshot::open_file(path);
	ASSERT_FALSE(snapshot);
	EXPECT_EQ(snapshot.error().code(), ENOENT);
	EXPECT_EQ(snapshot.error().message(), path + ": No such file or directory");
}

TEST(Errors, MissingDeviceSaysHowToLoadTheModule)
{
	test::TempDir dir;
	std::string path = dir.file("ksyms");
	Expected<Snapshot> snapshot = Snapshot::open_device(path);
	ASSERT_FALSE(snapshot);
	EXPECT_EQ(snapshot.error().code(), ENOENT);
	EXPECT_EQ(snapshot.error().message(),
		  path + ": No such file or directory "
			 "(load the ksyms module: modprobe ksyms)");
}

TEST(Errors, DeviceThatIsNotADevice)
{
	test::TempDir dir;
	test::write_image(dir.file("image.elf"), test::known_symbols());
	Expected<Snapshot> snapshot = Snapshot::open_device(dir.file("image.elf"));
	ASSERT_FALSE(snapshot);
	EXPECT_EQ(snapshot.error().code(), ENOTTY);
	EXPECT_EQ(snapshot.error().message(),
		  dir.file("image.elf") +
			  ": KIOCGSIZE: Inappropriate ioctl for device");
}

TEST(Errors, NotElf)
{
	test::TempDir dir;
	for (std::string contents : {"hello, world\n", "\x7f" "EL", "x"}) {
		test::write_file(dir.file("text"), contents);
		Expected<Snapshot> snapshot = Snapshot::open_file(dir.file("text"));
		ASSERT_FALSE(snapshot);
		EXPECT_EQ(snapshot.error().code(), ENOEXEC);
		EXPECT_EQ(snapshot.error().message(),
			  dir.file("text") + ": not an ELF file");
	}
	test::write_file(dir.file("empty"), "");
	Expected<Snapshot> empty = Snapshot::open_file(dir.file("empty"));
	ASSERT_FALSE(empty);
	EXPECT_EQ(empty.error().message(),
		  dir.file("empty") + ": empty file, not an ELF image");
}

TEST(Errors, ElfWithoutSymbolTable)
{
	test::TempDir dir;
	test::write_image(dir.file("nosyms.elf"), {}, false);
	Expected<Snapshot> snapshot = Snapshot::open_file(dir.file("nosyms.elf"));
	ASSERT_FALSE(snapshot);
	EXPECT_EQ(snapshot.error().code(), ENOEXEC);
	EXPECT_EQ(snapshot.error().message(),
		  dir.file("nosyms.elf") + ": no symbol table (SHT_SYMTAB)");
}

TEST(Errors, ThirtyTwoBitElf)
{
	test::TempDir dir;
	std::string ident = "\x7f" "ELF";
	ident += '\x01';	// ELFCLASS32
	ident += std::string(59, '\0');
	test::write_file(dir.file("elf32"), ident);
	Expected<Snapshot> snapshot = Snapshot::open_file(dir.file("elf32"));
	ASSERT_FALSE(snapshot);
	EXPECT_EQ(snapshot.error().message(),
		  dir.file("elf32") + ": not a 64-bit ELF file");
}

TEST(Errors, Directory)
{
	test::TempDir dir;
	Expected<Snapshot> snapshot = Snapshot::open_file(dir.path());
	ASSERT_FALSE(snapshot);
	EXPECT_EQ(snapshot.error().message(), dir.path() + ": Is a directory");
}

TEST(Errors, ErrorValues)
{
	Error success;
	EXPECT_FALSE(success);
	EXPECT_EQ(success.code(), 0);
	Error failure = Error::from_errno(EACCES, "/x", "open");
	EXPECT_TRUE(failure);
	EXPECT_EQ(failure.message(), "/x: open: Permission denied");
}

} // namespace
} // namespace ksyms
