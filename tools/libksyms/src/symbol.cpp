// SPDX-License-Identifier: BSD-2-Clause
#include <ksyms/symbol.h>

#include <elf.h>

namespace ksyms {

char type_letter(unsigned char type, unsigned char binding, uint16_t section)
{
	bool global = binding != STB_LOCAL;

	if (section == SHN_UNDEF) {
		if (binding == STB_WEAK)
			return type == STT_OBJECT ? 'v' : 'w';
		return 'U';
	}
	if (binding == STB_WEAK)
		return type == STT_OBJECT ? 'V' : 'W';
	switch (type) {
	case STT_FUNC:
	case STT_GNU_IFUNC:
		return global ? 'T' : 't';
	case STT_OBJECT:
	case STT_TLS:
	case STT_COMMON:
		return global ? 'D' : 'd';
	case STT_NOTYPE:
		return global ? 'A' : 'a';
	default:
		return '?';
	}
}

const char *type_name(unsigned char type)
{
	switch (type) {
	case STT_NOTYPE: return "NOTYPE";
	case STT_OBJECT: return "OBJECT";
	case STT_FUNC: return "FUNC";
	case STT_SECTION: return "SECTION";
	case STT_FILE: return "FILE";
	case STT_COMMON: return "COMMON";
	case STT_TLS: return "TLS";
	default: return "OTHER";
	}
}

const char *binding_name(unsigned char binding)
{
	switch (binding) {
	case STB_LOCAL: return "LOCAL";
	case STB_GLOBAL: return "GLOBAL";
	case STB_WEAK: return "WEAK";
	default: return "OTHER";
	}
}

} // namespace ksyms
