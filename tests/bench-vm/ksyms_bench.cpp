// SPDX-License-Identifier: GPL-2.0
/*
 * ksyms_bench: how /dev/ksyms compares with /proc/kallsyms, and whether the
 * driver's caching and memory behaviour meet their goals.
 *
 *   ksyms_bench --small-module PATH.ko --sym-module A.ko [--sym-module B.ko]
 *               [--reps N] [--warm-iters N]
 *   ksyms_bench --elf FILE     (walk FILE's symbol table through a read-only
 *                               mapping, as the benchmark walks the image)
 *
 * Runs as root with ksyms.ko loaded. Prints a header line, a markdown table
 * (every line prefixed "# ") and KTAP for the goals; exit 0 only if every
 * goal is met. See tests/bench-vm/Makefile for the build.
 *
 * How it compares:
 *  - Same work on both sides: a consume reads every symbol's address,
 *    kallsyms letter and name bytes into a checksum, on the device through
 *    libelf (elf_strptr, the image's .ksyms.kallsyms letters), on
 *    /proc/kallsyms by parsing one read() buffer in place; the checksums of
 *    every run must agree, each comparison's agreement a KTAP test. The
 *    "pointers only" rows keep (address, name pointer) and read no name
 *    byte; their checksum covers the addresses alone.
 *  - Warm, cold (after vm.drop_caches, the driver's shrinker) and after an
 *    idle drop (the idle timer, which also forgets the privilege answers),
 *    each end to end, with the page faults of every run.
 *  - The two sides of a comparison run in turns (ABAB...), as many runs
 *    each; every figure is min / median / max of its runs, and ratios and
 *    goals use the medians. Fast operations are batches of --warm-iters,
 *    each batch's mean one run.
 */
#include <linux/bpf.h>
#include <linux/ksyms.h>
#include <linux/module.h>	/* MODULE_INIT_COMPRESSED_FILE */

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

// The selftests' helpers (selftests/ksyms_util.c, linked in): the driver's
// stats, /proc/meminfo and vm.drop_caches are read as the selftests read them.
#include "ksyms_util.h"

namespace {

// ---- errors and results ----------------------------------------------------

struct Error {
	std::string what;	// what failed: "open /dev/ksyms"
	int err = 0;		// errno, or 0 when `what` says it all
};

std::string describe(const Error &e)
{
	return e.err ? e.what + ": " + std::strerror(e.err) : e.what;
}

Error errno_error(std::string what) { return Error{std::move(what), errno}; }

template <typename T> class [[nodiscard]] Result {
public:
	// Implicit on purpose: `return value;` and `return error;` both work.
	// cppcheck-suppress noExplicitConstructor
	Result(T value) : v_(std::move(value)) {}	// NOLINT(google-explicit-constructor)
	// cppcheck-suppress noExplicitConstructor
	Result(Error error) : v_(std::move(error)) {}	// NOLINT(google-explicit-constructor)
	bool ok() const { return v_.index() == 0; }
	T &operator*() { return std::get<0>(v_); }
	const T &operator*() const { return std::get<0>(v_); }
	T *operator->() { return &std::get<0>(v_); }
	const T *operator->() const { return &std::get<0>(v_); }
	const Error &error() const { return std::get<1>(v_); }

private:
	std::variant<T, Error> v_;
};

struct Unit {};
using Status = Result<Unit>;
Status success() { return Unit{}; }

// The first error among results, or nullptr.
template <typename... R> const Error *first_error(const R &...r)
{
	for (const Error *e : {(r.ok() ? nullptr : &r.error())...})
		if (e)
			return e;
	return nullptr;
}

// printf into a std::string (g++ 12 has no std::format).
__attribute__((format(printf, 1, 2))) std::string fmt(const char *f, ...)	// NOLINT(cert-dcl50-cpp)
{
	char buf[256];
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	return buf;
}

// ---- descriptors -----------------------------------------------------------

class Fd {
public:
	explicit Fd(int fd = -1) : fd_(fd) {}
	Fd(Fd &&o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
	Fd &operator=(Fd &&o) noexcept { std::swap(fd_, o.fd_); return *this; }
	~Fd() { if (fd_ >= 0) ::close(fd_); }
	int get() const { return fd_; }
	bool valid() const { return fd_ >= 0; }
	Status close()
	{
		if (::close(std::exchange(fd_, -1)) != 0)
			return errno_error("close");
		return success();
	}

private:
	int fd_;
};

Result<Fd> open_path(const std::string &path, int flags)
{
	Fd fd(::open(path.c_str(), flags | O_CLOEXEC));
	if (!fd.valid())
		return errno_error("open " + path);
	return fd;
}

// Appends everything up to EOF, in 1 MiB reads.
Status read_to_end(int fd, std::string &buf)
{
	constexpr std::size_t chunk = 1 << 20;
	for (;;) {
		std::size_t used = buf.size();
		buf.resize(used + chunk);
		ssize_t n = ::read(fd, buf.data() + used, chunk);
		buf.resize(used + (n > 0 ? n : 0));
		if (n == 0)
			return success();
		if (n < 0 && errno != EINTR)
			return errno_error("read");
	}
}

Result<std::string> read_file(const std::string &path)
{
	auto fd = open_path(path, O_RDONLY);
	if (!fd.ok())
		return fd.error();
	std::string buf;
	if (auto s = read_to_end(fd->get(), buf); !s.ok())
		return Error{"read " + path, s.error().err};
	return buf;
}

Status write_file(const std::string &path, std::string_view text)
{
	auto fd = open_path(path, O_WRONLY);
	if (!fd.ok())
		return fd.error();
	if (::write(fd->get(), text.data(), text.size()) != ssize_t(text.size()))
		return errno_error("write " + path);
	return fd->close();
}

// ---- driver and kernel state -------------------------------------------------

constexpr const char *idle_param = KSU_IDLE_PARAM;

// The driver's counters as its debugfs stats file shows them, by name. A
// name the driver does not show aborts the benchmark (ksu_stat()).
struct DriverStats {
	ksu_stats raw;
	std::uint64_t stat(const char *name) const { return std::uint64_t(ksu_stat(&raw, name)); }
	std::uint64_t held_bytes() const { return stat("snapshot_bytes") + stat("vmlinux_bytes"); }
};

Result<DriverStats> read_stats()
{
	DriverStats st;
	if (int err = ksu_stats_read(&st.raw); err)
		return Error{"read " KSU_DEBUGFS "/stats", -err};
	return st;
}

// Slab + VmallocUsed + PageTables + KernelStack, in bytes.
Result<std::int64_t> kernel_memory()
{
	std::int64_t kib = 0;
	for (const char *name : {"Slab", "VmallocUsed", "PageTables", "KernelStack"}) {
		long v = ksu_meminfo_kb(name);
		if (v < 0)
			return Error{std::string("/proc/meminfo ") + name, int(-v)};
		kib += v;
	}
	return kib * 1024;
}

// The driver's shrinker drops the cached snapshot and vmlinux table.
Status drop_caches()
{
	if (int err = ksu_drop_caches(2); err)	// 2: slab objects, the shrinkers
		return Error{"write /proc/sys/vm/drop_caches", -err};
	auto st = read_stats();
	if (!st.ok())
		return st.error();
	if (st->stat("vmlinux_bytes") != 0)
		return Error{fmt("drop_caches left vmlinux_bytes %llu",
				 (unsigned long long)st->stat("vmlinux_bytes"))};
	return success();
}

// ---- modules -----------------------------------------------------------------

// The kernel's name for a module file: no directory, no .ko[.xz|.zst|.gz],
// '-' as '_' (delete_module wants the name exactly as the kernel keeps it).
std::string module_name(std::string_view path)
{
	std::string name(path.substr(path.rfind('/') + 1));
	if (std::size_t ko = name.find(".ko"); ko != name.npos)
		name.resize(ko);
	std::replace(name.begin(), name.end(), '-', '_');
	return name;
}

class LoadedModule {
public:
	static Result<LoadedModule> load(const std::string &path)
	{
		auto fd = open_path(path, O_RDONLY);
		if (!fd.ok())
			return fd.error();
		bool packed = !path.ends_with(".ko");
		if (syscall(SYS_finit_module, fd->get(), "",
			    packed ? MODULE_INIT_COMPRESSED_FILE : 0) != 0)
			return errno_error("finit_module " + path);
		return LoadedModule(module_name(path));
	}
	LoadedModule(LoadedModule &&o) noexcept : name_(std::move(o.name_)) { o.name_.clear(); }
	LoadedModule &operator=(LoadedModule &&) = delete;
	~LoadedModule() { (void)unload(); }	// error paths only: best effort
	Status unload()
	{
		if (name_.empty())
			return success();
		if (syscall(SYS_delete_module, name_.c_str(), O_NONBLOCK) != 0)
			return errno_error("delete_module " + name_);
		name_.clear();
		return success();
	}

private:
	explicit LoadedModule(std::string name) : name_(std::move(name)) {}
	std::string name_;
};

// ---- timing --------------------------------------------------------------------

double now_ns()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}

template <typename Op> Result<double> time_once(Op &&op)
{
	double t0 = now_ns();
	auto r = op();
	double t1 = now_ns();
	if (!r.ok())
		return r.error();
	return t1 - t0;
}

// Every figure is shown as min / median / max of its runs; ratios and goals
// use the medians.
struct Spread {
	double min = 0, med = 0, max = 0;
};

Spread spread(std::vector<double> v)
{
	if (v.empty())
		return {};
	std::sort(v.begin(), v.end());
	std::size_t n = v.size();
	return {v.front(), n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v.back()};
}

// reps runs of sample(), which returns one duration in ns.
template <typename Sample> Result<Spread> spread_of(int reps, Sample &&sample)
{
	std::vector<double> v;
	for (int i = 0; i < reps; i++) {
		auto t = sample();
		if (!t.ok())
			return t.error();
		v.push_back(*t);
	}
	return spread(std::move(v));
}

Status open_close(const char *path)
{
	int fd = ::open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno_error(std::string("open ") + path);
	if (::close(fd) != 0)
		return errno_error("close");
	return success();
}

// ---- checksums -------------------------------------------------------------------

// What both sides of a comparison read, reduced to one number: for each
// symbol a hash of its address, its kallsyms letter, its name's length and
// every byte of the name, taken eight bytes at a time (the last word
// zero-padded), finished by a 64-bit mix (for the "pointers only" rows:
// the mix of the address alone), summed over the symbols. The sum does
// not depend on the order, which the image and /proc/kallsyms do not
// share. Both sides call symbol_hash() on the same values; each finds a
// name's length its own way (strlen() on the image's C strings, the
// line's separator in the text), as any reader of that form must. A
// byte-at-a-time hash would read the same bytes and only add the same
// cost to both sides, which hides the difference being measured.
inline std::uint64_t mix64(std::uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

constexpr std::uint64_t hash_prime = 0x9e3779b97f4a7c15ULL;

inline std::uint64_t symbol_hash(std::uint64_t addr, unsigned char letter, const char *name,
				 std::size_t len)
{
	std::uint64_t h = mix64(addr ^ (std::uint64_t(letter) << 56) ^ len);
	std::size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		std::uint64_t w;
		std::memcpy(&w, name + i, 8);
		h = (h ^ w) * hash_prime;
	}
	if (i < len) {
		std::uint64_t w = 0;
		std::memcpy(&w, name + i, len - i);
		h = (h ^ w) * hash_prime;
	}
	return mix64(h);
}

// What one side read: how many symbols, and their checksum.
struct Consumed {
	std::size_t count = 0;
	std::uint64_t sum = 0;
};

// ---- symbol tables ---------------------------------------------------------------

// (address, name) pairs, names NUL-terminated as C readers get them from
// elf_strptr() and nlist: what the "pointers only" consumes keep.
using Symbols = std::vector<std::pair<std::uint64_t, const char *>>;

struct ElfCloser {
	void operator()(Elf *e) const { elf_end(e); }
};
using ElfPtr = std::unique_ptr<Elf, ElfCloser>;

Error elf_error(const std::string &what)
{
	const char *msg = elf_errmsg(-1);
	return Error{what + ": " + (msg ? msg : "unknown libelf error")};
}

Result<Elf_Scn *> find_symtab(Elf *elf)
{
	for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			return elf_error("gelf_getshdr");
		if (sh.sh_type == SHT_SYMTAB)
			return scn;
	}
	return Error{"no SHT_SYMTAB section"};
}

