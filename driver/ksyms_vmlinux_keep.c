// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kept form of vmlinux's table: what the driver holds once the table
 * has been read, through every cache drop, so that an open after a drop
 * rebuilds the table from memory instead of reading /proc/kallsyms again
 * (vmlinux's symbols cannot change until reboot).
 *
 * It holds what /proc/kallsyms gave, in its order, and nothing derived:
 * restoring runs the same steps as reading (ksyms_vmlinux_assemble()), so
 * the table, and every image built from it, is the same.  Each symbol is
 * its letter; its address as a zigzag varint delta from the one before;
 * a varint naming one of three earlier names and how many of its bytes
 * begin this one; a varint count of the bytes that follow, and them.
 */
#include <linux/overflow.h>
#include <linux/string.h>

#include "ksyms_buildid.h"
#include "ksyms_debug.h"
#include "ksyms_nm.h"
#include "ksyms_vmlinux.h"
#include "ksyms_vmlinux_keep.h"

/*
 * objtool gives each function of a kernel built with call padding a
 * "__pfx_NAME" symbol at the padding just before it, so NAME follows
 * __pfx_NAME, and __pfx_NEXT follows NAME.
 */
#define KSYMS_KEEP_PFX		"__pfx_"
#define KSYMS_KEEP_PFX_LEN	(sizeof(KSYMS_KEEP_PFX) - 1)

/* What a name may begin with: a prefix of one of these. */
enum {
	KSYMS_KEEP_PREV,	/* the name before */
	KSYMS_KEEP_PREV2,	/* the one before that */
	KSYMS_KEEP_UNPFX,	/* the name before, past its "__pfx_" */
	KSYMS_KEEP_REFS,
};

#define KSYMS_KEEP_REF_BITS	2
#define KSYMS_KEEP_REF_MASK	((1U << KSYMS_KEEP_REF_BITS) - 1)

struct ksyms_vmlinux_kept {
	u64 nr_syms;
	u64 strtab_size;
	u64 size;		/* bytes in data */
	struct ksyms_build_id build_id;
	u8 data[];
};

struct ksyms_keep_name {
	const char *s;
	u64 len;
};

/* @name is the newest name: it and the two before it are the choices. */
static void ksyms_keep_shift(struct ksyms_keep_name *ref,
			     const struct ksyms_keep_name *name)
{
	ref[KSYMS_KEEP_PREV2] = ref[KSYMS_KEEP_PREV];
	ref[KSYMS_KEEP_PREV] = *name;
	ref[KSYMS_KEEP_UNPFX].s = name->s;
	ref[KSYMS_KEEP_UNPFX].len = 0;
	if (name->len >= KSYMS_KEEP_PFX_LEN &&
	    !memcmp(name->s, KSYMS_KEEP_PFX, KSYMS_KEEP_PFX_LEN)) {
		ref[KSYMS_KEEP_UNPFX].s = name->s + KSYMS_KEEP_PFX_LEN;
		ref[KSYMS_KEEP_UNPFX].len = name->len - KSYMS_KEEP_PFX_LEN;
	}
}

static u64 ksyms_keep_common(const struct ksyms_keep_name *a,
			     const struct ksyms_keep_name *b)
{
	u64 n = 0, max = min(a->len, b->len);

	while (n < max && a->s[n] == b->s[n])
		n++;
	return n;
}

/* Writes @v at @at when @out is set; returns where the next byte goes. */
static u64 ksyms_keep_put(u8 *out, u64 at, u64 v)
{
	do {
		u8 byte = v & 0x7f;

		v >>= 7;
		if (v)
			byte |= 0x80;
		if (out)
			out[at] = byte;
		at++;
	} while (v);
	return at;
}

static u64 ksyms_keep_get(const u8 *in, u64 size, u64 *at)
{
	unsigned int shift = 0;
	u64 v = 0;
	u8 byte;

	do {
		if (*at >= size || shift >= 64)
			return U64_MAX;
		byte = in[(*at)++];
		v |= (u64)(byte & 0x7f) << shift;
		shift += 7;
	} while (byte & 0x80);
	return v;
}

/* Small either way: the addresses mostly rise, now and then fall. */
static u64 ksyms_keep_zigzag(u64 delta)
{
	return (delta << 1) ^ (u64)((s64)delta >> 63);
}

static u64 ksyms_keep_unzigzag(u64 v)
{
	return (v >> 1) ^ -(v & 1);
}

/*
 * @vml's symbols in kallsyms order, encoded into @out, or only measured
 * if @out is NULL.  Returns the bytes it takes.
 */
static u64 ksyms_keep_encode(const struct ksyms_vmlinux *vml, u8 *out)
{
	struct ksyms_keep_name ref[KSYMS_KEEP_REFS] = {}, name;
	u64 nr = vml->nr_locals + vml->nr_globals;
	u64 i, at = 0, local = 0, global = vml->nr_locals, value = 0;

	for (i = 0; i < nr; i++) {
		bool is_global = vml->order[i / 8] & (1U << (i % 8));
		u64 k = is_global ? global++ : local++;
		const Elf64_Sym *sym = &vml->syms[k];
		u64 prefix = 0, len;
		u32 which = 0, r;

		name.s = vml->strtab + sym->st_name;
		name.len = strnlen(name.s, vml->strtab_size - sym->st_name);
		for (r = 0; r < KSYMS_KEEP_REFS; r++) {
			len = ksyms_keep_common(&ref[r], &name);
			if (len > prefix) {
				prefix = len;
				which = r;
			}
		}
		if (out)
			out[at] = vml->letters[k];
		at = ksyms_keep_put(out, at + 1,
				    ksyms_keep_zigzag(sym->st_value - value));
		at = ksyms_keep_put(out, at,
				    (prefix << KSYMS_KEEP_REF_BITS) | which);
		at = ksyms_keep_put(out, at, name.len - prefix);
		if (out)
			memcpy(out + at, name.s + prefix, name.len - prefix);
		at += name.len - prefix;
		value = sym->st_value;
		ksyms_keep_shift(ref, &name);
	}
	return at;
}

/**
 * ksyms_vmlinux_keep() - Make the kept form of vmlinux's table
 * @vml: the table, as ksyms_vmlinux_load() made it
 * @out: set to the kept form, on success
 *
 * Context: Process context; may sleep.
 * Return: 0 or -ENOMEM.  Free *@out with ksyms_vmlinux_kept_free().
 */
int ksyms_vmlinux_keep(const struct ksyms_vmlinux *vml,
		       struct ksyms_vmlinux_kept **out)
{
	struct ksyms_vmlinux_kept *kept;
	u64 size = ksyms_keep_encode(vml, NULL);

	kept = ksyms_kvmalloc_array(1, struct_size(kept, data, size));
	if (!kept)
		return -ENOMEM;
	kept->nr_syms = vml->nr_locals + vml->nr_globals;
	kept->strtab_size = vml->strtab_size;
	kept->size = ksyms_keep_encode(vml, kept->data);
	kept->build_id = vml->build_id;
	*out = kept;
	return 0;
}

/* Into @r, whose arrays are as large as @kept says; -ENXIO if it is not. */
static int ksyms_keep_decode(const struct ksyms_vmlinux_kept *kept,
			     struct ksyms_vmlinux_reader *r)
{
	struct ksyms_keep_name ref[KSYMS_KEEP_REFS] = {}, name;
	u64 at = 0, value = 0, head, prefix, suffix, room;
	const struct ksyms_keep_name *from;
	char *to, type;

	for (r->nr_syms = 0; r->nr_syms < kept->nr_syms; r->nr_syms++) {
		if (at >= kept->size)
			return -ENXIO;
		type = kept->data[at++];
		value += ksyms_keep_unzigzag(ksyms_keep_get(kept->data,
							    kept->size, &at));
		head = ksyms_keep_get(kept->data, kept->size, &at);
		suffix = ksyms_keep_get(kept->data, kept->size, &at);
		if ((head & KSYMS_KEEP_REF_MASK) >= KSYMS_KEEP_REFS)
			return -ENXIO;
		from = &ref[head & KSYMS_KEEP_REF_MASK];
		prefix = head >> KSYMS_KEEP_REF_BITS;
		room = kept->strtab_size - r->strtab_size;
		if (prefix > from->len ||
		    prefix >= room || suffix >= room - prefix ||
		    suffix > kept->size - at)
			return -ENXIO;
		to = r->strtab + r->strtab_size;
		memcpy(to, from->s, prefix);
		memcpy(to + prefix, kept->data + at, suffix);
		at += suffix;
		to[prefix + suffix] = '\0';
		ksyms_nm_to_sym(type, value, &r->syms[r->nr_syms]);
		r->syms[r->nr_syms].st_name = r->strtab_size;
		r->types[r->nr_syms] = type;
		r->strtab_size += prefix + suffix + 1;
		name.s = to;
		name.len = prefix + suffix;
		ksyms_keep_shift(ref, &name);
	}
	return at == kept->size && r->strtab_size == kept->strtab_size ?
	       0 : -ENXIO;
}

/**
 * ksyms_vmlinux_restore() - Make vmlinux's table again from its kept form
 * @kept: the kept form
 * @out: set to the table, on success
 *
 * Reads no file: the table is the one ksyms_vmlinux_load() made when
 * @kept was made from it, by the same steps.
 *
 * Context: Process context; may sleep.
 * Return: 0, -ENOMEM, or -ENXIO if @kept does not decode.  Free *@out
 * with ksyms_vmlinux_free().
 */
int ksyms_vmlinux_restore(const struct ksyms_vmlinux_kept *kept,
			  struct ksyms_vmlinux **out)
{
	struct ksyms_vmlinux_reader r = {};
	int err = -ENOMEM;

	r.syms = ksyms_kvmalloc_array(kept->nr_syms, sizeof(*r.syms));
	r.types = ksyms_kvmalloc_array(kept->nr_syms, 1);
	r.strtab = ksyms_kvmalloc_array(kept->strtab_size, 1);
	if (r.syms && r.types && r.strtab)
		err = ksyms_keep_decode(kept, &r);
	if (err) {
		ksyms_kvfree(r.syms);
		ksyms_kvfree(r.types);
		ksyms_kvfree(r.strtab);
		return err;
	}
	err = ksyms_vmlinux_assemble(&r, &kept->build_id, out);
	if (!err)
		ksyms_stat_inc(vmlinux_restores);
	return err;
}

/**
 * ksyms_vmlinux_kept_bytes() - What a kept form holds in memory
 * @kept: the kept form, or NULL
 *
 * Return: its bytes, or 0 for NULL.
 */
u64 ksyms_vmlinux_kept_bytes(const struct ksyms_vmlinux_kept *kept)
{
	return kept ? struct_size(kept, data, kept->size) : 0;
}

/**
 * ksyms_vmlinux_kept_free() - Free a kept form
 * @kept: the kept form, or NULL
 *
 * Context: Process context (it may free vmalloc memory).
 */
void ksyms_vmlinux_kept_free(struct ksyms_vmlinux_kept *kept)
{
	ksyms_kvfree(kept);
}
