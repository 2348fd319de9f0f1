// SPDX-License-Identifier: GPL-2.0
/*
 * Builds the /dev/ksyms ELF image: the FreeBSD header block, a symbol
 * table with locals first and, in an extended image, the notes and typed
 * sections after them.  Kernel-independent; see ksyms_elf.h.
 */
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "ksyms_elf.h"

/* FreeBSD's names, then the extended image's after its padding NUL. */
static const char ksyms_elf_shstrtab[] =
	"\0.symtab\0.strtab\0.shstrtab\0"
	"\0.ksyms.objects\0.note.gnu.build-id\0.ksyms.kallsyms\0"
	".text\0.rodata\0.data\0.bss";

#define KSYMS_SHNAME_SYMTAB	1
#define KSYMS_SHNAME_STRTAB	9
#define KSYMS_SHNAME_SHSTRTAB	17
#define KSYMS_SHNAME_OBJECTS	28
#define KSYMS_SHNAME_BUILD_IDS	43
#define KSYMS_SHNAME_KALLSYMS	62
#define KSYMS_SHNAME_TEXT	78
#define KSYMS_SHNAME_RODATA	84
#define KSYMS_SHNAME_DATA	92
#define KSYMS_SHNAME_BSS	98
/* sizeof counts the array's own final NUL, which ends ".bss". */
#define KSYMS_ELF_SHSTRTAB_EXT_SIZE	sizeof(ksyms_elf_shstrtab)

#define KSYMS_ELF_NOTE_ALIGN	4
#define KSYMS_ELF_OBJECTS_ALIGN	8
#define KSYMS_ELF_SHDR_ALIGN	8
/* e_shnum and st_shndx must stay below the reserved indices. */
#define KSYMS_ELF_MAX_SECTIONS	(SHN_LORESERVE - KSYMS_SHN_FIRST_TYPED)

/* The flags nm reads each kind's letter from. */
static const struct {
	u32 name;
	u32 type;
	u64 flags;
} ksyms_elf_kinds[KSYMS_NR_KINDS] = {
	[KSYMS_KIND_TEXT] = { KSYMS_SHNAME_TEXT, SHT_PROGBITS,
			      SHF_ALLOC | SHF_EXECINSTR },
	[KSYMS_KIND_RODATA] = { KSYMS_SHNAME_RODATA, SHT_PROGBITS, SHF_ALLOC },
	[KSYMS_KIND_DATA] = { KSYMS_SHNAME_DATA, SHT_PROGBITS,
			      SHF_ALLOC | SHF_WRITE },
	[KSYMS_KIND_BSS] = { KSYMS_SHNAME_BSS, SHT_NOBITS,
			     SHF_ALLOC | SHF_WRITE },
};

static u64 ksyms_elf_align(u64 x, u64 align)
{
	return (x + align - 1) & ~(align - 1);
}

bool ksyms_elf_is_local(const Elf64_Sym *sym)
{
	return ELF64_ST_BIND(sym->st_info) == STB_LOCAL;
}

static u64 ksyms_elf_symtab_size(const struct ksyms_elf_layout *layout)
{
	return (layout->nr_locals + layout->nr_globals) * sizeof(Elf64_Sym);
}

static bool ksyms_elf_extended(const struct ksyms_elf_layout *layout)
{
	return layout->nr_objects || layout->build_ids_size ||
	       layout->nr_sections;
}

static u64 ksyms_elf_strtab_offset(const struct ksyms_elf_layout *layout)
{
	return KSYMS_ELF_SYMTAB_OFFSET + ksyms_elf_symtab_size(layout);
}

static u64 ksyms_elf_strtab_end(const struct ksyms_elf_layout *layout)
{
	return ksyms_elf_strtab_offset(layout) + layout->strtab_size;
}

/* The extended image's parts, in file order after the string table. */
static u64 ksyms_elf_objects_offset(const struct ksyms_elf_layout *layout)
{
	return ksyms_elf_align(ksyms_elf_strtab_end(layout),
			       KSYMS_ELF_OBJECTS_ALIGN);
}

static u64 ksyms_elf_build_ids_offset(const struct ksyms_elf_layout *layout)
{
	return ksyms_elf_objects_offset(layout) +
	       layout->nr_objects * sizeof(struct ksyms_object);
}

/* .ksyms.kallsyms: a letter for every symbol, then the order bitmap. */
static u64 ksyms_elf_kallsyms_offset(const struct ksyms_elf_layout *layout)
{
	return ksyms_elf_build_ids_offset(layout) + layout->build_ids_size;
}

static u64 ksyms_elf_nr_syms(const struct ksyms_elf_layout *layout)
{
	return layout->nr_locals + layout->nr_globals;
}

/* The order bitmap, after a letter for each symbol. */
static u64 ksyms_elf_order_offset(const struct ksyms_elf_layout *layout)
{
	return ksyms_elf_kallsyms_offset(layout) + ksyms_elf_nr_syms(layout);
}

static u64 ksyms_elf_kallsyms_size(const struct ksyms_elf_layout *layout)
{
	/* The null symbol has a letter (0) but no place in the order. */
	return ksyms_elf_nr_syms(layout) +
	       ksyms_elf_align(ksyms_elf_nr_syms(layout) - 1, 8) / 8;
}