Result<Elf_Data *> section_data(Elf *elf, std::size_t index)
{
	Elf_Data *d = elf_getdata(elf_getscn(elf, index), nullptr);
	if (!d || !d->d_buf)
		return elf_error(fmt("elf_getdata(section %zu)", index));
	return d;
}

// A libelf handle on the image and its symbol table. elf_memory() is
// ELF_C_READ over the caller's buffer: for a native-endian, aligned image
// libelf hands out pointers into it and never writes (a write would fault:
// the ksyms mapping is PROT_READ). Its char * parameter is the only reason
// for the const_cast.
struct SymtabView {
	ElfPtr elf;
	std::span<const Elf64_Sym> table;	// with the null symbol
	std::size_t strndx = 0;
	const char *str = nullptr;
	std::size_t str_size = 0;
};

Result<SymtabView> open_symtab(std::span<const char> image)
{
	SymtabView v;
	v.elf.reset(elf_memory(const_cast<char *>(image.data()), image.size()));
	if (!v.elf)
		return elf_error("elf_memory");
	if (elf_kind(v.elf.get()) != ELF_K_ELF || gelf_getclass(v.elf.get()) != ELFCLASS64)
		return Error{"not an ELF64 image"};
	auto scn = find_symtab(v.elf.get());
	if (!scn.ok())
		return scn.error();
	const Elf64_Shdr *sh = elf64_getshdr(*scn);
	if (!sh || sh->sh_link == 0)
		return Error{"symbol table without a string table"};
	auto syms = section_data(v.elf.get(), elf_ndxscn(*scn));
	auto strs = section_data(v.elf.get(), sh->sh_link);
	if (const Error *e = first_error(syms, strs))
		return *e;
	v.strndx = sh->sh_link;
	v.str = static_cast<const char *>((*strs)->d_buf);
	v.str_size = (*strs)->d_size;
	if (v.str_size == 0 || v.str[v.str_size - 1] != '\0')
		return Error{"string table not NUL-terminated"};
	v.table = {static_cast<const Elf64_Sym *>((*syms)->d_buf), (*syms)->d_size / sizeof(Elf64_Sym)};
	if (v.table.empty())
		return Error{"empty symbol table"};
	return v;
}

// Pointers only: every symbol but the null one as (value, name pointer),
// no name byte read.
Status walk_symtab(std::span<const char> image, Symbols &out)
{
	auto v = open_symtab(image);
	if (!v.ok())
		return v.error();
	out.clear();
	out.reserve(v->table.size());
	for (const Elf64_Sym &s : v->table.subspan(1)) {
		if (s.st_name >= v->str_size)
			return Error{fmt("symbol name offset %u out of range", s.st_name)};
		out.emplace_back(s.st_value, v->str + s.st_name);
	}
	return success();
}

// The letter /proc/kallsyms prints for each symbol, in symbol table order:
// the image's .ksyms.kallsyms section (docs/image-format.md), which is what
// lets `ksyms dump --format=kallsyms` print /proc/kallsyms byte for byte.
Result<const unsigned char *> kallsyms_letters(Elf *elf, std::size_t nsyms)
{
	std::size_t shnum = 0, names = 0;
	if (elf_getshdrnum(elf, &shnum) != 0 || elf_getshdrstrndx(elf, &names) != 0)
		return elf_error("section headers");
	for (std::size_t i = 1; i < shnum; i++) {
		Elf_Scn *scn = elf_getscn(elf, i);
		GElf_Shdr sh;
		if (!scn || !gelf_getshdr(scn, &sh))
			return elf_error("gelf_getshdr");
		const char *name = elf_strptr(elf, names, sh.sh_name);
		if (!name || std::strcmp(name, ".ksyms.kallsyms") != 0)
			continue;
		Elf_Data *d = elf_getdata(scn, nullptr);
		if (!d || !d->d_buf || d->d_size != nsyms + (nsyms - 1 + 7) / 8)
			return Error{"malformed .ksyms.kallsyms"};
		return static_cast<const unsigned char *>(d->d_buf);
	}
	return Error{"no .ksyms.kallsyms section"};
}

// Names touched: every symbol's address, kallsyms letter and name bytes
// (elf_strptr) into the checksum.
Result<Consumed> checksum_symtab(std::span<const char> image)
{
	auto v = open_symtab(image);
	if (!v.ok())
		return v.error();
	auto letters = kallsyms_letters(v->elf.get(), v->table.size());
	if (!letters.ok())
		return letters.error();
	Consumed c;
	for (std::size_t i = 1; i < v->table.size(); i++) {
		const Elf64_Sym &s = v->table[i];
		const char *name = elf_strptr(v->elf.get(), v->strndx, s.st_name);
		if (!name)
			return elf_error(fmt("elf_strptr(%u)", s.st_name));
		c.sum += symbol_hash(s.st_value, (*letters)[i], name, std::strlen(name));
		c.count++;
	}
	return c;
}

