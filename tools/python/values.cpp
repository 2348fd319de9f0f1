// SPDX-License-Identifier: BSD-2-Clause
#include "values.h"

#include <ksyms/symbolize.h>

#include <pybind11/stl.h>

#include <elf.h>

#include <cinttypes>
#include <cstdio>
#include <span>

namespace py = pybind11;

namespace ksyms::python {

namespace {

std::string bytes_of(std::span<const uint8_t> bytes)
{
	return std::string(reinterpret_cast<const char *>(bytes.data()),
			   bytes.size());
}

std::span<const uint8_t> span_of(const std::string &bytes)
{
	return {reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size()};
}

std::string hex(uint64_t value)
{
	char text[24];
	std::snprintf(text, sizeof(text), "%#" PRIx64, value);
	return text;
}

std::string quoted(const std::string &text)
{
	return py::repr(py::str(text)).cast<std::string>();
}

std::string symbol_repr(const SymbolValue &s)
{
	return "Symbol(name=" + quoted(s.name) + ", address=" + hex(s.address) +
	       ", size=" + hex(s.size) + ", type='" + type_name(s.type) +
	       "', binding='" + binding_name(s.binding) + "', module=" +
	       (s.module ? quoted(*s.module) : "None") + ")";
}

// The kernel's %pS/%pSb text, as `ksyms symbolize` prints it.
std::string match_text(const MatchValue &m)
{
	std::string out;
	append_match(out, m.symbol.name, m.offset, m.size,
		     m.symbol.module.value_or(""), span_of(m.build_id));
	return out;
}

py::bytes as_bytes(const std::string &bytes) { return py::bytes(bytes); }

} // namespace

SymbolValue symbol_value(const Snapshot &snapshot, const Symbol &symbol)
{
	SymbolValue value;
	value.index = symbol.index;
	value.name = std::string(symbol.name);
	value.address = symbol.address;
	value.size = symbol.size;
	value.type = symbol.type;
	value.binding = symbol.binding;
	value.letter = symbol.letter;
	std::string_view module = snapshot.module_of(symbol.index, symbol.address);
	if (!module.empty())
		value.module = std::string(module);
	return value;
}

MatchValue match_value(const Snapshot &snapshot, uint64_t address,
		       const AddressLocation &location)
{
	MatchValue value;
	value.address = address;
	value.symbol = symbol_value(snapshot, snapshot.symbol(location.symbol));
	value.offset = location.offset;
	value.size = location.size;
	if (const ObjectInfo *object = snapshot.object_of(location.symbol))
		value.build_id = bytes_of(object->build_id);
	return value;
}

ObjectValue object_value(const ObjectInfo &object)
{
	ObjectValue value;
	value.name = std::string(object.name);
	value.base = object.base;
	value.size = object.size;
	value.symbol_count = object.local_count + object.global_count;
	value.build_id = bytes_of(object.build_id);
	value.pseudo = object.pseudo;
	return value;
}

void bind_values(py::module_ &module)
{
	py::class_<SymbolValue>(module, "Symbol",
				"One symbol of the image (an ELF symbol).")
		.def_readonly("index", &SymbolValue::index,
			      "ELF symbol table index (1 and up)")
		.def_readonly("name", &SymbolValue::name)
		.def_readonly("address", &SymbolValue::address, "st_value")
		.def_readonly("size", &SymbolValue::size, "st_size")
		.def_property_readonly(
			"type", [](const SymbolValue &s) { return type_name(s.type); },
			"'FUNC', 'OBJECT', 'NOTYPE', 'TLS', ...")
		.def_property_readonly(
			"binding",
			[](const SymbolValue &s) { return binding_name(s.binding); },
			"'LOCAL', 'GLOBAL' or 'WEAK'")
		.def_property_readonly(
			"letter", [](const SymbolValue &s) { return std::string(1, s.letter); },
			"nm's letter")
		.def_readonly("module", &SymbolValue::module,
			      "the module's name; None for vmlinux")
		.def("__repr__", &symbol_repr);

	py::class_<MatchValue>(module, "Match",
			       "Where an address falls: offset bytes into symbol.")
		.def_readonly("address", &MatchValue::address)
		.def_readonly("symbol", &MatchValue::symbol)
		.def_property_readonly(
			"name", [](const MatchValue &m) { return m.symbol.name; })
		.def_readonly("offset", &MatchValue::offset)
		.def_readonly("size", &MatchValue::size,
			      "the symbol's extent: st_size, or for a symbol of "
			      "size 0 the distance to the next one")
		.def_property_readonly(
			"module", [](const MatchValue &m) { return m.symbol.module; })
		.def_property_readonly(
			"build_id",
			[](const MatchValue &m) { return as_bytes(m.build_id); },
			"its object's build ID (b'' if unknown)")
		.def("__str__", &match_text)
		.def("__repr__", [](const MatchValue &m) {
			return "Match(" + hex(m.address) + ", " +
			       quoted(match_text(m)) + ")";
		});

	py::class_<ObjectValue>(module, "Object",
				"vmlinux, a module, or what kallsyms lists after "
				"the modules (bpf, __builtin__ftrace, ...)")
		.def_readonly("name", &ObjectValue::name)
		.def_readonly("base", &ObjectValue::base)
		.def_readonly("size", &ObjectValue::size)
		.def_readonly("symbol_count", &ObjectValue::symbol_count)
		.def_property_readonly(
			"build_id",
			[](const ObjectValue &o) { return as_bytes(o.build_id); },
			"b'' if it has none")
		.def_property_readonly(
			"build_id_hex",
			[](const ObjectValue &o) {
				return format_build_id(span_of(o.build_id));
			},
			"lower-case hex, as readelf -n writes it; '' if none")
		.def_readonly("pseudo", &ObjectValue::pseudo,
			      "listed by kallsyms after the modules, no module "
			      "behind it")
		.def_property_readonly(
			"is_vmlinux",
			[](const ObjectValue &o) { return o.name == "vmlinux"; })
		.def("__repr__", [](const ObjectValue &o) {
			return "Object(" + quoted(o.name) + ", base=" + hex(o.base) +
			       ", size=" + hex(o.size) + ", build_id='" +
			       format_build_id(span_of(o.build_id)) + "')";
		});
}

} // namespace ksyms::python
