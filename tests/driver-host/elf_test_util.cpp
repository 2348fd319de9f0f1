// SPDX-License-Identifier: GPL-2.0-only
#include "elf_test_util.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char **environ;

namespace ksyms_test {

namespace {

struct ElfHandle {
	Elf *elf = nullptr;
	~ElfHandle()
	{
		if (elf)
			elf_end(elf);
	}
};

std::string elf_error()
{
	const char *msg = elf_errmsg(-1);
	return msg ? msg : "(no libelf error)";
}

bool libelf_ready()
{
	static const bool ready = elf_version(EV_CURRENT) != EV_NONE;
	return ready;
}

std::string read_whole_file(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

std::string temp_dir()
{
	std::error_code ec;
	std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
	return ec ? std::string("/tmp") : dir.string();
}

} // namespace

::testing::AssertionResult parse_image(const void *data, size_t size,
				       ParsedImage *out)
{
	if (!libelf_ready())
		return ::testing::AssertionFailure() << "elf_version failed";
	*out = ParsedImage{};

	ElfHandle h;
	// elf_memory() only reads the buffer unless asked to update it.
	h.elf = elf_memory(static_cast<char *>(const_cast<void *>(data)), size);
	if (!h.elf)
		return ::testing::AssertionFailure()
		       << "elf_memory: " << elf_error();
	if (elf_kind(h.elf) != ELF_K_ELF)
		return ::testing::AssertionFailure() << "not ELF to libelf";
	if (!gelf_getehdr(h.elf, &out->ehdr))
		return ::testing::AssertionFailure()
		       << "gelf_getehdr: " << elf_error();

	size_t phnum = 0;
	if (elf_getphdrnum(h.elf, &phnum) != 0)
		return ::testing::AssertionFailure()
		       << "elf_getphdrnum: " << elf_error();
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(h.elf, static_cast<int>(i), &ph))
			return ::testing::AssertionFailure()
			       << "gelf_getphdr " << i << ": " << elf_error();
		out->phdrs.push_back(ph);
	}

	size_t shnum = 0;
	if (elf_getshdrnum(h.elf, &shnum) != 0)
		return ::testing::AssertionFailure()
		       << "elf_getshdrnum: " << elf_error();
	if (elf_getshdrstrndx(h.elf, &out->shstrndx) != 0)
		return ::testing::AssertionFailure()
		       << "elf_getshdrstrndx: " << elf_error();
	for (size_t i = 0; i < shnum; i++) {
		Elf_Scn *scn = elf_getscn(h.elf, i);
		GElf_Shdr sh;
		if (!scn || !gelf_getshdr(scn, &sh))
			return ::testing::AssertionFailure()
			       << "section " << i << ": " << elf_error();
		out->shdrs.push_back(sh);
		const char *name = elf_strptr(h.elf, out->shstrndx, sh.sh_name);
		if (!name)
			return ::testing::AssertionFailure()
			       << "name of section " << i << ": "
			       << elf_error();
		out->shnames.push_back(name);
		if (sh.sh_type == SHT_SYMTAB && out->shnames.back() == ".symtab") {
			if (out->symtab_index)
				return ::testing::AssertionFailure()
				       << "two .symtab sections";
			out->symtab_index = i;
		}
	}
	if (!out->symtab_index)
		return ::testing::AssertionFailure() << "no .symtab section";

	Elf_Scn *scn = elf_getscn(h.elf, out->symtab_index);
	const GElf_Shdr &sh = out->shdrs[out->symtab_index];
	out->strtab_index = sh.sh_link;
	if (sh.sh_entsize != sizeof(Elf64_Sym))
		return ::testing::AssertionFailure()
		       << ".symtab sh_entsize " << sh.sh_entsize;
	Elf_Data *d = elf_getdata(scn, nullptr);
	if (!d)
		return ::testing::AssertionFailure()
		       << "elf_getdata(.symtab): " << elf_error();
	if (d->d_size != sh.sh_size)
		return ::testing::AssertionFailure()
		       << ".symtab data " << d->d_size << " bytes, sh_size "
		       << sh.sh_size;
	size_t count = sh.sh_size / sh.sh_entsize;
	out->syms.reserve(count);
	for (size_t i = 0; i < count; i++) {
		ParsedSymbol ps;
		if (!gelf_getsym(d, static_cast<int>(i), &ps.sym))
			return ::testing::AssertionFailure()
			       << "gelf_getsym " << i << ": " << elf_error();
		const char *name =
			elf_strptr(h.elf, out->strtab_index, ps.sym.st_name);
		if (!name)
			return ::testing::AssertionFailure()
			       << "name of symbol " << i << " (st_name "
			       << ps.sym.st_name << "): " << elf_error();
		ps.name = name;
		out->syms.push_back(std::move(ps));
	}
	return ::testing::AssertionSuccess();
}

