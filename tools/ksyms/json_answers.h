// SPDX-License-Identifier: BSD-2-Clause
// The JSON objects `ksyms ... --json` prints (ksyms(1), docs/json.md): one
// object per answer, each line of output one object (JSON Lines).
//
// Field names are llvm-symbolizer's --output-style=JSON ones where it has
// the same thing (Address, ModuleName, Symbol, FunctionName, StartAddress,
// Error.Message), and in its PascalCase where it has none, so that a reader
// of one reads the other.  Addresses, offsets and sizes are strings
// "0x...": a JSON number is a double to most readers, exact only up to
// 2^53, and every kernel address is above that.
#ifndef KSYMS_TOOL_JSON_ANSWERS_H
#define KSYMS_TOOL_JSON_ANSWERS_H

#include <ksyms/snapshot.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace ksyms::tool {

// Raised whenever a field changes meaning or goes away; new fields may be
// added within a version.
inline constexpr int json_schema = 1;

// "0x" and lower-case hex, no padding, as llvm-symbolizer writes them.
std::string json_hex(uint64_t value);

// An answer with its "Schema" field, for the other fields to be added to.
nlohmann::json json_answer();

// One symbol: Name, Address, Size, Type, Binding, Letter, ModuleName and,
// with `with_build_id`, BuildID ("" when its object has none).
nlohmann::json json_symbol(const Snapshot &snapshot, const Symbol &symbol,
			   bool with_build_id);

// The answer for one address: Address, ModuleName, BuildID and Symbol, a
// list of frames (innermost first, as llvm-symbolizer lists inlined ones)
// each with FunctionName, StartAddress, Offset and Size.  An address no
// symbol covers has an empty Symbol list and an Error.
nlohmann::json json_address(const Snapshot &snapshot, uint64_t address,
			    const AddressLocation &location);

// json_address() for many addresses: the same objects, kept and refilled
// in place, so that an answer costs no allocation beyond the line's.
class AddressAnswers {
public:
	explicit AddressAnswers(const Snapshot &snapshot);
	AddressAnswers(const AddressAnswers &) = delete;
	AddressAnswers &operator=(const AddressAnswers &) = delete;

	// Appends the answer for `address` and a newline to `out`.
	void append(std::string &out, uint64_t address,
		    const AddressLocation &location);

private:
	const Snapshot *snapshot_;
	nlohmann::json found_, missing_;
	// The fields that change, inside found_ and missing_.
	std::string *address_, *module_, *build_id_, *name_, *start_, *offset_,
		*size_, *missing_address_;
	const ObjectInfo *last_object_ = nullptr;	// whose BuildID is set
};

// {"Message": message}, the Error field of an answer.
nlohmann::json json_error(std::string_view message);

// Appends `value` and a newline.  Names are bytes: a byte that is not
// UTF-8 becomes U+FFFD (JSON text is Unicode), everything else is
// escaped as JSON requires.
void append_json_line(std::string &out, const nlohmann::json &value);

} // namespace ksyms::tool

#endif