// Addresses only, for the "pointers only" rows.
Consumed checksum_addresses(const Symbols &syms)
{
	Consumed c{syms.size(), 0};
	for (const auto &s : syms)
		c.sum += mix64(s.first);
	return c;
}

// A file read whole with read() into one anonymous mapping, grown (doubled
// with mremap) as needed and unmapped at the end, as a one-shot tool's
// buffer is: its page faults count in every run, as the device mapping's
// do. (A malloc'ed buffer would come back from the heap already faulted
// in after the first run.)
class TextBuffer {
public:
	TextBuffer() = default;
	TextBuffer(const TextBuffer &) = delete;
	TextBuffer &operator=(const TextBuffer &) = delete;
	~TextBuffer()
	{
		if (p_)
			munmap(p_, cap_);
	}
	char *data() { return p_; }
	std::size_t size() const { return len_; }

	Status read_path(const char *path)
	{
		auto fd = open_path(path, O_RDONLY);
		if (!fd.ok())
			return fd.error();
		for (;;) {
			if (len_ + 1 >= cap_) {	// room for a NUL after the text
				std::size_t cap = cap_ ? cap_ * 2 : std::size_t(1) << 20;
				void *p = p_ ? mremap(p_, cap_, cap, MREMAP_MAYMOVE)
					     : mmap(nullptr, cap, PROT_READ | PROT_WRITE,
						    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				if (p == MAP_FAILED)
					return errno_error("mmap");
				p_ = static_cast<char *>(p), cap_ = cap;
			}
			ssize_t n = ::read(fd->get(), p_ + len_, cap_ - 1 - len_);
			if (n == 0)
				break;
			if (n < 0 && errno != EINTR)
				return errno_error(std::string("read ") + path);
			len_ += n > 0 ? std::size_t(n) : 0;
		}
		p_[len_] = '\0';
		return fd->close();
	}

private:
	char *p_ = nullptr;
	std::size_t len_ = 0, cap_ = 0;
};

// Where the name that starts at @name ends: its line's tab (a module's
// name follows it) or newline, or @end.
const char *name_end(const char *name, const char *end)
{
	const char *nl = static_cast<const char *>(std::memchr(name, '\n', std::size_t(end - name)));
	if (!nl)
		nl = end;
	const char *tab = static_cast<const char *>(std::memchr(name, '\t', std::size_t(nl - name)));
	return tab ? tab : nl;
}

Error malformed_line(const char *p, const char *end)
{
	const char *nl = static_cast<const char *>(std::memchr(p, '\n', end - p));
	return Error{"malformed /proc/kallsyms line: " + std::string(p, nl ? nl : end)};
}

// Every "%lx %c name[\t[module]]\n" line, parsed in place: on_name(address,
// letter, name, end) reads the name and returns where it ends (its tab or
// newline), or a point past the module to skip it.
template <typename OnName>
Status parse_lines(const char *p, const char *end, OnName &&on_name)
{
	while (p < end) {
		std::uint64_t addr = 0;
		auto [q, ec] = std::from_chars(p, end, addr, 16);
		if (ec != std::errc() || end - q < 4 || q[0] != ' ' || q[2] != ' ')
			return malformed_line(p, end);
		const char *name = q + 3;
		const char *after = on_name(addr, static_cast<unsigned char>(q[1]), name, end);
		if (after == name)
			return malformed_line(p, end);
		p = after;
		if (p < end && *p == '\t') {
			const void *nl = std::memchr(p, '\n', end - p);
			p = nl ? static_cast<const char *>(nl) : end;
		}
		p += p < end;
	}
	return success();
}

// Names touched: every line's address, letter and name bytes into the
// checksum, nothing kept.
Result<Consumed> checksum_kallsyms(const char *text, std::size_t len)
{
	Consumed c;
	auto s = parse_lines(text, text + len, [&c](std::uint64_t addr, unsigned char letter,
						    const char *name, const char *end) {
		const char *p = name_end(name, end);
		c.sum += symbol_hash(addr, letter, name, std::size_t(p - name));
		c.count++;
		return p;
	});
	if (!s.ok())
		return s.error();
	return c;
}

// Pointers kept: (address, name) pairs, each name's end (its tab or
// newline) made a NUL in the buffer, as the ksyms side's names are C strings.
Status parse_kallsyms(char *text, std::size_t len, Symbols &out)
{
	out.clear();
	out.reserve(std::count(text, text + len, '\n'));
	return parse_lines(text, text + len, [&out, text](std::uint64_t addr, unsigned char,
							  const char *name, const char *end) {
		const char *p = name_end(name, end);
		char *nul = text + (p - text);
		out.emplace_back(addr, name);
		const char *after = p;
		if (p < end && *p == '\t') {	// skip the module before the NUL hides the tab
			const void *nl = std::memchr(p, '\n', end - p);
			after = nl ? static_cast<const char *>(nl) : end;
		}
		*nul = '\0';	// the tab or newline; the last line's may be the buffer's own NUL
		return after;
	});
}

// An open /dev/ksyms and its KIOCGADDR mapping.
struct OpenImage {
	Fd fd;
	std::span<const char> image;