static u64 ksyms_elf_shstrtab_offset(const struct ksyms_elf_layout *layout)
{
	return ksyms_elf_kallsyms_offset(layout) +
	       ksyms_elf_kallsyms_size(layout);
}

static u64 ksyms_elf_zero_offset(const struct ksyms_elf_layout *layout)
{
	return ksyms_elf_align(ksyms_elf_shstrtab_offset(layout) +
			       KSYMS_ELF_SHSTRTAB_EXT_SIZE,
			       KSYMS_ELF_SHDR_ALIGN);
}

static u64 ksyms_elf_shoff(const struct ksyms_elf_layout *layout)
{
	if (!ksyms_elf_extended(layout))
		return KSYMS_ELF_SHOFF;
	return ksyms_elf_align(ksyms_elf_zero_offset(layout) +
			       layout->zero_size, KSYMS_ELF_SHDR_ALIGN);
}

static u64 ksyms_elf_shnum(const struct ksyms_elf_layout *layout)
{
	if (!ksyms_elf_extended(layout))
		return KSYMS_SHN_COUNT;
	return KSYMS_SHN_FIRST_TYPED + layout->nr_sections;
}

u64 ksyms_elf_image_size(const struct ksyms_elf_layout *layout)
{
	/*
	 * sh_info (one past the last local) and st_name are Elf64_Words; the
	 * other counts only have to keep the sums below 2^62.
	 */
	const u64 max_locals = U32_MAX;
	const u64 max_syms = 1ULL << 56;
	const u64 max_str = (u64)U32_MAX + 1;
	const u64 max_bytes = 1ULL << 56;

	if (layout->nr_locals < 1 || layout->strtab_size < 1 ||
	    layout->nr_locals > max_locals || layout->nr_globals > max_syms ||
	    layout->strtab_size > max_str ||
	    layout->nr_sections > KSYMS_ELF_MAX_SECTIONS ||
	    layout->nr_objects > max_syms ||
	    layout->build_ids_size > max_bytes ||
	    layout->build_ids_size % KSYMS_ELF_NOTE_ALIGN ||
	    layout->zero_size > max_bytes ||
	    layout->nobits_size > max_bytes)
		return 0;
	if (!ksyms_elf_extended(layout))
		return ksyms_elf_strtab_end(layout);
	return ksyms_elf_shoff(layout) +
	       ksyms_elf_shnum(layout) * sizeof(Elf64_Shdr);
}

static void ksyms_elf_write_ehdr(Elf64_Ehdr *ehdr,
				 const struct ksyms_elf_layout *layout,
				 u16 machine, u8 data)
{
	memset(ehdr, 0, sizeof(*ehdr));
	memcpy(ehdr->e_ident, ELFMAG, SELFMAG);
	ehdr->e_ident[EI_CLASS] = ELFCLASS64;
	ehdr->e_ident[EI_DATA] = data;
	ehdr->e_ident[EI_VERSION] = EV_CURRENT;
	ehdr->e_ident[EI_OSABI] = ELFOSABI_NONE;
	ehdr->e_type = ET_EXEC;
	ehdr->e_machine = machine;
	ehdr->e_version = EV_CURRENT;
	ehdr->e_phoff = KSYMS_ELF_PHOFF;
	ehdr->e_shoff = ksyms_elf_shoff(layout);
	ehdr->e_ehsize = sizeof(Elf64_Ehdr);
	ehdr->e_phentsize = sizeof(Elf64_Phdr);
	ehdr->e_phnum = KSYMS_PHDR_COUNT;
	ehdr->e_shentsize = sizeof(Elf64_Shdr);
	ehdr->e_shnum = ksyms_elf_shnum(layout);
	ehdr->e_shstrndx = KSYMS_SHN_SHSTRTAB;
}

/*
 * FreeBSD's two program headers, empty but for their flags.  They are
 * PT_NULL rather than FreeBSD's PT_LOAD: a loadable segment that claims to
 * be executable yet holds nothing is an error to eu-elflint, and nothing
 * in the image is to be loaded.
 *
 * In an extended image the second one is a PT_LOAD over the zero run and
 * the NOBITS sections after it: the gABI wants every SHF_ALLOC section in
 * a loadable segment, and SHF_ALLOC is what makes nm type a symbol from
 * its section.  Its contents are zeros; see docs/image-format.md.
 */
static void ksyms_elf_write_phdrs(Elf64_Phdr *phdr,
				  const struct ksyms_elf_layout *layout)
{
	Elf64_Phdr *data = &phdr[KSYMS_PHDR_DATA];

	memset(phdr, 0, KSYMS_PHDR_COUNT * sizeof(*phdr));
	phdr[KSYMS_PHDR_TEXT].p_type = PT_NULL;
	phdr[KSYMS_PHDR_TEXT].p_flags = PF_R | PF_X;
	data->p_type = PT_NULL;
	data->p_flags = PF_R | PF_W | PF_X;
	if (layout->nr_sections) {
		data->p_type = PT_LOAD;
		data->p_offset = ksyms_elf_zero_offset(layout);
		data->p_filesz = layout->zero_size;
		data->p_memsz = layout->zero_size + layout->nobits_size;
	}
}

