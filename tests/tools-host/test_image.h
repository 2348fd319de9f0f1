// SPDX-License-Identifier: BSD-2-Clause
// Small ELF64 images in the /dev/ksyms layout (docs/image-format.md),
// written with libelf, for tests that need a file with known symbols.
#ifndef KSYMS_TESTS_TEST_IMAGE_H
#define KSYMS_TESTS_TEST_IMAGE_H

#ifdef __cplusplus
#include <cstdint>
#include <string>
#include <vector>

namespace ksyms::test {

struct TestSymbol {
	std::string name;
	uint64_t address;
	uint64_t size;
	unsigned char type;	// STT_*
	unsigned char binding;	// STB_*
};

// A temporary directory, removed with its files when the object goes.
class TempDir {
public:
	TempDir();
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;
	~TempDir();
	const std::string &path() const { return path_; }
	std::string file(const std::string &name) const
	{
		return path_ + "/" + name;
	}

private:
	std::string path_;
};

// Writes `symbols` (after the null symbol, in the order given; put the
// STB_LOCAL ones first as the image does) to `path`, every symbol SHN_ABS.
// With `with_symtab` false the file has only .shstrtab.  Aborts the test
// binary on failure: a broken fixture is not a test result.
void write_image(const std::string &path, const std::vector<TestSymbol> &symbols,
		 bool with_symtab = true);

// The table most tests share; see test_image.cpp for its shape.
const std::vector<TestSymbol> &known_symbols();

void write_file(const std::string &path, const std::string &contents);

struct CommandResult {
	int status;
	std::string out;	// stdout and stderr, stderr last
};

// Runs `command` with sh -c, `stdin_text` on its standard input.
CommandResult run_shell(const std::string &command,
			const std::string &stdin_text = "");
std::string read_file(const std::string &path);

} // namespace ksyms::test

extern "C" {
#endif

/* For the C API test: writes known_symbols() to path; 0 on success. */
int ksyms_test_write_known_image(const char *path);

#ifdef __cplusplus
}
#endif

#endif