	// Unmaps and closes, as a one-shot tool's exit would: the next
	// open_image() maps and faults its pages afresh instead of finding
	// this mapping, which outlives close(), already filled.
	Status close()
	{
		const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
		const std::size_t len = (image.size() + page - 1) / page * page;
		if (munmap(const_cast<char *>(image.data()), len) != 0)
			return errno_error("munmap");
		return fd.close();
	}
};

// open, KIOCGSIZE, KIOCGADDR.
Result<OpenImage> open_image()
{
	auto fd = open_path(KSYMS_PATH, O_RDONLY);
	if (!fd.ok())
		return fd.error();
	std::size_t size = 0;
	void *addr = nullptr;
	if (ioctl(fd->get(), KIOCGSIZE, &size) != 0)
		return errno_error("ioctl KIOCGSIZE");
	if (ioctl(fd->get(), KIOCGADDR, &addr) != 0)
		return errno_error("ioctl KIOCGADDR");
	return OpenImage{std::move(*fd), {static_cast<const char *>(addr), size}};
}

// open, KIOCGSIZE, KIOCGADDR, walk the mapping reading every name and
// letter into the checksum, unmap, close.
Result<Consumed> consume_ksyms()
{
	auto open = open_image();
	if (!open.ok())
		return open.error();
	auto c = checksum_symtab(open->image);
	if (!c.ok())
		return c.error();
	if (auto s = open->close(); !s.ok())
		return s.error();
	return c;
}

// The same, keeping (address, name pointer) pairs: no name byte read.
Result<Consumed> consume_ksyms_pointers()
{
	auto open = open_image();
	if (!open.ok())
		return open.error();
	Consumed c;
	{
		Symbols syms;	// points into the mapping: gone before close
		if (auto s = walk_symtab(open->image, syms); !s.ok())
			return s.error();
		c = checksum_addresses(syms);
	}
	if (auto s = open->close(); !s.ok())
		return s.error();
	return c;
}

// read /proc/kallsyms whole, parse in place into the checksum.
Result<Consumed> consume_kallsyms()
{
	TextBuffer text;
	if (auto s = text.read_path("/proc/kallsyms"); !s.ok())
		return s.error();
	return checksum_kallsyms(text.data(), text.size());
}

// The same, keeping (address, name pointer) pairs.
Result<Consumed> consume_kallsyms_pointers()
{
	TextBuffer text;
	if (auto s = text.read_path("/proc/kallsyms"); !s.ok())
		return s.error();
	Symbols syms;
	if (auto s = parse_kallsyms(text.data(), text.size(), syms); !s.ok())
		return s.error();
	return checksum_addresses(syms);
}

// Where a consume's time goes: first touch of every page of a fresh
// KIOCGADDR mapping, then the walk over pages already mapped.
struct ConsumeSplit {
	double touch_ns = 0, walk_ns = 0;
	std::size_t pages = 0, symbols = 0;
};

Result<ConsumeSplit> split_consume()
{
	auto open = open_image();
	if (!open.ok())
		return open.error();
	const std::size_t size = open->image.size();
	const auto *bytes = reinterpret_cast<const volatile unsigned char *>(open->image.data());
	const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
	ConsumeSplit split;
	double t0 = now_ns();
	for (std::size_t off = 0; off < size; off += page, split.pages++)
		(void)bytes[off];
	double t1 = now_ns();
	auto c = checksum_symtab(open->image);
	if (!c.ok())
		return c.error();
	split.symbols = c->count;
	split.walk_ns = now_ns() - t1;
	split.touch_ns = t1 - t0;
	if (auto s = open->close(); !s.ok())
		return s.error();
	return split;
}

// ---- report ------------------------------------------------------------------------

std::string human_time(double ns)
{
	if (ns < 1e3)
		return fmt("%.0f ns", ns);
	if (ns < 1e6)
		return fmt("%.1f µs", ns / 1e3);
	if (ns < 1e9)
		return fmt("%.2f ms", ns / 1e6);
	return fmt("%.2f s", ns / 1e9);
}

std::string human_time(const Spread &s)
{
	return human_time(s.min) + " / " + human_time(s.med) + " / " + human_time(s.max);
}

std::string count_text(const Spread &s)
{
	return fmt("%.0f / %.0f / %.0f", s.min, s.med, s.max);
}

std::string human_bytes(double b)
{
	if (b == 0)
		return "0 B";
	const char *sign = b < 0 ? "-" : "";
	b = b < 0 ? -b : b;
	if (b < 1024 * 1024)
		return fmt("%s%.1f KiB", sign, b / 1024);
	return fmt("%s%.2f MiB", sign, b / (1024 * 1024));
}

struct Row {
	std::string measure, value, against, baseline, ratio, goal, met;
};

struct Check {
	std::string name, value, goal;
	bool met;
};

class Report {
public:
	void row(Row r) { rows_.push_back(std::move(r)); }
	// A table row and, with a goal, a KTAP test.
	void check(const std::string &name, Row r, bool met)
	{
		r.met = met ? "yes" : "NO";
		std::string value = r.value;
		if (!r.baseline.empty())
			value += " vs " + r.baseline;
		if (!r.ratio.empty())
			value += ", ratio " + r.ratio;
		checks_.push_back({name, value, r.goal, met});
		rows_.push_back(std::move(r));
	}
	void fail(const std::string &name, const Error &e)
	{
		errors_.push_back("# error: " + describe(e));
		checks_.push_back({name, "error: " + describe(e), "no error", false});
	}
	bool all_met() const
	{
		return std::all_of(checks_.begin(), checks_.end(), [](const Check &c) { return c.met; });
	}
	void print() const
	{
		if (!rows_.empty())
			std::printf("# | measure | ksyms min / median / max | compared with | "
				    "baseline min / median / max | ratio of medians | goal | met |\n"
				    "# |---|---|---|---|---|---|---|\n");
		for (const Row &r : rows_)
			std::printf("# | %s | %s | %s | %s | %s | %s | %s |\n", r.measure.c_str(),
				    r.value.c_str(), r.against.c_str(), r.baseline.c_str(),
				    r.ratio.c_str(), r.goal.c_str(), r.met.c_str());
		for (const std::string &e : errors_)
			std::printf("%s\n", e.c_str());
		std::printf("TAP version 13\n1..%zu\n", checks_.size());
		for (std::size_t i = 0; i < checks_.size(); i++) {
			const Check &c = checks_[i];
			std::printf("%sok %zu %s # %s%s\n", c.met ? "" : "not ", i + 1, c.name.c_str(),
				    c.value.c_str(), c.met ? "" : (" (goal " + c.goal + ")").c_str());
		}
		std::fflush(stdout);
	}

private:
	std::vector<Row> rows_;
	std::vector<Check> checks_;
	std::vector<std::string> errors_;
};

std::string ratio_text(double r) { return fmt("%.3g", r); }

// ---- interleaved comparisons ---------------------------------------------------------

// One run of one side: its time, the page faults it took, and what it read.
struct Run {
	double ns = 0;
	long minflt = 0, majflt = 0;
	long probes = 0;	// privilege probes the driver made meanwhile (ksyms side)
	Consumed read;
};

long rusage_faults(bool major)
{
	rusage ru{};
	getrusage(RUSAGE_SELF, &ru);
	return major ? ru.ru_majflt : ru.ru_minflt;
}

// Times work(), which returns Result<Consumed>, and counts its page faults.
template <typename Work> Result<Run> timed_run(Work &&work)
{
	long min0 = rusage_faults(false), maj0 = rusage_faults(true);
	double t0 = now_ns();
	auto c = work();
	double t1 = now_ns();
	long min1 = rusage_faults(false), maj1 = rusage_faults(true);
	if (!c.ok())
		return c.error();
	return Run{t1 - t0, min1 - min0, maj1 - maj0, 0, *c};
}

// A fast operation: the mean over a batch of iters.
template <typename Op> Result<Run> batch_run(int iters, Op &&op)
{
	double t0 = now_ns();
	for (int i = 0; i < iters; i++)
		if (auto s = op(); !s.ok())
			return s.error();
	return Run{(now_ns() - t0) / iters, 0, 0, 0, {}};
}

struct Side {
	std::vector<Run> runs;