/* FreeBSD's four section headers, which the extended table starts with. */
static void ksyms_elf_write_shdrs(Elf64_Shdr *shdr,
				  const struct ksyms_elf_layout *layout)
{
	Elf64_Shdr *symtab = &shdr[KSYMS_SHN_SYMTAB];
	Elf64_Shdr *strtab = &shdr[KSYMS_SHN_STRTAB];
	Elf64_Shdr *shstrtab = &shdr[KSYMS_SHN_SHSTRTAB];

	memset(shdr, 0, KSYMS_SHN_COUNT * sizeof(*shdr));

	symtab->sh_name = KSYMS_SHNAME_SYMTAB;
	symtab->sh_type = SHT_SYMTAB;
	symtab->sh_offset = KSYMS_ELF_SYMTAB_OFFSET;
	symtab->sh_size = ksyms_elf_symtab_size(layout);
	symtab->sh_link = KSYMS_SHN_STRTAB;
	symtab->sh_info = layout->nr_locals;
	symtab->sh_addralign = KSYMS_ELF_SYMTAB_ALIGN;
	symtab->sh_entsize = sizeof(Elf64_Sym);

	strtab->sh_name = KSYMS_SHNAME_STRTAB;
	strtab->sh_type = SHT_STRTAB;
	strtab->sh_offset = symtab->sh_offset + symtab->sh_size;
	strtab->sh_size = layout->strtab_size;
	strtab->sh_addralign = 1;

	/* FreeBSD leaves sh_addralign 0 here; the gABI reads 0 as "none". */
	shstrtab->sh_name = KSYMS_SHNAME_SHSTRTAB;
	shstrtab->sh_type = SHT_STRTAB;
	shstrtab->sh_offset = KSYMS_ELF_SHSTRTAB_OFFSET;
	shstrtab->sh_size = KSYMS_ELF_SHSTRTAB_SIZE;
}

/*
 * The extended image's section header table: FreeBSD's four with .shstrtab
 * moved to the full names, then the object table and the build ID notes.
 * The typed sections' headers are the caller's (ksyms_elf_write_sections()).
 */
static void ksyms_elf_write_ext_shdrs(char *base,
				      const struct ksyms_elf_layout *layout)
{
	Elf64_Shdr *shdr = (Elf64_Shdr *)(base + ksyms_elf_shoff(layout));
	Elf64_Shdr *objects = &shdr[KSYMS_SHN_OBJECTS];
	Elf64_Shdr *build_ids = &shdr[KSYMS_SHN_BUILD_IDS];
	Elf64_Shdr *kallsyms = &shdr[KSYMS_SHN_KALLSYMS];

	ksyms_elf_write_shdrs(shdr, layout);
	shdr[KSYMS_SHN_SHSTRTAB].sh_offset = ksyms_elf_shstrtab_offset(layout);
	shdr[KSYMS_SHN_SHSTRTAB].sh_size = KSYMS_ELF_SHSTRTAB_EXT_SIZE;

	memset(objects, 0, 3 * sizeof(*objects));
	objects->sh_name = KSYMS_SHNAME_OBJECTS;
	objects->sh_type = SHT_PROGBITS;
	objects->sh_offset = ksyms_elf_objects_offset(layout);
	objects->sh_size = layout->nr_objects * sizeof(struct ksyms_object);
	objects->sh_addralign = KSYMS_ELF_OBJECTS_ALIGN;
	objects->sh_entsize = sizeof(struct ksyms_object);

	build_ids->sh_name = KSYMS_SHNAME_BUILD_IDS;
	build_ids->sh_type = SHT_NOTE;
	build_ids->sh_offset = ksyms_elf_build_ids_offset(layout);
	build_ids->sh_size = layout->build_ids_size;
	build_ids->sh_addralign = KSYMS_ELF_NOTE_ALIGN;

	kallsyms->sh_name = KSYMS_SHNAME_KALLSYMS;
	kallsyms->sh_type = SHT_PROGBITS;
	kallsyms->sh_offset = ksyms_elf_kallsyms_offset(layout);
	kallsyms->sh_size = ksyms_elf_kallsyms_size(layout);
	kallsyms->sh_addralign = 1;

	memcpy(base + ksyms_elf_shstrtab_offset(layout), ksyms_elf_shstrtab,
	       KSYMS_ELF_SHSTRTAB_EXT_SIZE);
}

void ksyms_elf_write_headers(void *image, const struct ksyms_elf_layout *layout,
			     u16 machine, u8 data)
{
	char *base = image;
	u64 end = ksyms_elf_strtab_end(layout);

	memset(base, 0, KSYMS_ELF_SYMTAB_OFFSET);
	ksyms_elf_write_ehdr((Elf64_Ehdr *)base, layout, machine, data);
	ksyms_elf_write_phdrs((Elf64_Phdr *)(base + KSYMS_ELF_PHOFF), layout);
	ksyms_elf_write_shdrs((Elf64_Shdr *)(base + KSYMS_ELF_SHOFF), layout);
	memcpy(base + KSYMS_ELF_SHSTRTAB_OFFSET, ksyms_elf_shstrtab,
	       KSYMS_ELF_SHSTRTAB_SIZE);
	if (!ksyms_elf_extended(layout))
		return;
	/* The padding, the zero run and the headers not written here. */
	memset(base + end, 0, ksyms_elf_image_size(layout) - end);
	ksyms_elf_write_ext_shdrs(base, layout);
}

