// SPDX-License-Identifier: GPL-2.0-only
/*
 * ELF notes: the GNU build ID notes an image carries for each object, and
 * finding the build ID among the notes the kernel exports.
 */
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "ksyms_elf.h"
#include "ksyms_elf_internal.h"

static const char ksyms_elf_gnu[] = "GNU";

/* Bytes of one note with a name of @namesz bytes (NUL included). */
static u64 ksyms_elf_note_size(u64 namesz, u64 descsz)
{
	return sizeof(Elf64_Nhdr) + ksyms_elf_align(namesz, KSYMS_ELF_NOTE_ALIGN) +
	       ksyms_elf_align(descsz, KSYMS_ELF_NOTE_ALIGN);
}

/**
 * ksyms_elf_build_id_note_size() - bytes of an object's build ID note
 * @build_id_size: bytes of its build ID
 *
 * Return: the note's size; 0 when it has no build ID.
 */
u64 ksyms_elf_build_id_note_size(u32 build_id_size)
{
	return build_id_size ?
	       ksyms_elf_note_size(sizeof(ksyms_elf_gnu), build_id_size) : 0;
}

/**
 * ksyms_elf_note_write() - write one note
 * @at: where it goes
 * @name: its owner, NUL-terminated
 * @type: n_type
 * @desc: its contents
 * @descsz: their size
 *
 * Return: where the next note goes.
 */
void *ksyms_elf_note_write(void *at, const char *name, u32 type,
			   const void *desc, u64 descsz)
{
	u64 namesz = strlen(name) + 1;
	Elf64_Nhdr nhdr = {
		.n_namesz = namesz,
		.n_descsz = descsz,
		.n_type = type,
	};
	char *p = at;

	memset(p, 0, ksyms_elf_note_size(namesz, descsz));
	memcpy(p, &nhdr, sizeof(nhdr));
	p += sizeof(nhdr);
	memcpy(p, name, namesz);
	p += ksyms_elf_align(namesz, KSYMS_ELF_NOTE_ALIGN);
	if (descsz)
		memcpy(p, desc, descsz);
	return p + ksyms_elf_align(descsz, KSYMS_ELF_NOTE_ALIGN);
}

/**
 * ksyms_elf_find_build_id() - find the GNU build ID note among notes
 * @notes: the notes, as /sys/kernel/notes and /sys/module/NAME/notes/ hold
 * @size: their bytes
 * @id: set to the build ID
 * @id_size: set to its size
 *
 * Return: 0, or -ENOENT if there is none or the notes are cut short.
 */
int ksyms_elf_find_build_id(const void *notes, u64 size, const u8 **id,
			    u32 *id_size)
{
	const char *p = notes;
	Elf64_Nhdr nhdr;
	u64 at = 0, name, desc, next;

	while (size - at >= sizeof(nhdr)) {
		memcpy(&nhdr, p + at, sizeof(nhdr));
		name = at + sizeof(nhdr);
		desc = name + ksyms_elf_align(nhdr.n_namesz,
					      KSYMS_ELF_NOTE_ALIGN);
		next = desc + ksyms_elf_align(nhdr.n_descsz,
					      KSYMS_ELF_NOTE_ALIGN);
		if (desc > size || next > size || next <= at)
			break;
		if (nhdr.n_type == NT_GNU_BUILD_ID &&
		    nhdr.n_namesz == sizeof(ksyms_elf_gnu) &&
		    !memcmp(p + name, ksyms_elf_gnu, sizeof(ksyms_elf_gnu)) &&
		    nhdr.n_descsz) {
			*id = (const u8 *)p + desc;
			*id_size = nhdr.n_descsz;
			return 0;
		}
		at = next;
	}
	return -ENOENT;
}
