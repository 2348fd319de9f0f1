// SPDX-License-Identifier: BSD-2-Clause
// A kernel symbol table: the image /dev/ksyms hands out at open, or any ELF
// file with a SHT_SYMTAB (a saved image, a vmlinux, a .ko).
//
//   auto snapshot = ksyms::Snapshot::open_device();
//   if (!snapshot) { report(snapshot.error().message()); ... }
//   for (ksyms::Symbol s : snapshot->symbols()) ...
//   if (auto where = snapshot->symbolize(address)) ...
//
// A Snapshot is move-only and immutable once opened (set_modules() and
// load_proc_modules() aside); const member functions may be called from
// several threads at once.
#ifndef KSYMS_SNAPSHOT_H
#define KSYMS_SNAPSHOT_H

#include <ksyms/error.h>
#include <ksyms/export.h>
#include <ksyms/modules.h>
#include <ksyms/symbol.h>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ksyms {

inline constexpr const char *default_device_path = "/dev/ksyms";

// Where an address falls: `offset` bytes into `symbol`, whose extent is
// `size` bytes (st_size, or for a symbol of size 0 the distance to the next
// higher symbol, as kallsyms reports it).
struct AddressMatch {
	uint64_t address = 0;
	Symbol symbol;
	uint64_t offset = 0;
	uint64_t size = 0;
	std::string_view module;	// "" for vmlinux or unknown
	std::span<const uint8_t> build_id;	// its object's; empty if unknown
};

// Where an address falls, as far as finding it goes: what symbolize()
// knows before it builds a Symbol, without measuring the name or touching
// the symbol table.  locate() makes these in bulk.
struct AddressLocation {
	uint32_t symbol = 0;	// the owner's ELF index; 0 if none covers it
	const char *name = nullptr;	// the owner's name, NUL-terminated, in the image
	uint64_t offset = 0;	// address - the owner's address
	uint64_t size = 0;	// as AddressMatch::size
	explicit operator bool() const { return symbol != 0; }
};

class KSYMS_API Snapshot {
public:
	// Opens the device (a character device with KIOCGSIZE) and maps its
	// snapshot with a mapping of the Snapshot's own, removed with it.  The
	// descriptor stays open as long as the Snapshot; the driver allows one
	// open per process, so a second open_device() in the same process
	// fails with EBUSY until the first Snapshot is gone.
	static Expected<Snapshot> open_device(
		const std::string &path = default_device_path);
	// Maps `path` read-only and reads its SHT_SYMTAB.
	static Expected<Snapshot> open_file(const std::string &path);

	Snapshot(Snapshot &&) noexcept;
	Snapshot &operator=(Snapshot &&) noexcept;
	~Snapshot();

	// What it was opened from, for messages.
	const std::string &path() const;
	// The whole ELF image, as the device or file holds it.
	std::span<const std::byte> image() const;

	// Symbols, not counting the null symbol at index 0.
	size_t symbol_count() const;
	// Symbols with STB_LOCAL (the symtab's sh_info minus the null symbol).
	size_t local_count() const;
	// `index` is the ELF symbol index, 1 .. symbol_count().
	Symbol symbol(uint32_t index) const;

	class Iterator;
	class Range;
	// Every symbol in image order, the null symbol left out.
	Range symbols() const;

	// Every symbol called `name`, in image order (names may repeat: locals
	// of the same name in different files or modules).
	[[nodiscard]] std::vector<Symbol> find_name(std::string_view name) const;
	// The symbol that covers `address`: one with a size covers [address,
	// address + size), one of size 0 up to the next higher symbol address
	// (as kallsyms sizes them) but yields to any sized one; where sized
	// symbols nest, the innermost wins, then FUNC or OBJECT over NOTYPE,
	// GLOBAL over WEAK over LOCAL, then image order.
	[[nodiscard]] std::optional<AddressMatch> symbolize(
		uint64_t address) const;
	// The same search without the Symbol, the module or any string work;
	// false (symbol 0) where symbolize() gives nothing.
	[[nodiscard]] AddressLocation locate(uint64_t address) const;
	// locate() for every address: out[i] for addresses[i], as many as the
	// shorter span holds.  The fast path for many addresses at once.
	void locate(std::span<const uint64_t> addresses,
		    std::span<AddressLocation> out) const;

	// The objects of an image with an object table (vmlinux, then each
	// module in load order, then what kallsyms lists after the modules;
	// docs/image-format.md), empty for other files.
	std::span<const ObjectInfo> objects() const;
	// The object symbol `index` belongs to, or nullptr without a table.
	const ObjectInfo *object_of(uint32_t index) const;
	// The module of symbol `index` (at `address`): its object's name, ""
	// for vmlinux, when the image has an object table; else what the
	// module map says of the address.
	std::string_view module_of(uint32_t index, uint64_t address) const;

	// Whether the image records kallsyms' letters and order
	// (.ksyms.kallsyms; every image the driver writes does).
	bool has_kallsyms_order() const;
	// Every symbol index in /proc/kallsyms' order: vmlinux, then the
	// modules newest first, each in its own order, then the objects
	// kallsyms lists after the modules; empty if the image does not
	// record it.
	std::vector<uint32_t> kallsyms_order() const;
	// The letter /proc/kallsyms printed for symbol `index`, or the
	// symbol's nm letter if the image does not record it.
	char kallsyms_letter(uint32_t index) const;

	// Module attribution for images without an object table (see
	// modules.h).  open_device() does not read /proc/modules by itself;
	// load_proc_modules() or set_modules() do.
	void set_modules(ModuleMap modules);
	Error load_proc_modules(const std::string &path = "/proc/modules");
	const ModuleMap &modules() const;

	// Writes image() to `path` atomically (a temporary file in the same
	// directory, fsync, rename), so that open_file(), readelf, nm and gdb
	// read it back.
	Error save(const std::string &path) const;

	struct Impl;

private:
	KSYMS_PRIVATE explicit Snapshot(std::unique_ptr<Impl> impl);
	std::unique_ptr<Impl> impl_;
};

class Snapshot::Iterator {
public:
	using iterator_category = std::forward_iterator_tag;
	using value_type = Symbol;
	using difference_type = std::ptrdiff_t;
	using pointer = void;
	using reference = Symbol;

	Iterator() = default;
	Symbol operator*() const { return snapshot_->symbol(index_); }
	Iterator &operator++() { ++index_; return *this; }
	Iterator operator++(int) { Iterator old = *this; ++index_; return old; }
	bool operator==(const Iterator &other) const
	{
		return index_ == other.index_;
	}

private:
	friend class Snapshot;
	Iterator(const Snapshot *snapshot, uint32_t index)
		: snapshot_(snapshot), index_(index) {}
	const Snapshot *snapshot_ = nullptr;
	uint32_t index_ = 0;
};

class Snapshot::Range {
public:
	Iterator begin() const { return begin_; }
	Iterator end() const { return end_; }
	size_t size() const { return end_.index_ - begin_.index_; }

private:
	friend class Snapshot;
	Range(Iterator begin, Iterator end) : begin_(begin), end_(end) {}
	Iterator begin_, end_;
};

} // namespace ksyms

#endif