struct ksyms_object *ksyms_elf_objects(void *image,
				       const struct ksyms_elf_layout *layout)
{
	return (struct ksyms_object *)((char *)image +
				       ksyms_elf_objects_offset(layout));
}

void *ksyms_elf_build_ids(void *image, const struct ksyms_elf_layout *layout)
{
	return (char *)image + ksyms_elf_build_ids_offset(layout);
}

static Elf64_Shdr *ksyms_elf_shdrs(void *image,
				   const struct ksyms_elf_layout *layout)
{
	return (Elf64_Shdr *)((char *)image + ksyms_elf_shoff(layout));
}

static void ksyms_elf_write_section(Elf64_Shdr *shdr,
				    const struct ksyms_elf_layout *layout,
				    const struct ksyms_typed_section *sec)
{
	u64 zero = ksyms_elf_zero_offset(layout);
	u32 kind = sec->kind < KSYMS_NR_KINDS ? sec->kind : KSYMS_KIND_DATA;

	memset(shdr, 0, sizeof(*shdr));
	shdr->sh_name = ksyms_elf_kinds[kind].name;
	shdr->sh_type = ksyms_elf_kinds[kind].type;
	shdr->sh_flags = ksyms_elf_kinds[kind].flags;
	shdr->sh_addr = sec->addr;
	/* PROGBITS read the zero run; NOBITS start where it ends. */
	shdr->sh_offset = shdr->sh_type == SHT_NOBITS ?
			  zero + layout->zero_size : zero;
	shdr->sh_size = sec->size;
	shdr->sh_addralign = 1;
}

/* What ksyms_elf_write_section() was given for @shdr. */
static struct ksyms_typed_section ksyms_elf_section_of(const Elf64_Shdr *shdr)
{
	struct ksyms_typed_section sec = {
		.addr = shdr->sh_addr,
		.size = shdr->sh_size,
		.kind = KSYMS_KIND_DATA,
	};
	u32 kind;

	for (kind = 0; kind < KSYMS_NR_KINDS; kind++)
		if (shdr->sh_name == ksyms_elf_kinds[kind].name)
			sec.kind = kind;
	return sec;
}

void ksyms_elf_write_sections(void *image,
			      const struct ksyms_elf_layout *layout,
			      u64 first, const struct ksyms_typed_section *secs,
			      u64 n)
{
	Elf64_Shdr *shdr = ksyms_elf_shdrs(image, layout) +
			   KSYMS_SHN_FIRST_TYPED + first;
	u64 i;

	for (i = 0; i < n; i++)
		ksyms_elf_write_section(&shdr[i], layout, &secs[i]);
}

void ksyms_elf_chunker_init(struct ksyms_elf_chunker *c,
			    struct ksyms_typed_section *out, u64 cap,
			    u64 max_span)
{
	memset(c, 0, sizeof(*c));
	c->out = out;
	c->cap = cap;
	c->max_span = max_span;
}

static void ksyms_elf_chunker_close(struct ksyms_elf_chunker *c, u32 kind)
{
	struct ksyms_typed_section *cur = &c->cur[kind];
	u64 *largest;

	if (!c->open[kind])
		return;
	largest = kind == KSYMS_KIND_BSS ? &c->nobits_size : &c->zero_size;
	if (cur->size > *largest)
		*largest = cur->size;
	if (c->out && c->ordinal[kind] < c->cap)
		c->out[c->ordinal[kind]] = *cur;
	c->open[kind] = false;
}

u64 ksyms_elf_chunker_add(struct ksyms_elf_chunker *c, u32 kind, u64 addr,
			  u64 end)
{
	struct ksyms_typed_section *cur = &c->cur[kind];
	u64 lo, hi;

	if (end < addr)
		end = addr;
	if (c->open[kind]) {
		lo = addr < cur->addr ? addr : cur->addr;
		hi = end > cur->addr + cur->size ? end : cur->addr + cur->size;
		if (hi - lo <= c->max_span) {
			cur->addr = lo;
			cur->size = hi - lo;
			return c->ordinal[kind];
		}
	}
	ksyms_elf_chunker_close(c, kind);
	cur->addr = addr;
	cur->size = end - addr;
	cur->kind = kind;
	c->open[kind] = true;
	c->ordinal[kind] = c->nr;
	return c->nr++;
}

void ksyms_elf_chunker_finish(struct ksyms_elf_chunker *c)
{
	u32 kind;

	for (kind = 0; kind < KSYMS_NR_KINDS; kind++)
		ksyms_elf_chunker_close(c, kind);
}

