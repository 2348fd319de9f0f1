// SPDX-License-Identifier: BSD-2-Clause
// What the Python module hands out: symbols, address matches and objects as
// plain values copied out of the image, so that they stay valid after the
// snapshot is closed (a mapping of the device must not outlive close()).
#ifndef KSYMS_PYTHON_VALUES_H
#define KSYMS_PYTHON_VALUES_H

#include <ksyms/snapshot.h>

#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>
#include <string>

namespace ksyms::python {

struct SymbolValue {
	uint32_t index = 0;
	std::string name;
	uint64_t address = 0;
	uint64_t size = 0;
	unsigned char type = 0;
	unsigned char binding = 0;
	char letter = '?';
	std::optional<std::string> module;	// none for vmlinux
};

struct MatchValue {
	uint64_t address = 0;
	SymbolValue symbol;
	uint64_t offset = 0;
	uint64_t size = 0;	// the extent the address fell in
	std::string build_id;	// bytes; empty if unknown
};

struct ObjectValue {
	std::string name;
	uint64_t base = 0;
	uint64_t size = 0;
	uint64_t symbol_count = 0;
	std::string build_id;	// bytes; empty if it has none
	bool pseudo = false;
};

SymbolValue symbol_value(const Snapshot &snapshot, const Symbol &symbol);
// The match for `address` that locate() found (location.symbol != 0).
MatchValue match_value(const Snapshot &snapshot, uint64_t address,
		       const AddressLocation &location);
ObjectValue object_value(const ObjectInfo &object);

// Registers Symbol, Match and Object in `module`.
void bind_values(pybind11::module_ &module);

} // namespace ksyms::python

#endif
