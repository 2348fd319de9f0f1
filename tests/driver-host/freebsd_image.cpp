// SPDX-License-Identifier: GPL-2.0-only
#include "freebsd_image.h"

extern "C" {
#include "ksyms_elf_internal.h"
}

#include <cstddef>
#include <cstring>

namespace ksyms_test {

u64 freebsd_image_size(const ksyms_elf_layout *layout)
{
	if (layout->nr_objects || layout->build_ids_size ||
	    layout->nr_sections || !ksyms_elf_image_size(layout))
		return 0;
	return KSYMS_ELF_SYMTAB_OFFSET +
	       (layout->nr_locals + layout->nr_globals) * sizeof(Elf64_Sym) +
	       layout->strtab_size;
}

void freebsd_write_headers(void *image, const ksyms_elf_layout *layout,
			   u16 machine, u8 data)
{
	auto *base = static_cast<unsigned char *>(image);
	const Elf64_Off shoff = KSYMS_ELF_SHOFF;
	const Elf64_Half shnum = KSYMS_SHN_COUNT;

	ksyms_elf_write_header_block(image, layout, machine, data);
	std::memcpy(base + offsetof(Elf64_Ehdr, e_shoff), &shoff,
		    sizeof(shoff));
	std::memcpy(base + offsetof(Elf64_Ehdr, e_shnum), &shnum,
		    sizeof(shnum));
}

} // namespace ksyms_test