u16 ksyms_elf_place(struct ksyms_elf_chunker *c, const Elf64_Sym *sym,
		    u32 kind, u64 first_shndx)
{
	u64 end = sym->st_value + sym->st_size;

	if (kind >= KSYMS_NR_KINDS || end < sym->st_value)
		return SHN_ABS;
	/*
	 * The zero run is as long as the widest PROGBITS section.  kallsyms'
	 * sizes run to the next symbol, so a symbol before a gap can be
	 * megabytes wide: such a symbol stays absolute (nm prints A or a
	 * for it) rather than make every image that much longer.
	 */
	if (kind != KSYMS_KIND_BSS && sym->st_size > c->max_span)
		return SHN_ABS;
	return first_shndx + ksyms_elf_chunker_add(c, kind, sym->st_value,
						   end);
}

void ksyms_elf_writer_init(struct ksyms_elf_writer *w, void *image,
			   const struct ksyms_elf_layout *layout)
{
	char *base = image;

	w->symtab = (Elf64_Sym *)(base + KSYMS_ELF_SYMTAB_OFFSET);
	w->next_local = 1;
	w->end_local = layout->nr_locals;
	w->next_global = layout->nr_locals;
	w->end_global = layout->nr_locals + layout->nr_globals;
	w->strtab = base + ksyms_elf_strtab_offset(layout);
	w->next_str = 1;
	w->end_str = layout->strtab_size;
	memset(&w->symtab[0], 0, sizeof(w->symtab[0]));
	w->strtab[0] = '\0';
}

static Elf64_Sym *ksyms_elf_take_slot(struct ksyms_elf_writer *w, bool local)
{
	if (local)
		return w->next_local < w->end_local ?
		       &w->symtab[w->next_local++] : NULL;
	return w->next_global < w->end_global ?
	       &w->symtab[w->next_global++] : NULL;
}

int ksyms_elf_add(struct ksyms_elf_writer *w, const Elf64_Sym *sym,
		  const char *name, u64 namelen)
{
	Elf64_Sym *slot;

	if (namelen >= w->end_str - w->next_str)
		return -ENOSPC;
	slot = ksyms_elf_take_slot(w, ksyms_elf_is_local(sym));
	if (!slot)
		return -ENOSPC;
	*slot = *sym;
	slot->st_name = w->next_str;
	memcpy(w->strtab + w->next_str, name, namelen);
	w->strtab[w->next_str + namelen] = '\0';
	w->next_str += namelen + 1;
	return 0;
}

/*
 * Copies @count symbols whose names start at @old_base of their string
 * table to where the names were copied, @new_base of the image's.
 */
static void ksyms_elf_copy_rebased(Elf64_Sym *dst, const Elf64_Sym *src,
				   u64 count, u64 old_base, u64 new_base)
{
	/* st_name is 32 bits: the shift wraps as it does. */
	u32 shift = (u32)(new_base - old_base);
	u64 i;

	if (!count)	/* src may be NULL then */
		return;
	memcpy(dst, src, count * sizeof(*dst));
	if (!shift)
		return;
	for (i = 0; i < count; i++)
		dst[i].st_name += shift;
}

/* ksyms_elf_add_object() for names that start at @old_base, not 0. */
static int ksyms_elf_append(struct ksyms_elf_writer *w,
			    const Elf64_Sym *locals, u64 nr_locals,
			    const Elf64_Sym *globals, u64 nr_globals,
			    const char *strtab, u64 strtab_size, u64 old_base)
{
	u64 new_base = w->next_str;

	if (nr_locals > w->end_local - w->next_local ||
	    nr_globals > w->end_global - w->next_global ||
	    strtab_size > w->end_str - w->next_str)
		return -ENOSPC;
	if (strtab_size)
		memcpy(w->strtab + new_base, strtab, strtab_size);
	w->next_str += strtab_size;
	ksyms_elf_copy_rebased(&w->symtab[w->next_local], locals, nr_locals,
			       old_base, new_base);
	w->next_local += nr_locals;
	ksyms_elf_copy_rebased(&w->symtab[w->next_global], globals, nr_globals,
			       old_base, new_base);
	w->next_global += nr_globals;
	return 0;
}

/*
 * Appends a whole object whose symbols are already split by binding and
 * whose st_name values index @strtab.  No name is checked against
 * @strtab_size here: the caller built both.
 */
int ksyms_elf_add_object(struct ksyms_elf_writer *w,
			 const Elf64_Sym *locals, u64 nr_locals,
			 const Elf64_Sym *globals, u64 nr_globals,
			 const char *strtab, u64 strtab_size)
{
	return ksyms_elf_append(w, locals, nr_locals, globals, nr_globals,
				strtab, strtab_size, 0);
}

bool ksyms_elf_writer_complete(const struct ksyms_elf_writer *w)
{
	return w->next_local == w->end_local &&
	       w->next_global == w->end_global && w->next_str == w->end_str;
}

void ksyms_elf_cursor_init(struct ksyms_elf_cursor *at, void *image,
			   const struct ksyms_elf_layout *layout)
{
	at->image = image;
	at->layout = layout;
	ksyms_elf_writer_init(&at->w, image, layout);
	at->next_section = 0;
	at->next_object = ksyms_elf_objects(image, layout);
	at->next_build_id = ksyms_elf_build_ids(image, layout);
	/* Worked out once: every symbol of every object writes both. */
	at->letters = (char *)image + ksyms_elf_kallsyms_offset(layout);
	at->order = (u8 *)image + ksyms_elf_order_offset(layout);
	at->next_order = 0;
}