	template <typename F> Spread of(F &&f) const
	{
		std::vector<double> v;
		for (const Run &r : runs)
			v.push_back(double(f(r)));
		return spread(std::move(v));
	}
	Spread ns() const { return of([](const Run &r) { return r.ns; }); }
	Spread minflt() const { return of([](const Run &r) { return r.minflt; }); }
	Spread majflt() const { return of([](const Run &r) { return r.majflt; }); }
	Spread probes() const { return of([](const Run &r) { return r.probes; }); }
	// Every run read the same thing: that checksum, else nullptr.
	const Consumed *same() const
	{
		for (const Run &r : runs)
			if (r.read.sum != runs.front().read.sum || r.read.count != runs.front().read.count)
				return nullptr;
		return runs.empty() ? nullptr : &runs.front().read;
	}
};

struct Pair {
	Side a, b;	// ksyms, baseline
	double ratio() const { return a.ns().med / b.ns().med; }
	double inverse() const { return b.ns().med / a.ns().med; }
	bool sums_agree() const
	{
		const Consumed *x = a.same(), *y = b.same();
		return x && y && x->sum == y->sum && x->count == y->count;
	}
};

long privilege_probes()
{
	auto st = read_stats();
	return st.ok() ? long(st->stat("privilege_probes")) : -1;
}

// A and B in turns, reps of each: prepare(), then a run of A (with the
// driver's privilege probes counted around it); prepare(), then a run of B.
// prepare() is not timed.
template <typename Prepare, typename A, typename B>
Result<Pair> interleave(int reps, Prepare &&prepare, A &&run_a, B &&run_b)
{
	Pair p;
	for (int i = 0; i < reps; i++) {
		if (auto s = prepare(); !s.ok())
			return s.error();
		long probes0 = privilege_probes();
		auto a = run_a();
		if (!a.ok())
			return a.error();
		a->probes = privilege_probes() - probes0;
		p.a.runs.push_back(*a);
		if (auto s = prepare(); !s.ok())
			return s.error();
		auto b = run_b();
		if (!b.ok())
			return b.error();
		p.b.runs.push_back(*b);
	}
	return p;
}

Status nothing() { return success(); }

std::string faults_text(const Side &s)
{
	return "minor " + count_text(s.minflt()) + ", major " + count_text(s.majflt());
}

std::string sum_text(const Side &s)
{
	const Consumed *c = s.same();
	return c ? fmt("%016llx, %zu symbols", (unsigned long long)c->sum, c->count)
		 : std::string("differs between runs");
}

// The rows of one end-to-end comparison: times, page faults per run, and
// the checksums as a KTAP test of their own.
void pair_rows(Report &rep, const std::string &name, const std::string &measure,
	       const std::string &against, const std::string &covers, const Pair &p,
	       bool show_probes)
{
	rep.row({"  page faults per run: " + measure + (show_probes ? ", privilege probes " +
		 count_text(p.a.probes()) : std::string()),
		 faults_text(p.a), against, faults_text(p.b), "", "", ""});
	rep.check(name + "_checksums_agree", {"  checksum of " + covers + ", every run",
		  sum_text(p.a), against, sum_text(p.b), "", "equal", ""}, p.sums_agree());
}

// ---- measurements ------------------------------------------------------------------

struct Options {
	std::string small_module;
	std::vector<std::string> sym_modules;
	int reps = 5;		// slow operations (cold opens, idle drops)
	int consume_reps = 11;	// consumes of a warm cache
	int batches = 15;	// fast operations: batches of warm_iters
	int warm_iters = 700;
};

// What open and consume cost with the symbols loaded right now.
struct Point {
	std::size_t symbols = 0;
	Spread cold, warm, consume;
	Spread null_open;	// /dev/null, in turns with the warm opens
	Consumed read;		// what the consumes read
};

Result<Run> cold_ksyms_open()
{
	return timed_run([]() -> Result<Consumed> {
		if (auto s = open_close(KSYMS_PATH); !s.ok())
			return s.error();
		return Consumed{};
	});
}

Result<Run> warm_batch(const Options &o, const char *path)
{
	return batch_run(o.warm_iters, [path] { return open_close(path); });
}

// The ksyms side at a symbol count the baselines were not measured at (the
// scale rows), each figure over its runs; /dev/null in turns with the warm
// opens, as at +0.
Result<Point> measure_point(const Options &o)
{
	Point p;
	auto cold = spread_of(o.reps, []() -> Result<double> {
		if (auto s = drop_caches(); !s.ok())
			return s.error();
		auto r = cold_ksyms_open();
		return r.ok() ? Result<double>(r->ns) : Result<double>(r.error());
	});
	if (!cold.ok())
		return cold.error();
	if (auto s = open_close(KSYMS_PATH); !s.ok())
		return s.error();
	auto warm = interleave(o.batches, nothing, [&] { return warm_batch(o, KSYMS_PATH); },
			       [&] { return warm_batch(o, "/dev/null"); });
	if (!warm.ok())
		return warm.error();
	Side consume;
	for (int i = 0; i < o.consume_reps; i++) {
		auto r = timed_run(consume_ksyms);
		if (!r.ok())
			return r.error();
		consume.runs.push_back(*r);
	}
	if (!consume.same())
		return Error{"the image's checksum changed between consumes"};
	p.cold = *cold, p.warm = warm->a.ns(), p.null_open = warm->b.ns(), p.consume = consume.ns();
	p.read = *consume.same();
	p.symbols = p.read.count;
	return p;
}

// How many opens needed the privilege probe (a kernel worker opening
// /proc/kallsyms) rather than the driver's cached answer.
Result<Row> privilege_row(const Options &o)
{
	auto before = read_stats();
	Status s = success();
	for (int i = 0; i < o.warm_iters && s.ok(); i++)
		s = open_close(KSYMS_PATH);
	auto after = read_stats();
	if (const Error *e = first_error(before, s, after))
		return *e;
	return Row{fmt("privilege checks in %d warm opens", o.warm_iters),
		   fmt("%llu probes, %llu hits",
		       (unsigned long long)(after->stat("privilege_probes") -
					    before->stat("privilege_probes")),
		       (unsigned long long)(after->stat("privilege_hits") -
					    before->stat("privilege_hits"))),
		   "", "", "", "-", "-"};
}

const char covers_full[] = "(address, kallsyms letter, name bytes)";
const char kallsyms_label[] = "read+parse /proc/kallsyms, same checksum";

Result<Run> ksyms_full() { return timed_run(consume_ksyms); }
Result<Run> kallsyms_full() { return timed_run(consume_kallsyms); }

// 1-3: /dev/ksyms at +0 against /proc/kallsyms and /dev/null, each pair
// interleaved. Returns the point the later sections compare with.
Result<Point> bench_baselines(const Options &o, Report &rep)
{
	Point p0;
	// cold open+close against a read of /proc/kallsyms (no parse)
	auto cold = interleave(o.reps, drop_caches, cold_ksyms_open, [] {
		return timed_run([]() -> Result<Consumed> {
			TextBuffer text;
			if (auto s = text.read_path("/proc/kallsyms"); !s.ok())
				return s.error();
			return Consumed{};
		});
	});
	if (!cold.ok())
		return cold.error();
	if (auto s = open_close(KSYMS_PATH); !s.ok())
		return s.error();
	auto warm = interleave(o.batches, nothing, [&] { return warm_batch(o, KSYMS_PATH); },
			       [&] { return warm_batch(o, "/dev/null"); });
	if (!warm.ok())
		return warm.error();
	auto privilege = privilege_row(o);
	if (!privilege.ok())
		return privilege.error();
	auto consume = interleave(o.consume_reps, nothing, ksyms_full, kallsyms_full);
	if (!consume.ok())
		return consume.error();
	auto pointers = interleave(o.consume_reps, nothing, [] { return timed_run(consume_ksyms_pointers); },
				   [] { return timed_run(consume_kallsyms_pointers); });
	if (!pointers.ok())
		return pointers.error();
	auto cold_e2e = interleave(o.reps, drop_caches, ksyms_full, kallsyms_full);
	if (!cold_e2e.ok())
		return cold_e2e.error();
	auto idle_e2e = interleave(o.reps, [] {
		auto st = read_stats();	// the timer drops only what is cached
		if (!st.ok())
			return Status(st.error());
		if (st->held_bytes() == 0)
			return success();
		if (int err = ksu_cache_drop_idle(); err)
			return Status(Error{"idle drop", -err});
		return success();
	}, ksyms_full, kallsyms_full);
	if (!idle_e2e.ok())
		return idle_e2e.error();
	auto split = split_consume();
	if (!split.ok())
		return split.error();

	p0.cold = cold->a.ns(), p0.warm = warm->a.ns(), p0.null_open = warm->b.ns();
	p0.consume = consume->a.ns();
	if (const Consumed *c = consume->a.same())
		p0.read = *c, p0.symbols = c->count;

	rep.row({"cold open+close (drop_caches before each)", human_time(p0.cold), "read /proc/kallsyms",
		 human_time(cold->b.ns()), ratio_text(cold->ratio()), "-", "-"});
	double r = warm->ratio();
	rep.check("warm_open_vs_dev_null", {fmt("warm open+close (%d batches of %d, mean each)",
		  o.batches, o.warm_iters), human_time(p0.warm), "open+close /dev/null",
		  human_time(warm->b.ns()), ratio_text(r), "<= 10", ""}, r <= 10);
	rep.row(*privilege);

	r = consume->inverse();
	rep.check("consume_names_vs_kallsyms", {fmt("warm: open + consume %zu symbols %s (libelf, elf_strptr) + close",
		  p0.symbols, covers_full), human_time(consume->a.ns()), kallsyms_label,
		  human_time(consume->b.ns()), ratio_text(r) + " (kallsyms/ksyms)", ">= 3", ""}, r >= 3);
	pair_rows(rep, "consume_names", "warm", kallsyms_label, covers_full, *consume, false);

	r = pointers->inverse();
	rep.check("consume_vs_kallsyms", {"warm: open + consume, pointers only, names not read + close",
		  human_time(pointers->a.ns()), "read+parse /proc/kallsyms, (address, name pointer) kept",
		  human_time(pointers->b.ns()), ratio_text(r) + " (kallsyms/ksyms)", ">= 50", ""}, r >= 50);
	pair_rows(rep, "consume_pointers", "pointers only", "read+parse /proc/kallsyms", "(address)",
		  *pointers, false);

	rep.row({"cold: drop_caches, then open + consume " + std::string(covers_full) + " + close",
		 human_time(cold_e2e->a.ns()), kallsyms_label + std::string(" (drop_caches before each too)"),
		 human_time(cold_e2e->b.ns()), ratio_text(cold_e2e->ratio()) + " (ksyms/kallsyms)", "-", "-"});
	pair_rows(rep, "cold_consume", "cold", kallsyms_label, covers_full, *cold_e2e, true);

	rep.row({"after idle drop (idle_drop_secs=1, waited): open + consume + close",
		 human_time(idle_e2e->a.ns()), kallsyms_label + std::string(" (after an idle drop too)"),
		 human_time(idle_e2e->b.ns()), ratio_text(idle_e2e->ratio()) + " (ksyms/kallsyms)", "-", "-"});
	pair_rows(rep, "idle_consume", "after idle drop", kallsyms_label, covers_full, *idle_e2e, true);

	rep.row({"consume, split: first touch of each page / walk of mapped pages (one run)",
		 fmt("%zu pages: ", split->pages) + human_time(split->touch_ns) + " (" +
			 human_time(split->touch_ns / double(split->pages)) + "/page) / " +
			 human_time(split->walk_ns) + " (" +
			 human_time(split->walk_ns / double(split->symbols)) + "/symbol)",
		 "", "", "", "-", "-"});
	const Consumed *lines = consume->b.same();
	std::size_t n = lines ? lines->count : 0;
	rep.check("symbol_count_matches_kallsyms", {"symbols (image - null)", fmt("%zu", p0.symbols),
		  "/proc/kallsyms lines", fmt("%zu", n),
		  fmt("diff %+lld", (long long)p0.symbols - (long long)n), "diff 0", ""},
		  p0.symbols == n && n > 0);
	return p0;
}

// ---- BPF programs --------------------------------------------------------------

// A socket filter that returns 0; kallsyms lists it as
// bpf_prog_<tag>_ksyms_b<index> [bpf].
Result<Fd> load_bpf(int index)
{
	bpf_insn insns[2] = {};
	insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K;
	insns[1].code = BPF_JMP | BPF_EXIT;
	bpf_attr attr{};
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = reinterpret_cast<std::uintptr_t>(insns);
	attr.insn_cnt = 2;
	attr.license = reinterpret_cast<std::uintptr_t>("GPL");
	std::snprintf(attr.prog_name, sizeof(attr.prog_name), "ksyms_b%d", index % 10000);
	long fd = syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return errno_error("bpf(BPF_PROG_LOAD)");
	return Fd(int(fd));
}

// Objects flagged KSYMS_OBJECT_PSEUDO named "bpf" in the image: their symbols.
Result<std::size_t> image_bpf_symbols()
{
	auto img = open_image();
	if (!img.ok())
		return img.error();
	ElfPtr elf(elf_memory(const_cast<char *>(img->image.data()), img->image.size()));
	std::size_t n = 0, shnum = 0;
	if (!elf || elf_getshdrnum(elf.get(), &shnum) != 0)
		return elf_error("elf_memory");
	for (std::size_t i = 0; i < shnum; i++) {
		Elf_Scn *scn = elf_getscn(elf.get(), i);
		GElf_Shdr sh;
		if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_entsize != sizeof(ksyms_object))
			continue;
		Elf_Data *d = elf_getdata(scn, nullptr);
		const auto *obj = static_cast<const ksyms_object *>(d ? d->d_buf : nullptr);
		for (std::size_t k = 0; obj && k < d->d_size / sizeof(*obj); k++)
			if ((obj[k].flags & KSYMS_OBJECT_PSEUDO) && !std::strcmp(obj[k].name, "bpf"))
				n += obj[k].nr_locals + obj[k].nr_globals;
	}
	elf.reset();
	if (auto s = img->close(); !s.ok())
		return s.error();
	return n;
}

