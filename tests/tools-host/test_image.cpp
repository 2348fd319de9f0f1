// SPDX-License-Identifier: BSD-2-Clause
#include "test_image.h"

#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ksyms::test {

namespace {

[[noreturn]] void die(const char *what)
{
	std::fprintf(stderr, "test_image: %s: %s\n", what, elf_errmsg(-1));
	std::abort();
}

// The offsets of docs/image-format.md.
constexpr size_t phdr_offset = 64;
constexpr size_t shdr_offset = 176;
constexpr size_t shstrtab_offset = 432;
constexpr size_t symtab_offset = 464;
constexpr char shstrtab[] = "\0.symtab\0.strtab\0.shstrtab\0";	// 28 bytes

Elf_Scn *add_section(Elf *elf, uint32_t name, uint32_t type, size_t offset,
		     void *bytes, size_t size, Elf_Type data_type,
		     uint64_t align, uint64_t entsize)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf_Data *data = scn ? elf_newdata(scn) : nullptr;
	if (!data)
		die("elf_newdata");
	data->d_buf = bytes;
	data->d_size = size;
	data->d_type = data_type;
	data->d_align = align ? align : 1;
	data->d_off = 0;
	Elf64_Shdr *shdr = elf64_getshdr(scn);
	shdr->sh_name = name;
	shdr->sh_type = type;
	shdr->sh_offset = offset;
	shdr->sh_size = size;
	shdr->sh_addralign = align;
	shdr->sh_entsize = entsize;
	return scn;
}

} // namespace

TempDir::TempDir()
{
	std::string pattern =
		(std::filesystem::temp_directory_path() / "ksyms-test.XXXXXX");
	if (!mkdtemp(pattern.data()))
		std::abort();
	path_ = pattern;
}

TempDir::~TempDir()
{
	std::error_code ignored;
	std::filesystem::remove_all(path_, ignored);
}

void write_image(const std::string &path, const std::vector<TestSymbol> &symbols,
		 bool with_symtab)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		die("elf_version");

	std::vector<Elf64_Sym> table(1);	// the null symbol
	std::string strings(1, '\0');
	uint32_t locals = 1;
	for (const TestSymbol &symbol : symbols) {
		Elf64_Sym sym{};
		sym.st_name = strings.size();
		sym.st_info = ELF64_ST_INFO(symbol.binding, symbol.type);
		sym.st_shndx = SHN_ABS;
		sym.st_value = symbol.address;
		sym.st_size = symbol.size;
		table.push_back(sym);
		strings += symbol.name;
		strings += '\0';
		if (symbol.binding == STB_LOCAL)
			locals = table.size();
	}

	int fd = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open");
	Elf *elf = elf_begin(fd, ELF_C_WRITE, nullptr);
	if (!elf)
		die("elf_begin");
	// The image's exact offsets, not libelf's choice.
	elf_flagelf(elf, ELF_C_SET, ELF_F_LAYOUT);

	Elf64_Ehdr *ehdr = elf64_newehdr(elf);
	if (!ehdr)
		die("elf64_newehdr");
	ehdr->e_ident[EI_DATA] = ELFDATA2LSB;
	ehdr->e_ident[EI_OSABI] = ELFOSABI_NONE;
	ehdr->e_type = ET_EXEC;
	ehdr->e_machine = EM_X86_64;
	ehdr->e_version = EV_CURRENT;
	ehdr->e_phoff = phdr_offset;
	ehdr->e_shoff = shdr_offset;

	Elf64_Phdr *phdr = elf64_newphdr(elf, 2);
	if (!phdr)
		die("elf64_newphdr");
	phdr[0] = Elf64_Phdr{};
	phdr[0].p_type = PT_NULL;
	phdr[0].p_flags = PF_R | PF_X;
	phdr[1] = Elf64_Phdr{};
	phdr[1].p_type = PT_NULL;
	phdr[1].p_flags = PF_R | PF_W | PF_X;

	size_t symtab_size = table.size() * sizeof(Elf64_Sym);
	if (with_symtab) {
		Elf_Scn *symtab = add_section(elf, 1, SHT_SYMTAB, symtab_offset,
					      table.data(), symtab_size,
					      ELF_T_SYM, 8, sizeof(Elf64_Sym));
		elf64_getshdr(symtab)->sh_link = 2;
		elf64_getshdr(symtab)->sh_info = locals;
		add_section(elf, 9, SHT_STRTAB, symtab_offset + symtab_size,
			    strings.data(), strings.size(), ELF_T_BYTE, 1, 0);
	}
	Elf_Scn *names = add_section(elf, 17, SHT_STRTAB, shstrtab_offset,
				     const_cast<char *>(shstrtab),
				     sizeof(shstrtab), ELF_T_BYTE, 0, 0);
	ehdr->e_shstrndx = elf_ndxscn(names);

	if (elf_update(elf, ELF_C_WRITE) < 0)
		die("elf_update");
	elf_end(elf);
	close(fd);
}

// Addresses in an x86_64 kernel's range.  Locals first, as in the image.
const std::vector<TestSymbol> &known_symbols()
{
	static const std::vector<TestSymbol> symbols = {
		{"local_func", 0xffffffff81001000, 0x100, STT_FUNC, STB_LOCAL},
		{"dup", 0xffffffff81001100, 0x20, STT_FUNC, STB_LOCAL},
		{"dup", 0xffffffff82000020, 0x10, STT_OBJECT, STB_LOCAL},
		{"label_local", 0xffffffff81001180, 0, STT_NOTYPE, STB_LOCAL},
		{"_stext", 0xffffffff81000000, 0, STT_NOTYPE, STB_GLOBAL},
		{"start_kernel", 0xffffffff81001200, 0x200, STT_FUNC, STB_GLOBAL},
		{"start_kernel_alias", 0xffffffff81001200, 0x200, STT_FUNC,
		 STB_WEAK},
		{"jiffies", 0xffffffff82000000, 8, STT_OBJECT, STB_GLOBAL},
		{"weak_object", 0xffffffff82000010, 8, STT_OBJECT, STB_WEAK},
		{"absolute_zero", 0, 0, STT_NOTYPE, STB_GLOBAL},
		{"mod_func", 0xffffffffc0001000, 0x40, STT_FUNC, STB_GLOBAL},
		{"_end", 0xffffffffc0002000, 0, STT_NOTYPE, STB_GLOBAL},
	};
	return symbols;
}

void write_file(const std::string &path, const std::string &contents)
{
	std::ofstream out(path, std::ios::binary);
	out << contents;
	if (!out)
		std::abort();
}

std::string read_file(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	std::stringstream contents;
	contents << in.rdbuf();
	return contents.str();
}

CommandResult run_shell(const std::string &command,
			const std::string &stdin_text)
{
	TempDir dir;
	std::string input = dir.file("stdin");
	std::string errors = dir.file("stderr");
	write_file(input, stdin_text);
	std::string line = command + " <" + input + " 2>" + errors;
	FILE *pipe = popen(line.c_str(), "r");
	CommandResult run{-1, ""};
	char buffer[4096];
	size_t got;
	while ((got = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
		run.out.append(buffer, got);
	int status = pclose(pipe);
	run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	run.out += read_file(errors);
	return run;
}

} // namespace ksyms::test

extern "C" int ksyms_test_write_known_image(const char *path)
{
	ksyms::test::write_image(path, ksyms::test::known_symbols());
	return 0;
}