/* The order bitmap starts zeroed (ksyms_elf_write_headers()). */
static void ksyms_elf_order_add(struct ksyms_elf_cursor *at, bool global)
{
	u64 bit = at->next_order++;

	if (global)
		at->order[bit / 8] |= 1U << (bit % 8);
}

/*
 * Appends @nbits bits of @order from bit @first: whole bytes when both
 * sides start on one.
 */
static void ksyms_elf_order_append(struct ksyms_elf_cursor *at,
				   const u8 *order, u64 first, u64 nbits)
{
	u64 i = 0, bit;

	if (at->next_order % 8 == 0 && first % 8 == 0) {
		memcpy(at->order + at->next_order / 8, order + first / 8,
		       nbits / 8);
		i = nbits / 8 * 8;
		at->next_order += i;
	}
	for (; i < nbits; i++) {
		bit = first + i;
		ksyms_elf_order_add(at, order[bit / 8] & (1U << (bit % 8)));
	}
}

int ksyms_elf_cursor_add(struct ksyms_elf_cursor *at, const Elf64_Sym *sym,
			 const char *name, u64 namelen, char letter)
{
	bool local = ksyms_elf_is_local(sym);
	u64 slot = local ? at->w.next_local : at->w.next_global;
	int err = ksyms_elf_add(&at->w, sym, name, namelen);

	if (err)
		return err;
	at->letters[slot] = letter;
	ksyms_elf_order_add(at, !local);
	return 0;
}

int ksyms_elf_cursor_add_object(struct ksyms_elf_cursor *at,
				const Elf64_Sym *locals, u64 nr_locals,
				const Elf64_Sym *globals, u64 nr_globals,
				const char *strtab, u64 strtab_size,
				const char *letters, const u8 *order)
{
	u64 first_local = at->w.next_local;
	u64 first_global = at->w.next_global;
	int err;

	err = ksyms_elf_add_object(&at->w, locals, nr_locals, globals,
				   nr_globals, strtab, strtab_size);
	if (err)
		return err;
	if (nr_locals)
		memcpy(at->letters + first_local, letters, nr_locals);
	if (nr_globals)
		memcpy(at->letters + first_global, letters + nr_locals,
		       nr_globals);
	ksyms_elf_order_append(at, order, 0, nr_locals + nr_globals);
	return 0;
}

u64 ksyms_elf_cursor_shndx(const struct ksyms_elf_cursor *at)
{
	return KSYMS_SHN_FIRST_TYPED + at->next_section;
}

struct ksyms_object *ksyms_elf_object_begin(struct ksyms_elf_cursor *at,
					    const char *name)
{
	struct ksyms_object *obj = at->next_object;
	size_t len = strnlen(name, sizeof(obj->name) - 1);

	if ((u64)(obj - ksyms_elf_objects(at->image, at->layout)) >=
	    at->layout->nr_objects)
		return NULL;
	at->next_object++;
	memset(obj, 0, sizeof(*obj));
	memcpy(obj->name, name, len);
	obj->first_local = at->w.next_local;
	obj->first_global = at->w.next_global;
	obj->first_section = ksyms_elf_cursor_shndx(at);
	return obj;
}

u64 ksyms_elf_build_id_note_size(u32 build_id_size)
{
	static const char gnu[] = "GNU";

	return build_id_size ? ksyms_elf_note_size(sizeof(gnu), build_id_size) :
	       0;
}

static void ksyms_elf_object_span(struct ksyms_object *obj,
				  const struct ksyms_typed_section *secs,
				  u64 n)
{
	u64 lo = U64_MAX, hi = 0, i;

	for (i = 0; i < n; i++) {
		if (secs[i].addr < lo)
			lo = secs[i].addr;
		if (secs[i].addr + secs[i].size > hi)
			hi = secs[i].addr + secs[i].size;
	}
	if (n) {
		obj->base = lo;
		obj->size = hi - lo;
	}
}

/* -ENOSPC unless the layout has room for an object's sections and note. */
static int ksyms_elf_object_room(const struct ksyms_elf_cursor *at,
				 u64 nr_secs, u32 build_id_size)
{
	const struct ksyms_elf_layout *layout = at->layout;
	u64 note = ksyms_elf_build_id_note_size(build_id_size);
	char *notes_end = (char *)ksyms_elf_build_ids(at->image, layout) +
			  layout->build_ids_size;

	if (nr_secs > layout->nr_sections - at->next_section ||
	    build_id_size > KSYMS_OBJECT_BUILD_ID_MAX ||
	    note > (u64)(notes_end - (char *)at->next_build_id))
		return -ENOSPC;
	return 0;
}