// 4: what keeping BPF programs current costs an open.  Every open reads
// the lines kallsyms lists after the modules and rebuilds only if they
// changed: a warm open with 20 programs loaded (batches of opens,
// interleaved with /dev/null's, as the warm row at +0), and the first open
// after one more program was loaded (a rebuild that copies every module).
Status bench_bpf(const Options &o, const Point &p0, Report &rep)
{
	constexpr int programs = 20;
	// Off, kallsyms lists no program: the default where the JIT is not
	// always on.
	const char *listing = "/proc/sys/net/core/bpf_jit_kallsyms";
	if (auto on = read_file(listing); on.ok() && on->starts_with("0"))
		if (auto s = write_file(listing, "1\n"); !s.ok())
			return s;
	std::vector<Fd> held;
	for (int i = 0; i < programs; i++) {
		auto fd = load_bpf(i);
		if (!fd.ok())
			return fd.error();
		held.push_back(std::move(*fd));
	}
	auto listed = image_bpf_symbols();
	if (!listed.ok())
		return listed.error();
	if (auto s = open_close(KSYMS_PATH); !s.ok())
		return s;
	auto warm = interleave(o.batches, nothing, [&] { return warm_batch(o, KSYMS_PATH); },
			       [&] { return warm_batch(o, "/dev/null"); });
	if (!warm.ok())
		return warm.error();
	// The first open after one more program, interleaved with batches of
	// warm opens with the 20.
	int next = programs;
	auto after_load = interleave(o.reps, nothing, [&]() -> Result<Run> {
		auto fd = load_bpf(next++);
		if (!fd.ok())
			return fd.error();
		return cold_ksyms_open();	// the program goes when fd does, before the next
	}, [&]() -> Result<Run> {
		// The program just closed leaves kallsyms (its release may be
		// deferred): an untimed open takes that rebuild.
		usleep(20 * 1000);
		if (auto s = open_close(KSYMS_PATH); !s.ok())
			return s.error();
		return warm_batch(o, KSYMS_PATH);
	});
	if (!after_load.ok())
		return after_load.error();
	rep.check("bpf_programs_in_image", {fmt("[bpf] symbols in the image, %d loaded", programs),
		  fmt("%zu", *listed), "programs loaded", fmt("%d", programs), "", ">= 20", ""},
		  *listed >= std::size_t(programs));
	// Measured, not a goal: each line costs the kernel's formatting.
	Spread w = warm->a.ns();
	rep.row({fmt("warm open+close, %d BPF programs", programs), human_time(w),
		 "open+close /dev/null", human_time(warm->b.ns()), ratio_text(warm->ratio()),
		 "-", "-"});
	rep.row({fmt("warm open+close, %d BPF programs", programs), human_time(w),
		 "warm open+close at +0, none (measured earlier)", human_time(p0.warm),
		 ratio_text(w.med / p0.warm.med), "-", "-"});
	rep.row({"first open+close after one more BPF program", human_time(after_load->a.ns()),
		 fmt("warm open+close, %d BPF programs", programs), human_time(after_load->b.ns()),
		 ratio_text(after_load->ratio()), "-", "-"});
	return success();
}

// 5: the first open after a module comes or goes rebuilds only its part.
Status bench_module_churn(const Options &o, const Point &p0, Report &rep)
{
	std::vector<double> after_load, after_unload;
	if (auto s = open_close(KSYMS_PATH); !s.ok())
		return s;
	for (int i = 0; i < o.reps; i++) {
		auto mod = LoadedModule::load(o.small_module);
		if (!mod.ok())
			return mod.error();
		auto t1 = time_once([] { return open_close(KSYMS_PATH); });
		auto gone = mod->unload();
		auto t2 = time_once([] { return open_close(KSYMS_PATH); });
		if (const Error *e = first_error(t1, gone, t2))
			return *e;
		after_load.push_back(*t1);
		after_unload.push_back(*t2);
	}
	for (auto [name, what, v] : {std::tuple{"first_open_after_load", "after loading", &after_load},
				     std::tuple{"first_open_after_unload", "after unloading", &after_unload}}) {
		Spread t = spread(*v);
		double r = t.med / p0.cold.med;
		rep.check(name, {fmt("first open+close %s %s", what, module_name(o.small_module).c_str()),
			  human_time(t), "cold open+close (measured earlier)", human_time(p0.cold), ratio_text(r),
			  "<= 0.10", ""}, r <= 0.10);
	}
	return success();
}

// 64 processes that each open /dev/ksyms on command and hold it.
class Holders {
public:
	static Result<Holders> spawn(int n)
	{
		Holders h;
		int ack[2];
		if (pipe2(ack, O_CLOEXEC) != 0)
			return errno_error("pipe2");
		h.ack_ = Fd(ack[0]);
		Fd ack_w(ack[1]);
		for (int i = 0; i < n; i++)
			if (auto s = h.spawn_one(ack_w.get()); !s.ok())
				return s.error();
		for (int i = 0; i < n; i++)	// every child is up and blocked
			if (auto s = h.await_ack(); !s.ok())
				return s.error();
		return h;
	}
	Holders(Holders &&) = default;
	Holders &operator=(Holders &&) = delete;
	~Holders()
	{
		for (const Child &c : kids_)
			kill(c.pid, SIGKILL);
		(void)reap();
	}
	Status open_in(std::size_t i) { return command(i, 'o'); }
	// Tell every child to exit and reap it.
	Status release()
	{
		for (std::size_t i = 0; i < kids_.size(); i++)
			if (auto s = command(i, 'x'); !s.ok())
				return s;
		return reap();
	}

private:
	struct Child {
		pid_t pid;
		Fd cmd;
	};
	Holders() = default;

