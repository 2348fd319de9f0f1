// SPDX-License-Identifier: BSD-2-Clause
// The C API: thin wrappers that turn Expected/Error into handles and codes,
// each inside guarded() so that no exception reaches C.
#include "c_api_guard.h"

#include <algorithm>
#include <span>

using namespace ksyms::c_api;

namespace {

ksyms_snapshot *wrap(ksyms::Expected<ksyms::Snapshot> snapshot,
		     ksyms_error **error)
{
	if (!snapshot) {
		report(snapshot.error(), error);
		return nullptr;
	}
	auto *handle = new ksyms_snapshot{std::move(*snapshot)};
	clear_last_error();
	return handle;
}

void fill(const ksyms::Symbol &from, ksyms_symbol *to)
{
	to->name = from.name.data();	// NUL-terminated: see symbol.h
	to->address = from.address;
	to->size = from.size;
	to->index = from.index;
	to->type = from.type;
	to->binding = from.binding;
	to->letter = from.letter;
}

// What symbolize() gives, for a symbol the index found.
void fill(const ksyms::Snapshot &snapshot, uint64_t address,
	  const ksyms::AddressLocation &at, ksyms_location *to)
{
	fill(snapshot.symbol(at.symbol), &to->symbol);
	to->offset = at.offset;
	to->size = at.size;
	// Module names are NUL-terminated: in the image's object table, or
	// std::strings owned by the snapshot's ModuleMap.
	std::string_view module = snapshot.module_of(at.symbol, address);
	to->module = module.empty() ? "" : module.data();
	const ksyms::ObjectInfo *object = snapshot.object_of(at.symbol);
	to->build_id = object ? object->build_id.data() : nullptr;
	to->build_id_size = object ? object->build_id.size() : 0;
}

// Nothing covers the address.
void fill_none(ksyms_location *to)
{
	*to = ksyms_location{};
	to->module = "";
}

} // namespace

extern "C" {

ksyms_snapshot *ksyms_open_device(const char *path, ksyms_error **error)
{
	return guarded<ksyms_snapshot *>(nullptr, [&] {
		return wrap(ksyms::Snapshot::open_device(
				    path ? path : ksyms::default_device_path),
			    error);
	}, error);
}

ksyms_snapshot *ksyms_open_file(const char *path, ksyms_error **error)
{
	return guarded<ksyms_snapshot *>(nullptr, [&]() -> ksyms_snapshot * {
		if (!path) {
			report(EINVAL, "ksyms_open_file: no file name given",
			       error);
			return nullptr;
		}
		return wrap(ksyms::Snapshot::open_file(path), error);
	}, error);
}

void ksyms_close(ksyms_snapshot *snapshot)
{
	delete snapshot;	// the destructors do not throw
}

int ksyms_load_proc_modules(ksyms_snapshot *snapshot, const char *path,
			    ksyms_error **error)
{
	return guarded(ENOMEM, [&] {
		if (!snapshot) {
			report_null("ksyms_load_proc_modules", error);
			return EINVAL;
		}
		return result_of(snapshot->snapshot.load_proc_modules(
					 path ? path : "/proc/modules"),
				 error);
	}, error);
}

int ksyms_save(const ksyms_snapshot *snapshot, const char *path,
	       ksyms_error **error)
{
	return guarded(ENOMEM, [&] {
		if (!snapshot || !path) {
			report_null("ksyms_save", error);
			return EINVAL;
		}
		return result_of(snapshot->snapshot.save(path), error);
	}, error);
}

size_t ksyms_count(const ksyms_snapshot *snapshot)
{
	if (!snapshot) {
		report_null("ksyms_count");
		return 0;
	}
	clear_last_error();
	return snapshot->snapshot.symbol_count();
}

int ksyms_symbol_at(const ksyms_snapshot *snapshot, uint32_t index,
		    ksyms_symbol *symbol)
{
	return guarded(ENOMEM, [&] {
		if (!snapshot || !symbol) {
			report_null("ksyms_symbol_at");
			return EINVAL;
		}
		if (index == 0 || index > snapshot->snapshot.symbol_count()) {
			set_last_error(ERANGE, "ksyms_symbol_at: no such index");
			return ERANGE;
		}
		fill(snapshot->snapshot.symbol(index), symbol);
		clear_last_error();
		return 0;
	});
}

size_t ksyms_lookup_name(const ksyms_snapshot *snapshot, const char *name,
			 ksyms_symbol *symbols, size_t capacity)
{
	return guarded<size_t>(0, [&]() -> size_t {
		if (!snapshot || !name || (capacity && !symbols)) {
			report_null("ksyms_lookup_name");
			return 0;
		}
		std::vector<ksyms::Symbol> found =
			snapshot->snapshot.find_name(name);
		for (size_t i = 0; i < found.size() && i < capacity; i++)
			fill(found[i], &symbols[i]);
		clear_last_error();
		return found.size();
	});
}

int ksyms_lookup_address(const ksyms_snapshot *snapshot, uint64_t address,
			 ksyms_location *location)
{
	return guarded(-1, [&] {
		if (!snapshot || !location) {
			report_null("ksyms_lookup_address");
			return -1;
		}
		ksyms::AddressLocation at = snapshot->snapshot.locate(address);
		clear_last_error();
		if (!at) {
			fill_none(location);
			return 0;
		}
		fill(snapshot->snapshot, address, at, location);
		return 1;
	});
}

int ksyms_symbolize(const ksyms_snapshot *snapshot, const uint64_t *addresses,
		    size_t count, ksyms_location *results, size_t *found)
{
	return guarded(ENOMEM, [&] {
		if (!snapshot || (count && (!addresses || !results))) {
			report_null("ksyms_symbolize");
			return EINVAL;
		}
		// locate() in chunks on the stack: the batched index walk,
		// and no allocation however many addresses come.
		constexpr size_t chunk = 256;
		ksyms::AddressLocation at[chunk];
		size_t hits = 0;
		for (size_t pos = 0; pos < count; pos += chunk) {
			size_t n = std::min(chunk, count - pos);
			snapshot->snapshot.locate(
				std::span(addresses + pos, n),
				std::span(at, n));
			for (size_t i = 0; i < n; i++) {
				if (!at[i]) {
					fill_none(&results[pos + i]);
					continue;
				}
				fill(snapshot->snapshot, addresses[pos + i],
				     at[i], &results[pos + i]);
				hits++;
			}
		}
		if (found)
			*found = hits;
		clear_last_error();
		return 0;
	});
}

} // extern "C"
