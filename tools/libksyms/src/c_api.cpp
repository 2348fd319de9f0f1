// SPDX-License-Identifier: GPL-2.0
// The C API: thin wrappers that turn Expected/Error into handles and codes.
#include <ksyms/ksyms.h>

#include <ksyms/snapshot.h>

#include <cerrno>
#include <new>

struct ksyms_snapshot {
	ksyms::Snapshot snapshot;
};

struct ksyms_error {
	ksyms::Error error;
};

namespace {

// Stores `error` for the caller if it asked; allocation failure of the
// error itself degrades to "no error object", never to a throw into C.
void report(const ksyms::Error &error, ksyms_error **out)
{
	if (out)
		*out = new (std::nothrow) ksyms_error{error};
}

ksyms_snapshot *wrap(ksyms::Expected<ksyms::Snapshot> snapshot,
		     ksyms_error **error)
{
	if (!snapshot) {
		report(snapshot.error(), error);
		return nullptr;
	}
	auto *handle = new (std::nothrow)
		ksyms_snapshot{std::move(*snapshot)};
	if (!handle)
		report(ksyms::Error(ENOMEM, "out of memory"), error);
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

} // namespace

extern "C" {

ksyms_snapshot *ksyms_open_device(const char *path, ksyms_error **error)
{
	return wrap(ksyms::Snapshot::open_device(
			    path ? path : ksyms::default_device_path),
		    error);
}

ksyms_snapshot *ksyms_open_file(const char *path, ksyms_error **error)
{
	if (!path) {
		report(ksyms::Error(EINVAL, "no file name given"), error);
		return nullptr;
	}
	return wrap(ksyms::Snapshot::open_file(path), error);
}

void ksyms_close(ksyms_snapshot *snapshot)
{
	delete snapshot;
}

int ksyms_load_proc_modules(ksyms_snapshot *snapshot, const char *path,
			    ksyms_error **error)
{
	ksyms::Error result =
		snapshot->snapshot.load_proc_modules(path ? path : "/proc/modules");
	if (result)
		report(result, error);
	return result.code();
}

int ksyms_save(const ksyms_snapshot *snapshot, const char *path,
	       ksyms_error **error)
{
	ksyms::Error result = snapshot->snapshot.save(path);
	if (result)
		report(result, error);
	return result.code();
}

size_t ksyms_count(const ksyms_snapshot *snapshot)
{
	return snapshot->snapshot.symbol_count();
}

int ksyms_symbol_at(const ksyms_snapshot *snapshot, uint32_t index,
		    ksyms_symbol *symbol)
{
	if (index == 0 || index > snapshot->snapshot.symbol_count())
		return ERANGE;
	fill(snapshot->snapshot.symbol(index), symbol);
	return 0;
}

size_t ksyms_lookup_name(const ksyms_snapshot *snapshot, const char *name,
			 ksyms_symbol *symbols, size_t capacity)
{
	// The one C entry point that allocates per call: an exception must
	// not unwind into C, so out of memory reads as "none found".
	try {
		std::vector<ksyms::Symbol> found =
			snapshot->snapshot.find_name(name);
		for (size_t i = 0; i < found.size() && i < capacity; i++)
			fill(found[i], &symbols[i]);
		return found.size();
	} catch (const std::bad_alloc &) {
		return 0;
	}
}

int ksyms_lookup_address(const ksyms_snapshot *snapshot, uint64_t address,
			 ksyms_location *location)
{
	std::optional<ksyms::AddressMatch> match =
		snapshot->snapshot.symbolize(address);
	if (!match)
		return 0;
	fill(match->symbol, &location->symbol);
	location->offset = match->offset;
	location->size = match->size;
	// Module names are NUL-terminated: in the image's object table, or
	// std::strings owned by the snapshot's ModuleMap.
	location->module = match->module.empty() ? "" : match->module.data();
	location->build_id = match->build_id.data();
	location->build_id_size = match->build_id.size();
	return 1;
}

int ksyms_error_code(const ksyms_error *error)
{
	return error->error.code();
}

const char *ksyms_error_message(const ksyms_error *error)
{
	return error->error.message().c_str();
}

void ksyms_error_free(ksyms_error *error)
{
	delete error;
}

} // extern "C"