	[[noreturn]] static void child_main(int cmd, int ack)
	{
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		unsigned char reply = 0, c = 0;
		while (::write(ack, &reply, 1) == 1) {	// ready, or the open's errno
			ssize_t n;
			while ((n = ::read(cmd, &c, 1)) < 0 && errno == EINTR)
				;
			if (n != 1 || c != 'o')
				_exit(n == 1 && c == 'x' ? 0 : 1);
			// held until the child exits
			reply = ::open(KSYMS_PATH, O_RDONLY | O_CLOEXEC) < 0 ? (unsigned char)errno : 0;
		}
		_exit(1);
	}
	Status spawn_one(int ack_w)
	{
		int cmd[2];
		if (pipe2(cmd, O_CLOEXEC) != 0)
			return errno_error("pipe2");
		Fd cmd_r(cmd[0]), cmd_w(cmd[1]);
		pid_t pid = fork();
		if (pid < 0)
			return errno_error("fork");
		if (pid == 0)
			child_main(cmd_r.get(), ack_w);
		kids_.push_back({pid, std::move(cmd_w)});
		return success();
	}
	Status await_ack()
	{
		unsigned char r;
		ssize_t n;
		while ((n = ::read(ack_.get(), &r, 1)) < 0 && errno == EINTR)
			;
		if (n != 1)
			return n < 0 ? errno_error("read ack") : Error{"holder process died"};
		if (r != 0)
			return Error{"open " KSYMS_PATH " in holder", r};
		return success();
	}
	Status command(std::size_t i, char c)
	{
		if (::write(kids_[i].cmd.get(), &c, 1) != 1)
			return errno_error("write to holder");
		return c == 'o' ? await_ack() : success();
	}
	Status reap()
	{
		bool clean = true;
		for (const Child &c : kids_) {
			int status = 0;
			while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR)
				;
			clean = clean && WIFEXITED(status) && WEXITSTATUS(status) == 0;
		}
		kids_.clear();
		return clean ? success() : Status(Error{"a holder process failed"});
	}

	Fd ack_;
	std::vector<Child> kids_;
};

std::size_t open_fds()
{
	std::error_code ec;	// the iterator's own descriptor counts both times
	return std::distance(std::filesystem::directory_iterator("/proc/self/fd", ec), {});
}

// No child left (zombie or not), no descriptor left open.
void check_reaped(Report &rep, std::size_t fds_before)
{
	bool no_child = waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD;
	std::size_t fds = open_fds();
	rep.check("holders_reaped", {"holder processes after release",
		  fmt("%s, %zu fds", no_child ? "none left" : "some left", fds), "fds before",
		  fmt("%zu", fds_before), "", "none left, same fds", ""}, no_child && fds == fds_before);
}

struct HolderMemory {
	std::int64_t m0, m1, m64;	// kernel memory: none, one, all open
	DriverStats at_m64;
};

// Spawn n holders, open in one then all, release them all.
Result<HolderMemory> hold(int n)
{
	auto h = Holders::spawn(n);
	if (!h.ok())
		return h.error();
	Holders holders = std::move(*h);
	auto m0 = kernel_memory();
	auto opened = holders.open_in(0);
	auto m1 = kernel_memory();
	for (int i = 1; i < n && opened.ok(); i++)
		opened = holders.open_in(i);
	auto m64 = kernel_memory();
	auto st = read_stats();
	auto released = holders.release();
	if (const Error *e = first_error(m0, opened, m1, m64, st, released))
		return *e;
	return HolderMemory{*m0, *m1, *m64, *st};
}

// 5: 64 holders share one snapshot: memory grows by ~one open's worth.
Status bench_holders(Report &rep)
{
	if (auto s = drop_caches(); !s.ok())
		return s;
	std::size_t fds = open_fds();
	auto m = hold(64);
	if (!m.ok())
		return m.error();
	double all = double(m->m64 - m->m0), one = double(m->m1 - m->m0), r = all / one;
	rep.check("memory_64_holders", {"kernel memory, 64 holders (M64-M0)", human_bytes(all),
		  "1 holder (M1-M0)", human_bytes(one), ratio_text(r), "<= 1.1", ""}, r <= 1.1);
	rep.check("one_snapshot_for_64_holders", {"driver at 64 holders",
		  fmt("%llu snapshot(s), %s", (unsigned long long)m->at_m64.stat("snapshots"),
		      human_bytes(double(m->at_m64.stat("snapshot_bytes"))).c_str()),
		  "", "", "", "snapshots == 1", ""}, m->at_m64.stat("snapshots") == 1);
	check_reaped(rep, fds);
	return success();
}

struct MemState {
	std::int64_t kernel;	// bytes
	DriverStats driver;
};

Result<MemState> mem_state()
{
	auto k = kernel_memory();
	auto d = read_stats();
	if (const Error *e = first_error(k, d))
		return *e;
	return MemState{*k, *d};
}

// One "memory comes back" step: held -> released.
void memory_back(Report &rep, const std::string &name, const std::string &held_how,
		 const MemState &held, const std::string &how, const MemState &gone)
{
	double fell = double(held.kernel - gone.kernel), bytes = double(held.driver.held_bytes());
	double r = bytes > 0 ? fell / bytes : 0;
	rep.row({held_how, "driver " + human_bytes(bytes), "kernel memory",
		 human_bytes(double(held.kernel)), "", "", ""});
	rep.check(name, {how, "driver " + human_bytes(double(gone.driver.held_bytes())) +
			 ", kernel memory fell " + human_bytes(fell), "driver bytes held",
			 human_bytes(bytes), ratio_text(r) + " (fell/held)", "driver 0 B, >= 0.8", ""},
		  gone.driver.held_bytes() == 0 && bytes > 0 && r >= 0.8);
}

// Close, then have the idle timer drop everything the driver caches.
Result<MemState> idle_drop(Fd fd)
{
	if (auto s = fd.close(); !s.ok())
		return s.error();
	if (int err = ksu_cache_drop_idle(); err)
		return Error{"idle drop", -err};
	return mem_state();
}

// 6: the shrinker and the idle timer give the memory back.
Status bench_memory_back(Report &rep)
{
	if (auto s = open_close(KSYMS_PATH); !s.ok())	// the cache holds it
		return s;
	auto cached = mem_state();
	if (!cached.ok())
		return cached.error();
	if (auto s = drop_caches(); !s.ok())
		return s;
	auto shrunk = mem_state();
	if (!shrunk.ok())
		return shrunk.error();
	memory_back(rep, "shrinker_gives_memory_back", "(a) cache held, no open", *cached,
		    "(b) drop_caches", *shrunk);

	auto fd = open_path(KSYMS_PATH, O_RDONLY);	// rebuild, held by fd
	if (!fd.ok())
		return fd.error();
	auto rebuilt = mem_state();
	if (!rebuilt.ok())
		return rebuilt.error();
	auto idle = idle_drop(std::move(*fd));
	if (!idle.ok())
		return idle.error();
	memory_back(rep, "idle_drop_gives_memory_back", "(c) rebuilt, held by an open", *rebuilt,
		    "(c) idle drop (idle_drop_secs=1)", *idle);
	rep.row({"drops counted", fmt("shrinker %llu, idle %llu",
		 (unsigned long long)idle->driver.stat("drops_shrinker"),
		 (unsigned long long)idle->driver.stat("drops_idle")),
		 "", "", "", "", ""});
	return success();
}

std::string point_text(const Point &p)
{
	return human_time(p.cold.med) + " / " + human_time(p.warm.med) + " / " + human_time(p.consume.med);
}

Spread per_symbol(const Spread &s, std::size_t n)
{
	double d = double(n);
	return {s.min / d, s.med / d, s.max / d};
}

void scale_rows(Report &rep, const Point &p, const Point &p0, bool last)
{
	std::string at = fmt("+%lld (%zu symbols)", (long long)p.symbols - (long long)p0.symbols, p.symbols);
	Spread cold = per_symbol(p.cold, p.symbols), cold0 = per_symbol(p0.cold, p0.symbols);
	Spread consume = per_symbol(p.consume, p.symbols), consume0 = per_symbol(p0.consume, p0.symbols);
	double warm_r = p.warm.med / p0.warm.med;
	double cold_r = cold.med / cold0.med;
	double consume_r = consume.med / consume0.med;
	Row rows[] = {
		{"warm open+close at " + at, human_time(p.warm), "at +0", human_time(p0.warm),
		 ratio_text(warm_r), "<= 1.2", ""},
		{"cold open per symbol at " + at, human_time(cold), "at +0", human_time(cold0),
		 ratio_text(cold_r), "<= 1.5", ""},
		{"consume " + std::string(covers_full) + " per symbol at " + at, human_time(consume),
		 "at +0", human_time(consume0), ratio_text(consume_r), "<= 1.5", ""},
	};
	rep.row({"cold / warm / consume medians at " + at, point_text(p), "", "", "", "", ""});
	// Not interleaved across points (the modules would have to come and
	// go): /dev/null, in turns with the warm opens at each point, shows how
	// much of a difference is the machine's.
	rep.row({"open+close /dev/null at " + at + ", in turns with the warm opens",
		 human_time(p.null_open), "at +0", human_time(p0.null_open),
		 ratio_text(p.null_open.med / p0.null_open.med), "-", "-"});
	if (!last) {
		for (Row &r : rows)
			r.goal = r.met = "-", rep.row(r);
		return;
	}
	rows[0].goal = rows[0].met = "-";	// judged in turns with +0, below
	rep.row(rows[0]);
	rep.check("scale_cold_open_per_symbol", rows[1], cold_r <= 1.5);
	rep.check("scale_consume_per_symbol", rows[2], consume_r <= 1.5);
}

