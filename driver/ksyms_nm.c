// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/kallsyms lines into ELF symbols.  Kernel-independent; see ksyms_nm.h.
 */
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/types.h>

#include "ksyms_elf.h"
#include "ksyms_nm.h"

/* 16 hex digits for a 64-bit %px */
#define KSYMS_MAX_ADDR_DIGITS	16

static int ksyms_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * ksyms_kallsyms_parse_line() - Parse one line of /proc/kallsyms
 * @line: the line, without its newline; need not be NUL-terminated
 * @len: bytes in @line
 * @out: the parsed line
 *
 * A line is "ADDR T NAME", then "\t[MODULE]" for a module's symbol: an
 * address of 1 to 16 hex digits, a space, the nm letter (any printable
 * character but a space), a space and a name of at least one byte.
 * After a tab, the module's name is taken without its brackets, or whole
 * if it has none.  @out's text, name and module point into @line, which
 * must outlive them.
 *
 * Context: Any context.
 * Return: 0, or -EINVAL if @line is not such a line; @out may then be
 * partly written.
 */
int ksyms_kallsyms_parse_line(const char *line, u64 len,
			      struct ksyms_kallsyms_line *out)
{
	u64 pos = 0, addr = 0, name_start;
	unsigned char type;
	int digit;

	while (pos < len && (digit = ksyms_hex_digit(line[pos])) >= 0) {
		if (pos == KSYMS_MAX_ADDR_DIGITS)
			return -EINVAL;
		addr = (addr << 4) | (u64)digit;
		pos++;
	}
	/* "ADDR T N": at least one digit, a space, the letter, a space, a name */
	if (pos == 0 || len - pos < 4 || line[pos] != ' ' ||
	    line[pos + 2] != ' ')
		return -EINVAL;
	/* kallsyms prints a letter or '?': never a blank or a control */
	type = line[pos + 1];
	if (type <= ' ' || type > '~')
		return -EINVAL;
	out->text = line;
	out->len = len;
	out->addr = addr;
	out->type = (char)type;
	name_start = pos + 3;
	pos = name_start;
	while (pos < len && line[pos] != '\t')
		pos++;
	if (pos == name_start || pos - name_start > U32_MAX)
		return -EINVAL;
	out->name = line + name_start;
	out->namelen = (u32)(pos - name_start);
	out->in_module = pos < len;
	out->module = line + len;
	out->modlen = 0;
	if (out->in_module) {
		/* Past the tab: "[name]" as kallsyms prints it, or taken whole. */
		u64 from = pos + 1, to = len;

		if (to - from >= 2 && line[from] == '[' && line[to - 1] == ']') {
			from++;
			to--;
		}
		if (to - from > U32_MAX)
			return -EINVAL;
		out->module = line + from;
		out->modlen = (u32)(to - from);
	}
	return 0;
}

/**
 * ksyms_nm_is_absolute() - Whether an nm letter marks an absolute symbol
 * @type: the letter, as /proc/kallsyms prints it
 *
 * Return: True for 'a' and 'A'.
 */
bool ksyms_nm_is_absolute(char type)
{
	return type == 'a' || type == 'A';
}

/**
 * ksyms_nm_kind() - The typed section an nm letter asks for
 * @type: the letter, as /proc/kallsyms prints it
 *
 * The image places each symbol in a section whose flags make nm print
 * the letter it had in /proc/kallsyms.  Absolute and weak symbols need
 * none: nm prints A, and W or V, for those whatever the section.
 *
 * Return: The enum ksyms_elf_kind of that section, or KSYMS_KIND_ABS for
 * absolute and weak symbols and for letters that no section gives.
 */
u32 ksyms_nm_kind(char type)
{
	switch (type) {
	case 't': case 'T':
		return KSYMS_KIND_TEXT;
	case 'r': case 'R':
		return KSYMS_KIND_RODATA;
	case 'd': case 'D': case 'g': case 'G':
		return KSYMS_KIND_DATA;
	case 'b': case 'B': case 's': case 'S':
		return KSYMS_KIND_BSS;
	}
	return KSYMS_KIND_ABS;
}

static unsigned char ksyms_nm_binding(char type)
{
	switch (type) {
	case 'w': case 'W': case 'v': case 'V':
		return STB_WEAK;
	case 'u':	/* nm: a unique global symbol */
		return STB_GLOBAL;
	}
	return (type >= 'A' && type <= 'Z') ? STB_GLOBAL : STB_LOCAL;
}

static unsigned char ksyms_nm_type(char type)
{
	switch (type) {
	case 't': case 'T':
		return STT_FUNC;
	case 'd': case 'D': case 'b': case 'B': case 'r': case 'R':
	case 'g': case 'G': case 's': case 'S': case 'v': case 'V':
		return STT_OBJECT;
	}
	return STT_NOTYPE;
}

/**
 * ksyms_nm_to_sym() - Make an ELF symbol from an nm letter and an address
 * @type: the letter, as /proc/kallsyms prints it
 * @value: the symbol's address
 * @sym: the symbol to fill in
 *
 * The binding follows the letter's case (upper case global, lower case
 * local), except that w, W, v and V are weak and u (a unique global) is
 * global.  Text letters give STT_FUNC; data, rodata, bss and v/V (weak
 * object) letters STT_OBJECT; the rest STT_NOTYPE.  st_name and st_size
 * are left 0 for the caller, and st_shndx is SHN_ABS until the symbol is
 * placed in a typed section.
 */
void ksyms_nm_to_sym(char type, u64 value, Elf64_Sym *sym)
{
	sym->st_name = 0;
	sym->st_info = ELF64_ST_INFO(ksyms_nm_binding(type),
				     ksyms_nm_type(type));
	sym->st_other = STV_DEFAULT;
	/*
	 * The image has no section a symbol could point into, and every
	 * value is a final run-time address, which is what SHN_ABS says.
	 */
	sym->st_shndx = SHN_ABS;
	sym->st_value = value;
	sym->st_size = 0;
}

/**
 * ksyms_nm_fill_sizes() - Give symbols the sizes kallsyms reports
 * @syms: the symbols, in /proc/kallsyms (ascending address) order
 * @types: their nm letters, one for each symbol
 * @count: number of symbols
 *
 * /proc/kallsyms has no sizes; the kernel's own kallsyms lookups take a
 * symbol's size to be the distance to the next higher address, and so
 * does this.  Symbols at one address get the same size.  A symbol gets
 * size 0 if it is absolute, if nothing higher follows it, or if the next
 * different address after it is lower, where the order is broken.
 */
void ksyms_nm_fill_sizes(Elf64_Sym *syms, const char *types, u64 count)
{
	u64 i, next_higher = 0;
	bool have_next = false;

	for (i = count; i-- > 0;) {
		u64 addr = syms[i].st_value;

		syms[i].st_size = 0;
		if (i + 1 < count) {
			u64 following = syms[i + 1].st_value;

			if (following < addr) {
				have_next = false;
				continue;
			}
			if (following > addr) {
				next_higher = following;
				have_next = true;
			}
		}
		if (have_next && !ksyms_nm_is_absolute(types[i]))
			syms[i].st_size = next_higher - addr;
	}
}