TempFile::TempFile(const void *data, size_t size)
{
	std::string tmpl = temp_dir() + "/ksyms-host-test-XXXXXX";
	std::vector<char> buf(tmpl.begin(), tmpl.end());
	buf.push_back('\0');
	int fd = mkstemp(buf.data());
	if (fd < 0)
		throw std::runtime_error("mkstemp: " +
					 std::string(strerror(errno)));
	path_ = buf.data();
	const char *p = static_cast<const char *>(data);
	while (size) {
		ssize_t n = write(fd, p, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			unlink(path_.c_str());
			throw std::runtime_error("write temp file");
		}
		p += n;
		size -= static_cast<size_t>(n);
	}
	close(fd);
}

TempFile::~TempFile()
{
	unlink(path_.c_str());
}

CommandResult run_command(const std::vector<std::string> &argv)
{
	CommandResult r;
	std::string base = temp_dir() + "/ksyms-host-cmd-XXXXXX";
	std::vector<char> outp(base.begin(), base.end()), errp;
	outp.push_back('\0');
	errp = outp;
	int out_fd = mkstemp(outp.data());
	int err_fd = mkstemp(errp.data());
	if (out_fd < 0 || err_fd < 0)
		throw std::runtime_error("mkstemp for command output");

	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, err_fd, 2);

	std::vector<char *> args;
	for (const std::string &a : argv)
		args.push_back(const_cast<char *>(a.c_str()));
	args.push_back(nullptr);

	// The tools are not built with ASan: keep our sanitizer settings and
	// LD_PRELOADs, if any, away from them, and make their output C locale.
	std::vector<std::string> env_store;
	for (char **e = environ; *e; e++) {
		std::string v = *e;
		if (v.rfind("LC_", 0) == 0 || v.rfind("LANG", 0) == 0 ||
		    v.rfind("LANGUAGE=", 0) == 0 || v.rfind("LD_PRELOAD=", 0) == 0)
			continue;
		env_store.push_back(v);
	}
	env_store.push_back("LC_ALL=C");
	std::vector<char *> envp;
	for (std::string &v : env_store)
		envp.push_back(v.data());
	envp.push_back(nullptr);

	pid_t pid;
	int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(),
			     envp.data());
	posix_spawn_file_actions_destroy(&fa);
	close(out_fd);
	close(err_fd);
	if (rc == 0) {
		int status;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status))
			r.exit_status = WEXITSTATUS(status);
	} else {
		r.err = "posix_spawn " + argv[0] + ": " + strerror(rc);
	}
	r.out += read_whole_file(outp.data());
	r.err += read_whole_file(errp.data());
	unlink(outp.data());
	unlink(errp.data());
	return r;
}

std::string describe(const CommandResult &r)
{
	std::ostringstream s;
	s << "exit status " << r.exit_status << "\n--- stdout ---\n"
	  << r.out.substr(0, 8000) << (r.out.size() > 8000 ? "\n[...]" : "")
	  << "\n--- stderr ---\n" << r.err.substr(0, 8000)
	  << (r.err.size() > 8000 ? "\n[...]" : "");
	return s.str();
}

std::vector<uint8_t> new_image_buffer(const ksyms_elf_layout &layout,
				      size_t guard, uint8_t fill)
{
	u64 size = freebsd_image_size(&layout);
	if (!size)
		throw std::invalid_argument("layout rejected");
	return std::vector<uint8_t>(size + guard, fill);
}

} // namespace ksyms_test