// 7: load the symbol modules one after the other, measure at each step;
// at each, one read of /proc/kallsyms checks what the consumes read.
Status bench_scale(const Options &o, const Point &p0, Report &rep)
{
	std::vector<LoadedModule> loaded;
	loaded.reserve(o.sym_modules.size());
	rep.row({"cold / warm / consume medians at +0 (" + fmt("%zu", p0.symbols) + " symbols)",
		 point_text(p0), "", "", "", "", ""});
	std::string sums;
	bool agree = true;
	for (std::size_t i = 0; i < o.sym_modules.size(); i++) {
		auto mod = LoadedModule::load(o.sym_modules[i]);
		if (!mod.ok())
			return mod.error();
		loaded.push_back(std::move(*mod));
		auto p = measure_point(o);
		if (!p.ok())
			return p.error();
		auto k = consume_kallsyms();
		if (!k.ok())
			return k.error();
		bool same = k->sum == p->read.sum && k->count == p->read.count;
		agree = agree && same;
		sums += fmt("%s%zu symbols %s", sums.empty() ? "" : "; ", p->symbols,
			    same ? "equal" : "DIFFER");
		scale_rows(rep, *p, p0, i + 1 == o.sym_modules.size());
	}
	// Warm opens with every symbol module loaded and with none, in turns:
	// the modules come and go between the batches (untimed, and an
	// untimed open takes the rebuild), so that a busier stretch of the
	// machine does not fall on one side only.
	std::size_t all = loaded.size();
	auto with = [&]() -> Status {
		for (std::size_t i = loaded.size(); i < o.sym_modules.size(); i++) {
			auto mod = LoadedModule::load(o.sym_modules[i]);
			if (!mod.ok())
				return mod.error();
			loaded.push_back(std::move(*mod));
		}
		return open_close(KSYMS_PATH);
	};
	auto without = [&]() -> Status {
		for (auto it = loaded.rbegin(); it != loaded.rend(); ++it)
			if (auto s = it->unload(); !s.ok())
				return s;
		loaded.clear();
		return open_close(KSYMS_PATH);
	};
	auto warm = interleave(o.reps + 2, nothing, [&]() -> Result<Run> {
		if (auto s = with(); !s.ok())
			return s.error();
		return warm_batch(o, KSYMS_PATH);
	}, [&]() -> Result<Run> {
		if (auto s = without(); !s.ok())
			return s.error();
		return warm_batch(o, KSYMS_PATH);
	});
	if (!warm.ok())
		return warm.error();
	double r = warm->ratio();
	rep.check("scale_warm_open", {fmt("warm open+close with the %zu symbol modules, in turns with none "
		  "(%d batches of %d each)", all, o.reps + 2, o.warm_iters), human_time(warm->a.ns()),
		  "without them (+0)", human_time(warm->b.ns()), ratio_text(r), "<= 1.2", ""}, r <= 1.2);
	rep.check("scale_checksums_agree", {"checksum " + std::string(covers_full) +
		  " of the image at each step", sums, "read+parse /proc/kallsyms", "", "", "equal", ""},
		  agree && !sums.empty());
	for (auto it = loaded.rbegin(); it != loaded.rend(); ++it)
		if (auto s = it->unload(); !s.ok())
			return s;
	return success();
}

// ---- command line and main -----------------------------------------------------------

const char usage[] =
	"usage: ksyms_bench --small-module PATH.ko --sym-module A.ko [--sym-module B.ko ...]\n"
	"                   [--reps N] [--warm-iters N]\n"
	"       ksyms_bench --elf FILE\n";

Result<int> positive(const char *s)
{
	int v = 0;
	auto [p, ec] = std::from_chars(s, s + std::strlen(s), v);
	if (ec != std::errc() || *p || v < 1)
		return Error{std::string("not a positive number: ") + s};
	return v;
}

Result<Options> parse_args(std::span<char *> args)
{
	Options o;
	for (std::size_t i = 1; i < args.size(); i += 2) {
		std::string_view a = args[i];
		if (i + 1 >= args.size())
			return Error{"missing value for " + std::string(a)};
		const char *v = args[i + 1];
		if (a == "--small-module") {
			o.small_module = v;
		} else if (a == "--sym-module") {
			o.sym_modules.emplace_back(v);
		} else if (a == "--reps" || a == "--warm-iters") {
			auto n = positive(v);
			if (!n.ok())
				return n.error();
			(a == "--reps" ? o.reps : o.warm_iters) = *n;
		} else {
			return Error{"unknown argument " + std::string(a)};
		}
	}
	if (o.small_module.empty() || o.sym_modules.empty())
		return Error{"--small-module and at least one --sym-module are required"};
	return o;
}

// --elf FILE: the image walk over a PROT_READ mapping of any ELF64 file.
int walk_file(const char *path)
{
	auto fd = open_path(path, O_RDONLY);
	struct stat st{};
	if (!fd.ok() || fstat(fd->get(), &st) != 0) {
		std::printf("# error: %s\n", describe(fd.ok() ? errno_error("fstat") : fd.error()).c_str());
		return 1;
	}
	void *map = mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd->get(), 0);
	if (map == MAP_FAILED) {
		std::printf("# error: %s\n", describe(errno_error("mmap")).c_str());
		return 1;
	}
	Symbols syms;
	auto s = walk_symtab({static_cast<const char *>(map), std::size_t(st.st_size)}, syms);
	munmap(map, st.st_size);
	if (!s.ok()) {
		std::printf("# error: %s: %s\n", path, describe(s.error()).c_str());
		return 1;
	}
	std::printf("# %s: %zu symbols, read through a PROT_READ mapping\n", path, syms.size());
	return 0;
}

void print_header(std::size_t symbols)
{
	utsname u{};
	uname(&u);
	std::printf("# ksyms-bench kernel=%s cpus=%ld machine=%s symbols=%zu\n", u.release,
		    sysconf(_SC_NPROCESSORS_ONLN), u.machine, symbols);
}

// Fail before measuring for minutes: the device and every module file.
Status preflight(const Options &o)
{
	auto fd = open_path(KSYMS_PATH, O_RDONLY);
	if (!fd.ok())
		return fd.error();
	if (auto st = read_stats(); !st.ok())
		return st.error();
	if (auto old = read_file(idle_param); !old.ok())
		return old.error();
	std::vector<std::string> files = o.sym_modules;
	files.push_back(o.small_module);
	for (const std::string &f : files)
		if (auto m = open_path(f, O_RDONLY); !m.ok())
			return m.error();
	return success();
}

int run(const Options &o)
{
	Report rep;
	auto kallsyms = consume_kallsyms();
	print_header(kallsyms.ok() ? kallsyms->count : 0);
	if (auto s = preflight(o); !s.ok()) {
		rep.fail("setup", s.error());
		rep.print();
		return 1;
	}
	auto p0 = bench_baselines(o, rep);
	if (!p0.ok()) {
		rep.fail("baselines", p0.error());
		rep.print();
		return 1;
	}
	if (auto s = bench_bpf(o, *p0, rep); !s.ok())
		rep.fail("bpf", s.error());
	if (auto s = bench_module_churn(o, *p0, rep); !s.ok())
		rep.fail("module_churn", s.error());
	if (auto s = bench_holders(rep); !s.ok())
		rep.fail("holders", s.error());
	if (auto s = bench_memory_back(rep); !s.ok())
		rep.fail("memory_back", s.error());
	if (auto s = bench_scale(o, *p0, rep); !s.ok())
		rep.fail("scale", s.error());
	rep.print();
	return rep.all_met() ? 0 : 1;
}

// Everything but the last-resort handler for exceptions (std::bad_alloc).
int bench_main(std::span<char *> args)
{
	if (elf_version(EV_CURRENT) == EV_NONE) {
		std::printf("# error: elf_version: %s\n", elf_errmsg(-1));
		return 1;
	}
	if (args.size() == 3 && std::string_view(args[1]) == "--elf")
		return walk_file(args[2]);
	auto o = parse_args(args);
	if (!o.ok()) {
		std::fprintf(stderr, "ksyms_bench: %s\n%s", describe(o.error()).c_str(), usage);
		return 2;
	}
	return run(*o);
}

} // namespace

int main(int argc, char **argv)
{
	try {
		return bench_main({argv, std::size_t(argc)});
	} catch (const std::exception &e) {
		std::printf("# error: %s\nnot ok 1 ksyms_bench # %s\n", e.what(), e.what());
		return 1;
	}
}