/* The record's counts and build ID, once its sections are written. */
static void ksyms_elf_object_close(struct ksyms_elf_cursor *at,
				   struct ksyms_object *obj, u64 nr_secs,
				   const u8 *build_id, u32 build_id_size)
{
	obj->nr_locals = at->w.next_local - obj->first_local;
	obj->nr_globals = at->w.next_global - obj->first_global;
	obj->nr_sections = nr_secs;
	at->next_section += nr_secs;
	if (build_id_size) {
		memcpy(obj->build_id, build_id, build_id_size);
		obj->build_id_size = build_id_size;
		at->next_build_id = ksyms_elf_note_write(at->next_build_id,
							 "GNU", NT_GNU_BUILD_ID,
							 build_id,
							 build_id_size);
	}
}

int ksyms_elf_object_end(struct ksyms_elf_cursor *at, struct ksyms_object *obj,
			 const struct ksyms_typed_section *secs, u64 nr_secs,
			 const u8 *build_id, u32 build_id_size)
{
	int err = ksyms_elf_object_room(at, nr_secs, build_id_size);

	if (err)
		return err;
	ksyms_elf_object_span(obj, secs, nr_secs);
	ksyms_elf_write_sections(at->image, at->layout, at->next_section, secs,
				 nr_secs);
	ksyms_elf_object_close(at, obj, nr_secs, build_id, build_id_size);
	return 0;
}

static const struct ksyms_object *
ksyms_elf_source_object(const struct ksyms_elf_source *from, u64 index)
{
	return ksyms_elf_objects((void *)from->image, from->layout) + index;
}

static const Elf64_Sym *ksyms_elf_source_syms(const struct ksyms_elf_source *from)
{
	return (const Elf64_Sym *)((const char *)from->image +
				   KSYMS_ELF_SYMTAB_OFFSET);
}

static const char *ksyms_elf_source_strtab(const struct ksyms_elf_source *from)
{
	return (const char *)from->image +
	       ksyms_elf_strtab_offset(from->layout);
}

/* Widens [*lo, *last] to the st_name values of @n symbols. */
static void ksyms_elf_names_span(const Elf64_Sym *syms, u64 n, u64 *lo,
				 u64 *last)
{
	u64 i;

	for (i = 0; i < n; i++) {
		if (syms[i].st_name < *lo)
			*lo = syms[i].st_name;
		if (syms[i].st_name > *last)
			*last = syms[i].st_name;
	}
}

/*
 * An object's names lie together in the string table, since its symbols
 * were added one after another: [*first, *first + *size).
 */
static void ksyms_elf_object_names(const struct ksyms_elf_source *from,
				   const struct ksyms_object *obj, u64 *first,
				   u64 *size)
{
	const Elf64_Sym *syms = ksyms_elf_source_syms(from);
	const char *strtab = ksyms_elf_source_strtab(from);
	u64 lo = U64_MAX, last = 0;

	ksyms_elf_names_span(syms + obj->first_local, obj->nr_locals, &lo,
			     &last);
	ksyms_elf_names_span(syms + obj->first_global, obj->nr_globals, &lo,
			     &last);
	*first = 0;
	*size = 0;
	if (lo > last)
		return;
	*first = lo;
	*size = last - lo + strnlen(strtab + last,
				    from->layout->strtab_size - last) + 1;
}

void ksyms_elf_object_needs(const struct ksyms_elf_source *from, u64 index,
			    struct ksyms_elf_layout *needs)
{
	const struct ksyms_object *obj = ksyms_elf_source_object(from, index);
	const Elf64_Shdr *shdr = ksyms_elf_shdrs((void *)from->image,
						 from->layout);
	u64 first_str, i;

	memset(needs, 0, sizeof(*needs));
	needs->nr_locals = obj->nr_locals;
	needs->nr_globals = obj->nr_globals;
	ksyms_elf_object_names(from, obj, &first_str, &needs->strtab_size);
	needs->nr_objects = 1;
	needs->build_ids_size =
		ksyms_elf_build_id_note_size(obj->build_id_size);
	needs->nr_sections = obj->nr_sections;
	for (i = obj->first_section;
	     i < obj->first_section + obj->nr_sections; i++) {
		u64 *largest = shdr[i].sh_type == SHT_NOBITS ?
			       &needs->nobits_size : &needs->zero_size;

		if (shdr[i].sh_size > *largest)
			*largest = shdr[i].sh_size;
	}
}

/* Moves st_shndx of the @n symbols at @syms from one section run to another. */
static void ksyms_elf_move_shndx(Elf64_Sym *syms, u64 n, u64 old_first,
				 u64 nr_secs, u64 new_first)
{
	u64 i;

	for (i = 0; i < n; i++)
		if (syms[i].st_shndx >= old_first &&
		    syms[i].st_shndx < old_first + nr_secs)
			syms[i].st_shndx += new_first - old_first;
}

