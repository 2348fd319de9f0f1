// SPDX-License-Identifier: BSD-2-Clause
#include "snapshot_binding.h"

#include "errors.h"
#include "values.h"

#include <ksyms/snapshot.h>

#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace ksyms::python {

namespace {

// A Snapshot that close() can release before Python collects it: the
// driver allows one open of the device per process, so a program must be
// able to let go of it at a known point (close(), or the end of a with
// block).  Every use after that raises ValueError, as a closed file does.
class SnapshotHandle {
public:
	explicit SnapshotHandle(Snapshot snapshot)
		: path_(snapshot.path()), snapshot_(std::move(snapshot)) {}

	const Snapshot &get() const
	{
		if (!snapshot_)
			throw py::value_error("I/O operation on a closed snapshot (" +
					      path_ + ")");
		return *snapshot_;
	}
	Snapshot &get_mutable()
	{
		get();
		return *snapshot_;
	}
	void close() { snapshot_.reset(); }
	bool closed() const { return !snapshot_; }
	const std::string &path() const { return path_; }

private:
	std::string path_;
	std::optional<Snapshot> snapshot_;
};

using Handle = std::shared_ptr<SnapshotHandle>;

// Symbols in image order; it keeps the snapshot object alive, not open.
struct SymbolIterator {
	Handle handle;
	uint32_t next = 1;
};

// A str or any os.PathLike, as open() takes them.
std::string path_of(py::handle path)
{
	return py::module_::import("os").attr("fspath")(path).cast<std::string>();
}

Handle open_device(py::handle path_object)
{
	std::string path = path_of(path_object);
	Expected<Snapshot> snapshot = Snapshot::open_device(path);
	if (!snapshot)
		raise_os_error(snapshot.error(), path);
	// As the command does: module names for an image without an object
	// table, when /proc/modules is readable; without it there are none.
	(void)snapshot->load_proc_modules();
	return std::make_shared<SnapshotHandle>(std::move(*snapshot));
}

Handle open_file(py::handle path_object)
{
	std::string path = path_of(path_object);
	Expected<Snapshot> snapshot = Snapshot::open_file(path);
	if (!snapshot)
		raise_os_error(snapshot.error(), path);
	return std::make_shared<SnapshotHandle>(std::move(*snapshot));
}

// An int, or anything with __index__ (a drgn Object, a numpy integer):
// OverflowError for a negative value or one past 64 bits.
uint64_t address_of(py::handle value)
{
	py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr()));
	if (!index)
		throw py::error_already_set();
	unsigned long long address = PyLong_AsUnsignedLongLong(index.ptr());
	if (address == (unsigned long long)-1 && PyErr_Occurred())
		throw py::error_already_set();
	return address;
}

py::object symbolize(const SnapshotHandle &handle, py::handle addresses)
{
	const Snapshot &snapshot = handle.get();
	if (PyIndex_Check(addresses.ptr())) {
		uint64_t address = address_of(addresses);
		AddressLocation location = snapshot.locate(address);
		if (!location)
			return py::none();
		return py::cast(match_value(snapshot, address, location));
	}
	std::vector<uint64_t> batch;
	for (py::handle value : py::iter(addresses))
		batch.push_back(address_of(value));
	std::vector<AddressLocation> locations(batch.size());
	snapshot.locate(batch, locations);
	py::list out(batch.size());
	for (size_t i = 0; i < batch.size(); i++) {
		if (locations[i])
			out[i] = py::cast(match_value(snapshot, batch[i], locations[i]));
		else
			out[i] = py::none();
	}
	return out;
}

std::vector<SymbolValue> lookup(const SnapshotHandle &handle, const std::string &name)
{
	const Snapshot &snapshot = handle.get();
	std::vector<SymbolValue> out;
	for (const Symbol &symbol : snapshot.find_name(name))
		out.push_back(symbol_value(snapshot, symbol));
	return out;
}

SymbolValue symbol_at(const SnapshotHandle &handle, int64_t index)
{
	const Snapshot &snapshot = handle.get();
	if (index < 1 || (uint64_t)index > snapshot.symbol_count())
		throw py::index_error("symbol index " + std::to_string(index) +
				      " is not in 1.." +
				      std::to_string(snapshot.symbol_count()));
	return symbol_value(snapshot, snapshot.symbol(index));
}

