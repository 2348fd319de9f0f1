// SPDX-License-Identifier: BSD-2-Clause
#include <ksyms/snapshot.h>

#include "address_index.h"
#include "atomic_file.h"
#include "mapped_image.h"
#include "name_index.h"
#include "symbol_table.h"

#include <algorithm>
#include <mutex>
#include <utility>

namespace ksyms {

struct Snapshot::Impl {
	Impl(std::string path, MappedImage image, SymbolTable table)
		: path(std::move(path)), image(std::move(image)),
		  table(std::move(table)) {}

	std::string path;
	MappedImage image;	// declared before table: table points into it
	SymbolTable table;
	ModuleMap modules;

	// Built on first use: dump and save need neither.
	mutable std::once_flag names_built;
	mutable NameIndex names;
	mutable std::once_flag addresses_built;
	mutable AddressIndex addresses;

	const NameIndex &name_index() const
	{
		std::call_once(names_built,
			       [this] { names = NameIndex::build(table); });
		return names;
	}
	const AddressIndex &address_index() const
	{
		std::call_once(addresses_built, [this] {
			addresses = AddressIndex::build(table);
		});
		return addresses;
	}
};

namespace {

Expected<std::unique_ptr<Snapshot::Impl>> read_image(
	const std::string &path, Expected<MappedImage> image)
{
	if (!image)
		return image.error();
	Expected<SymbolTable> table = SymbolTable::read(image->bytes(), path);
	if (!table)
		return table.error();
	return std::make_unique<Snapshot::Impl>(path, std::move(*image),
						std::move(*table));
}

} // namespace

Snapshot::Snapshot(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Snapshot::Snapshot(Snapshot &&) noexcept = default;
Snapshot &Snapshot::operator=(Snapshot &&) noexcept = default;
Snapshot::~Snapshot() = default;

Expected<Snapshot> Snapshot::open_device(const std::string &path)
{
	auto impl = read_image(path, MappedImage::map_device(path));
	if (!impl)
		return impl.error();
	return Snapshot(std::move(*impl));
}

Expected<Snapshot> Snapshot::open_file(const std::string &path)
{
	auto impl = read_image(path, MappedImage::map_file(path));
	if (!impl)
		return impl.error();
	return Snapshot(std::move(*impl));
}

const std::string &Snapshot::path() const
{
	return impl_->path;
}

std::span<const std::byte> Snapshot::image() const
{
	return impl_->image.bytes();
}

size_t Snapshot::symbol_count() const
{
	uint32_t entries = impl_->table.entry_count();
	return entries ? entries - 1 : 0;
}

size_t Snapshot::local_count() const
{
	uint32_t first_global = impl_->table.first_global();
	return first_global ? first_global - 1 : 0;
}

Symbol Snapshot::symbol(uint32_t index) const
{
	return impl_->table.symbol(index);
}

Snapshot::Range Snapshot::symbols() const
{
	uint32_t entries = impl_->table.entry_count();
	return Range(Iterator(this, 1), Iterator(this, entries ? entries : 1));
}

std::vector<Symbol> Snapshot::find_name(std::string_view name) const
{
	std::vector<Symbol> found;
	impl_->name_index().for_each(name, [&](uint32_t index) {
		found.push_back(impl_->table.symbol(index));
	});
	return found;
}

std::optional<AddressMatch> Snapshot::symbolize(uint64_t address) const
{
	const AddressIndex::Segment *hit = impl_->address_index().find(address);
	if (!hit)
		return std::nullopt;
	AddressMatch match;
	match.address = address;
	match.symbol = impl_->table.symbol(hit->symbol);
	match.offset = address - hit->symbol_address;
	match.size = hit->extent;
	match.module = module_of(hit->symbol, address);
	if (const ObjectInfo *object = object_of(hit->symbol))
		match.build_id = object->build_id;
	return match;
}

std::span<const ObjectInfo> Snapshot::objects() const
{
	return impl_->table.objects();
}

const ObjectInfo *Snapshot::object_of(uint32_t index) const
{
	std::span<const ObjectInfo> objects = impl_->table.objects();
	bool local = index < impl_->table.first_global();

	// Both ranges grow with the object: the last one starting at or
	// before the index is the only one that can hold it.
	auto after = std::upper_bound(
		objects.begin(), objects.end(), index,
		[local](uint32_t i, const ObjectInfo &o) {
			return i < (local ? o.first_local : o.first_global);
		});
	if (after == objects.begin())
		return nullptr;
	const ObjectInfo &object = *(after - 1);
	return object.holds(index) ? &object : nullptr;
}

bool Snapshot::has_kallsyms_order() const
{
	return !impl_->table.kallsyms_letters().empty() &&
	       !impl_->table.objects().empty();
}

std::vector<uint32_t> Snapshot::kallsyms_order() const
{
	std::vector<uint32_t> order;
	if (!has_kallsyms_order())
		return order;
	std::span<const ObjectInfo> objects = impl_->table.objects();
	std::span<const uint8_t> bits = impl_->table.kallsyms_order();
	// The bitmap holds the objects in image (load) order; kallsyms lists
	// vmlinux, then the modules newest first (the module list's order),
	// then the pseudo-objects as they are.
	std::vector<size_t> first_bit(objects.size());
	size_t bit = 0;
	for (size_t k = 0; k < objects.size(); k++) {
		first_bit[k] = bit;
		bit += objects[k].local_count + objects[k].global_count;
	}
	order.reserve(symbol_count());
	auto walk = [&](size_t k) {
		const ObjectInfo &object = objects[k];
		uint64_t local = object.first_local;
		uint64_t global = object.first_global;
		uint64_t n = object.local_count + object.global_count;
		size_t b = first_bit[k];
		for (uint64_t i = 0; i < n && b / 8 < bits.size(); i++, b++)
			order.push_back((bits[b / 8] >> (b % 8)) & 1 ?
						global++ :
						local++);
	};
	size_t modules_end = 1;
	while (modules_end < objects.size() && !objects[modules_end].pseudo)
		modules_end++;
	walk(0);	// vmlinux
	for (size_t k = modules_end; k-- > 1;)
		walk(k);
	for (size_t k = modules_end; k < objects.size(); k++)
		walk(k);
	return order;
}

char Snapshot::kallsyms_letter(uint32_t index) const
{
	std::span<const char> letters = impl_->table.kallsyms_letters();
	if (index < letters.size() && letters[index])
		return letters[index];
	return impl_->table.symbol(index).letter;
}

std::string_view Snapshot::module_of(uint32_t index, uint64_t address) const
{
	if (impl_->table.objects().empty())
		return impl_->modules.module_of(address);
	const ObjectInfo *object = object_of(index);
	return !object || object->is_vmlinux() ? std::string_view() :
						 object->name;
}

namespace {

AddressLocation locate_in(const AddressIndex &index, const char *strings,
			  uint64_t address)
{
	const AddressIndex::Segment *hit = index.find(address);
	if (!hit)
		return {};
	return {hit->symbol, strings + hit->name, address - hit->symbol_address,
		hit->extent};
}

} // namespace

AddressLocation Snapshot::locate(uint64_t address) const
{
	return locate_in(impl_->address_index(), impl_->table.strings(),
			 address);
}

void Snapshot::locate(std::span<const uint64_t> addresses,
		      std::span<AddressLocation> out) const
{
	const AddressIndex &index = impl_->address_index();
	const char *strings = impl_->table.strings();
	size_t count = std::min(addresses.size(), out.size());
	constexpr size_t chunk = 256;
	const AddressIndex::Segment *hits[chunk];
	for (size_t pos = 0; pos < count; pos += chunk) {
		size_t n = std::min(chunk, count - pos);
		index.find_many(addresses.data() + pos, n, hits);
		for (size_t i = 0; i < n; i++) {
			const AddressIndex::Segment *hit = hits[i];
			out[pos + i] = hit ? AddressLocation{hit->symbol,
							     strings + hit->name,
							     addresses[pos + i] -
								     hit->symbol_address,
							     hit->extent} :
					     AddressLocation{};
		}
	}
}

void Snapshot::set_modules(ModuleMap modules)
{
	impl_->modules = std::move(modules);
}

Error Snapshot::load_proc_modules(const std::string &path)
{
	Expected<ModuleMap> modules = ModuleMap::read_proc_modules(path);
	if (!modules)
		return modules.error();
	impl_->modules = std::move(*modules);
	return Error();
}

const ModuleMap &Snapshot::modules() const
{
	return impl_->modules;
}

Error Snapshot::save(const std::string &path) const
{
	return write_file_atomically(path, image());
}

} // namespace ksyms
