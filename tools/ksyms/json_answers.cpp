// SPDX-License-Identifier: BSD-2-Clause
#include "json_answers.h"

#include <ksyms/symbolize.h>

#include <elf.h>

#include <charconv>

namespace ksyms::tool {

namespace {

// The object's name when the image has an object table ("vmlinux"
// included, so that a reader need not know that "" means vmlinux);
// without one, what the module map says: a module's name, or "" for
// vmlinux and for an address no module holds or nothing tells about.
std::string_view module_name(const Snapshot &snapshot, uint32_t index,
			     uint64_t address)
{
	if (const ObjectInfo *object = snapshot.object_of(index))
		return object->name;
	return snapshot.module_of(index, address);
}

std::string build_id_of(const Snapshot &snapshot, uint32_t index)
{
	const ObjectInfo *object = snapshot.object_of(index);
	return object ? format_build_id(object->build_id) : std::string();
}

} // namespace

std::string json_hex(uint64_t value)
{
	char digits[2 + 16];
	digits[0] = '0';
	digits[1] = 'x';
	auto end = std::to_chars(digits + 2, digits + sizeof(digits), value, 16);
	return std::string(digits, end.ptr);
}

nlohmann::json json_answer()
{
	return nlohmann::json{{"Schema", json_schema}};
}

nlohmann::json json_symbol(const Snapshot &snapshot, const Symbol &symbol,
			   bool with_build_id)
{
	nlohmann::json out = {
		{"Name", symbol.name},
		{"Address", json_hex(symbol.address)},
		{"Size", json_hex(symbol.size)},
		{"Type", type_name(symbol.type)},
		{"Binding", binding_name(symbol.binding)},
		{"Letter", std::string(1, symbol.letter)},
		{"ModuleName",
		 module_name(snapshot, symbol.index, symbol.address)},
	};
	if (with_build_id)
		out["BuildID"] = build_id_of(snapshot, symbol.index);
	return out;
}

nlohmann::json json_address(const Snapshot &snapshot, uint64_t address,
			    const AddressLocation &location)
{
	nlohmann::json out = json_answer();
	out["Address"] = json_hex(address);
	if (!location) {
		out["Symbol"] = nlohmann::json::array();
		out["Error"] = json_error("no symbol covers the address");
		return out;
	}
	out["ModuleName"] = module_name(snapshot, location.symbol, address);
	out["BuildID"] = build_id_of(snapshot, location.symbol);
	// One frame: the symbol table knows no inlining.  Debug information
	// would add the frames of inlined functions before it, and FileName,
	// Line and Column to each, as llvm-symbolizer does.
	out["Symbol"] = nlohmann::json::array({{
		{"FunctionName", location.name},
		{"StartAddress", json_hex(address - location.offset)},
		{"Offset", json_hex(location.offset)},
		{"Size", json_hex(location.size)},
	}});
	return out;
}

AddressAnswers::AddressAnswers(const Snapshot &snapshot)
	: snapshot_(&snapshot)
{
	found_ = json_answer();
	found_["Address"] = "";
	found_["ModuleName"] = "";
	found_["BuildID"] = "";
	found_["Symbol"] = nlohmann::json::array({{{"FunctionName", ""},
						   {"StartAddress", ""},
						   {"Offset", ""},
						   {"Size", ""}}});
	missing_ = json_address(snapshot, 0, {});

	auto field = [](nlohmann::json &object, const char *key) {
		return &object[key].get_ref<std::string &>();
	};
	nlohmann::json &frame = found_["Symbol"][0];
	address_ = field(found_, "Address");
	module_ = field(found_, "ModuleName");
	build_id_ = field(found_, "BuildID");
	name_ = field(frame, "FunctionName");
	start_ = field(frame, "StartAddress");
	offset_ = field(frame, "Offset");
	size_ = field(frame, "Size");
	missing_address_ = field(missing_, "Address");
}

void AddressAnswers::append(std::string &out, uint64_t address,
			    const AddressLocation &location)
{
	if (!location) {
		*missing_address_ = json_hex(address);
		append_json_line(out, missing_);
		return;
	}
	*address_ = json_hex(address);
	*module_ = module_name(*snapshot_, location.symbol, address);
	const ObjectInfo *object = snapshot_->object_of(location.symbol);
	if (object != last_object_ || !object) {
		*build_id_ = object ? format_build_id(object->build_id) : "";
		last_object_ = object;
	}
	*name_ = location.name;
	*start_ = json_hex(address - location.offset);
	*offset_ = json_hex(location.offset);
	*size_ = json_hex(location.size);
	append_json_line(out, found_);
}

nlohmann::json json_error(std::string_view message)
{
	return nlohmann::json{{"Message", message}};
}

void append_json_line(std::string &out, const nlohmann::json &value)
{
	out += value.dump(-1, ' ', false,
			  nlohmann::json::error_handler_t::replace);
	out += '\n';
}

} // namespace ksyms::tool