std::vector<ObjectValue> objects(const SnapshotHandle &handle)
{
	std::vector<ObjectValue> out;
	for (const ObjectInfo &object : handle.get().objects())
		out.push_back(object_value(object));
	return out;
}

std::optional<ObjectValue> object_of(const SnapshotHandle &handle, uint32_t index)
{
	if (const ObjectInfo *object = handle.get().object_of(index))
		return object_value(*object);
	return std::nullopt;
}

// /proc/kallsyms' lines as tuples, in its order, with its letters.
py::list kallsyms(const SnapshotHandle &handle)
{
	const Snapshot &snapshot = handle.get();
	if (!snapshot.has_kallsyms_order())
		throw py::value_error(snapshot.path() +
				      ": the image does not record kallsyms' order");
	py::list out;
	for (uint32_t index : snapshot.kallsyms_order()) {
		Symbol symbol = snapshot.symbol(index);
		std::string_view module = snapshot.module_of(index, symbol.address);
		out.append(py::make_tuple(
			symbol.address,
			std::string(1, snapshot.kallsyms_letter(index)),
			std::string(symbol.name),
			module.empty() ? py::object(py::none()) :
					 py::object(py::str(std::string(module)))));
	}
	return out;
}

void save(const SnapshotHandle &handle, py::handle path_object)
{
	std::string path = path_of(path_object);
	if (Error error = handle.get().save(path))
		raise_os_error(error, path);
}

py::bytes image(const SnapshotHandle &handle)
{
	std::span<const std::byte> bytes = handle.get().image();
	return py::bytes(reinterpret_cast<const char *>(bytes.data()), bytes.size());
}

SymbolValue next_symbol(SymbolIterator &it)
{
	const Snapshot &snapshot = it.handle->get();
	if (it.next > snapshot.symbol_count())
		throw py::stop_iteration();
	return symbol_value(snapshot, snapshot.symbol(it.next++));
}

} // namespace

void bind_snapshot(py::module_ &module)
{
	py::class_<SymbolIterator>(module, "SymbolIterator")
		.def("__iter__", [](SymbolIterator &it) -> SymbolIterator & { return it; })
		.def("__next__", &next_symbol);

	py::class_<SnapshotHandle, Handle>(module, "Snapshot",
					   "A kernel symbol table: the /dev/ksyms "
					   "image taken at open, or a saved one.")
		.def_property_readonly("path", &SnapshotHandle::path)
		.def_property_readonly("closed", &SnapshotHandle::closed)
		.def("close", &SnapshotHandle::close,
		     "Unmaps the image and closes the device.")
		.def("__enter__", [](Handle handle) { return handle; })
		.def("__exit__", [](SnapshotHandle &handle, py::args) { handle.close(); })
		.def("__len__", [](const SnapshotHandle &handle) {
			return handle.get().symbol_count();
		})
		.def("__iter__", [](Handle handle) {
			handle->get();
			return SymbolIterator{handle};
		}, "Every symbol in image order.")
		.def("symbol", &symbol_at, py::arg("index"),
		     "The symbol at ELF index 1..len(snapshot).")
		.def("lookup", &lookup, py::arg("name"),
		     "Every symbol called name, in image order (names repeat).")
		.def("symbolize", &symbolize, py::arg("addresses"),
		     "Where an address falls, as a Match or None; for an "
		     "iterable of addresses, a list of them, looked up in one "
		     "batch.")
		.def("objects", &objects,
		     "vmlinux, then the modules in load order, then what "
		     "kallsyms lists after them; [] for an image without an "
		     "object table.")
		.def("object_of", &object_of, py::arg("index"),
		     "The object of the symbol with that index, or None.")
		.def("kallsyms", &kallsyms,
		     "/proc/kallsyms as it was when the snapshot was taken: "
		     "(address, letter, name, module or None) in its order.")
		.def("save", &save, py::arg("path"),
		     "Writes the image to path atomically; open(path) reads it.")
		.def("image", &image, "The ELF image, as bytes.")
		.def("__repr__", [](const SnapshotHandle &handle) {
			return "<ksyms.Snapshot " + handle.path() +
			       (handle.closed() ? " (closed)>" : ">");
		});

	module.def("open_device", &open_device, py::arg("path") = py::str(default_device_path),
		   "Opens the device: its snapshot is taken now.");
	module.def("open_file", &open_file, py::arg("path"),
		   "Opens a saved image, or any ELF file with a symbol table.");
}

} // namespace ksyms::python
