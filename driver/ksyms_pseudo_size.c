// SPDX-License-Identifier: GPL-2.0-only
/*
 * kallsyms lists no size for what it lists after the modules, but the
 * kernel's own lookup knows some: a JIT-ed BPF program's is its JIT-ed
 * length (before 5.18, the rest of its JIT image's pages;
 * __bpf_address_lookup() in kernel/bpf/core.c), and an __init
 * function ftrace kept has its own.  That is the size %pS prints after
 * the '/', and sprint_symbol(), exported, is how a module asks for it.
 * Programs are packed into shared pages with gaps between them, so the
 * distance to the next one is not their size, and the highest one has no
 * next one at all.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "ksyms_pseudo_size.h"

/**
 * ksyms_pseudo_kernel_size() - The size the kernel's lookup gives a symbol
 * @addr: the symbol's address, as kallsyms lists it
 * @name: its name, as kallsyms lists it (not NUL-terminated)
 * @namelen: the length of @name
 * @buf: %KSYMS_PSEUDO_SIZE_BUF bytes of scratch
 *
 * Takes the size sprint_symbol() prints for @addr when it names @name at
 * offset 0 there.  An address the lookup does not know (ftrace and kprobe
 * trampolines) or a program unloaded since kallsyms listed it gives none.
 *
 * Context: Process context.
 * Return: The size, or 0 if the kernel gives none for this symbol.
 */
u64 ksyms_pseudo_kernel_size(u64 addr, const char *name, u32 namelen,
			     char *buf)
{
	char *size;
	u64 value;

	sprint_symbol(buf, (unsigned long)addr);
	if (strncmp(buf, name, namelen))
		return 0;
	size = buf + namelen;
	/* "+0x0/0x4c", then " [module]" when there is one. */
	if (strncmp(size, "+0x0/", 5))
		return 0;
	size += 5;
	*strchrnul(size, ' ') = '\0';
	if (kstrtou64(size, 16, &value))
		return 0;
	return value;
}