int ksyms_elf_cursor_copy_object(struct ksyms_elf_cursor *at,
				 const struct ksyms_elf_source *from,
				 u64 index)
{
	const struct ksyms_elf_layout *old_layout = from->layout;
	const struct ksyms_object *old;
	const Elf64_Shdr *old_shdr;
	const char *old_letters;
	const u8 *old_order;
	u64 first_str, str_size, old_bit, first_local, first_global, shndx, i;
	struct ksyms_object *obj;
	Elf64_Shdr *shdr;
	int err;

	if (index >= old_layout->nr_objects)
		return -EINVAL;
	old = ksyms_elf_source_object(from, index);
	old_shdr = ksyms_elf_shdrs((void *)from->image, old_layout) +
		   old->first_section;
	old_letters = (const char *)from->image +
		      ksyms_elf_kallsyms_offset(old_layout);
	old_order = (const u8 *)from->image +
		    ksyms_elf_order_offset(old_layout);
	/* Objects before it took their symbols from both regions in turn. */
	old_bit = old->first_local - 1 + old->first_global -
		  old_layout->nr_locals;

	obj = ksyms_elf_object_begin(at, old->name);
	if (!obj)
		return -ENOSPC;
	obj->flags = old->flags;
	err = ksyms_elf_object_room(at, old->nr_sections, old->build_id_size);
	if (err)
		return err;
	first_local = at->w.next_local;
	first_global = at->w.next_global;
	shndx = ksyms_elf_cursor_shndx(at);
	ksyms_elf_object_names(from, old, &first_str, &str_size);
	err = ksyms_elf_append(&at->w, ksyms_elf_source_syms(from) +
				       old->first_local, old->nr_locals,
			       ksyms_elf_source_syms(from) + old->first_global,
			       old->nr_globals,
			       ksyms_elf_source_strtab(from) + first_str,
			       str_size, first_str);
	if (err)
		return err;
	ksyms_elf_move_shndx(&at->w.symtab[first_local], old->nr_locals,
			     old->first_section, old->nr_sections, shndx);
	ksyms_elf_move_shndx(&at->w.symtab[first_global], old->nr_globals,
			     old->first_section, old->nr_sections, shndx);
	memcpy(at->letters + first_local, old_letters + old->first_local,
	       old->nr_locals);
	memcpy(at->letters + first_global, old_letters + old->first_global,
	       old->nr_globals);
	ksyms_elf_order_append(at, old_order, old_bit,
			       old->nr_locals + old->nr_globals);

	shdr = ksyms_elf_shdrs(at->image, at->layout) + shndx;
	for (i = 0; i < old->nr_sections; i++) {
		struct ksyms_typed_section sec =
			ksyms_elf_section_of(&old_shdr[i]);

		ksyms_elf_write_section(&shdr[i], at->layout, &sec);
	}
	obj->base = old->base;
	obj->size = old->size;
	ksyms_elf_object_close(at, obj, old->nr_sections, old->build_id,
			       old->build_id_size);
	return 0;
}

int ksyms_elf_find_build_id(const void *notes, u64 size, const u8 **id,
			    u32 *id_size)
{
	static const char gnu[] = "GNU";
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
		    nhdr.n_namesz == sizeof(gnu) &&
		    !memcmp(p + name, gnu, sizeof(gnu)) && nhdr.n_descsz) {
			*id = (const u8 *)p + desc;
			*id_size = nhdr.n_descsz;
			return 0;
		}
		at = next;
	}
	return -ENOENT;
}

u64 ksyms_elf_note_size(u64 namesz, u64 descsz)
{
	return sizeof(Elf64_Nhdr) + ksyms_elf_align(namesz, KSYMS_ELF_NOTE_ALIGN) +
	       ksyms_elf_align(descsz, KSYMS_ELF_NOTE_ALIGN);
}

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

static bool ksyms_elf_within(u64 offset, u64 len, u64 size)
{
	return offset <= size && len <= size - offset;
}

int ksyms_elf_find_tables(const void *image, u64 size,
			  struct ksyms_elf_tables *tables)
{
	const char *base = image;
	const Elf64_Ehdr *ehdr = image;
	const Elf64_Shdr *shdr, *symtab, *strtab;

	if (size < sizeof(*ehdr) || ehdr->e_shnum < KSYMS_SHN_COUNT ||
	    ehdr->e_shentsize != sizeof(*shdr) ||
	    !ksyms_elf_within(ehdr->e_shoff, ehdr->e_shnum * sizeof(*shdr),
			      size) || ehdr->e_shoff % sizeof(u64))
		return -EINVAL;
	shdr = (const Elf64_Shdr *)(base + ehdr->e_shoff);
	symtab = &shdr[KSYMS_SHN_SYMTAB];
	strtab = &shdr[KSYMS_SHN_STRTAB];
	if (symtab->sh_type != SHT_SYMTAB || strtab->sh_type != SHT_STRTAB ||
	    symtab->sh_entsize != sizeof(Elf64_Sym) ||
	    symtab->sh_size % sizeof(Elf64_Sym) ||
	    symtab->sh_offset % KSYMS_ELF_SYMTAB_ALIGN ||
	    !ksyms_elf_within(symtab->sh_offset, symtab->sh_size, size) ||
	    !ksyms_elf_within(strtab->sh_offset, strtab->sh_size, size) ||
	    symtab->sh_info > symtab->sh_size / sizeof(Elf64_Sym))
		return -EINVAL;
	tables->syms = (const Elf64_Sym *)(base + symtab->sh_offset);
	tables->nr_syms = symtab->sh_size / sizeof(Elf64_Sym);
	tables->nr_locals = symtab->sh_info;
	tables->strtab = base + strtab->sh_offset;
	tables->strtab_size = strtab->sh_size;
	return 0;
}
