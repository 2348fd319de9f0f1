// SPDX-License-Identifier: GPL-2.0-only
// FreeBSD's /dev/ksyms image, as a fixture: the 464-byte header block,
// the symbol table and the string table, and nothing after them; e_shoff
// and e_shnum name the header block's four section headers.
//
// The driver always goes on to the object table and the rest.  The
// header block, the symbol table and the string table are the driver's
// own (ksyms_elf_write_header_block() and the writer), so the tests that
// hold them to FreeBSD's layout field by field, and give them to tools
// that know only FreeBSD's sections, run on them alone.
#ifndef KSYMS_HOST_FREEBSD_IMAGE_H
#define KSYMS_HOST_FREEBSD_IMAGE_H

extern "C" {
#include "ksyms_elf.h"
}

namespace ksyms_test {

// A layout with no objects, build IDs or typed sections.
inline ksyms_elf_layout freebsd_layout(u64 nr_locals, u64 nr_globals,
				       u64 strtab_size)
{
	ksyms_elf_layout l{};

	l.nr_locals = nr_locals;
	l.nr_globals = nr_globals;
	l.strtab_size = strtab_size;
	return l;
}

// Bytes of FreeBSD's image for @layout, or 0 when the driver would refuse
// the layout or it has more than FreeBSD's parts.
u64 freebsd_image_size(const ksyms_elf_layout *layout);

// Writes FreeBSD's header block, [0, 464) and nothing else.
void freebsd_write_headers(void *image, const ksyms_elf_layout *layout,
			   u16 machine, u8 data);

} // namespace ksyms_test

#endif
