// SPDX-License-Identifier: GPL-2.0-only
/*
 * The image as the selftests read it: the ELF header and section table
 * checked, symbols found by name.
 * See ksyms_util.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksyms_util.h"

static int ksu_image_fail(struct ksu_image *img, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(img->err, sizeof(img->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int ksu_image_parse(struct ksu_image *img, unsigned char *data, size_t size)
{
	const Elf64_Shdr *sym_sh, *str_sh;
	const Elf64_Ehdr *eh;

	memset(img, 0, sizeof(*img));
	img->data = data;
	img->size = size;
	eh = (const Elf64_Ehdr *)data;

	if (size < KSU_HDR_SIZE)
		return ksu_image_fail(img, "image of %zu bytes is shorter than %d",
			       size, KSU_HDR_SIZE);
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64)
		return ksu_image_fail(img, "not a 64-bit ELF image");
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum < 3 ||
	    eh->e_shoff > size ||
	    (size - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum ||
	    eh->e_shoff % 8)
		return ksu_image_fail(img, "bad section header table (off %llu num %u)",
			       (unsigned long long)eh->e_shoff, eh->e_shnum);
	img->ehdr = eh;
	img->shdr = (const Elf64_Shdr *)(data + eh->e_shoff);

	sym_sh = &img->shdr[1];
	if (sym_sh->sh_type != SHT_SYMTAB ||
	    sym_sh->sh_entsize != sizeof(Elf64_Sym) ||
	    sym_sh->sh_offset > size || sym_sh->sh_size > size - sym_sh->sh_offset ||
	    sym_sh->sh_offset % 8 || sym_sh->sh_size % sizeof(Elf64_Sym) ||
	    sym_sh->sh_link == 0 || sym_sh->sh_link >= eh->e_shnum)
		return ksu_image_fail(img, "bad .symtab section header");
	str_sh = &img->shdr[sym_sh->sh_link];
	if (str_sh->sh_type != SHT_STRTAB || str_sh->sh_offset > size ||
	    str_sh->sh_size > size - str_sh->sh_offset || str_sh->sh_size == 0)
		return ksu_image_fail(img, "bad .strtab section header");

	img->syms = (const Elf64_Sym *)(data + sym_sh->sh_offset);
	img->nsyms = sym_sh->sh_size / sizeof(Elf64_Sym);
	img->first_global = sym_sh->sh_info;
	if (img->first_global > img->nsyms)
		return ksu_image_fail(img, "sh_info %zu beyond %zu symbols",
			       img->first_global, img->nsyms);
	img->strtab = (const char *)(data + str_sh->sh_offset);
	img->strsz = str_sh->sh_size;
	return 0;
}

int ksu_image_from_fd(struct ksu_image *img, int fd)
{
	unsigned char *data;
	size_t size;
	int ret;

	memset(img, 0, sizeof(*img));
	ret = ksu_pread_all(fd, 0, &data, &size);
	if (ret) {
		snprintf(img->err, sizeof(img->err), "reading the image: %s",
			 strerror(-ret));
		return ret;
	}
	return ksu_image_parse(img, data, size);
}

int ksu_image_load(struct ksu_image *img)
{
	int fd, ret;

	memset(img, 0, sizeof(*img));
	fd = ksu_open(O_RDONLY);
	if (fd < 0) {
		snprintf(img->err, sizeof(img->err), "open %s: %s",
			 ksu_dev_path(), strerror(-fd));
		return fd;
	}
	ret = ksu_image_from_fd(img, fd);
	close(fd);
	return ret;
}

void ksu_image_free(struct ksu_image *img)
{
	free(img->data);
	memset(img, 0, sizeof(*img));
}

const char *ksu_sym_name(const struct ksu_image *img, const Elf64_Sym *sym)
{
	if (sym->st_name >= img->strsz)
		return NULL;
	if (!memchr(img->strtab + sym->st_name, '\0',
		    img->strsz - sym->st_name))
		return NULL;
	return img->strtab + sym->st_name;
}

long ksu_image_find(const struct ksu_image *img, const char *name,
		    uint64_t value)
{
	size_t i;

	for (i = 1; i < img->nsyms; i++) {
		const char *n;

		if (img->syms[i].st_value != value)
			continue;
		n = ksu_sym_name(img, &img->syms[i]);
		if (n && !strcmp(n, name))
			return (long)i;
	}
	return -1;
}

int ksu_cmp_addr_name(uint64_t a1, const char *n1, uint64_t a2,
		      const char *n2)
{
	if (a1 != a2)
		return a1 < a2 ? -1 : 1;
	return strcmp(n1, n2);
}
