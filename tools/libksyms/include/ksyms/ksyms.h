/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libksyms for C: an opaque snapshot handle over the C++ library.
 *
 *	ksyms_error *err = NULL;
 *	ksyms_snapshot *s = ksyms_open_device(NULL, &err);
 *	if (!s) {
 *		fprintf(stderr, "%s\n", ksyms_error_message(err));
 *		ksyms_error_free(err);
 *	}
 *
 * Nothing is global: errors come back as objects the caller frees. Strings
 * returned point into the snapshot and live as long as it does.
 */
#ifndef KSYMS_KSYMS_H
#define KSYMS_KSYMS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ksyms_snapshot ksyms_snapshot;
typedef struct ksyms_error ksyms_error;

typedef struct ksyms_symbol {
	const char *name;	/* NUL-terminated, inside the snapshot */
	uint64_t address;	/* st_value */
	uint64_t size;		/* st_size */
	uint32_t index;		/* ELF symbol index, 1..count */
	unsigned char type;	/* STT_* */
	unsigned char binding;	/* STB_* */
	char letter;		/* nm-style, see ksyms/symbol.h */
} ksyms_symbol;

typedef struct ksyms_location {
	ksyms_symbol symbol;
	uint64_t offset;	/* address - symbol.address */
	uint64_t size;		/* extent used for the match */
	const char *module;	/* "" for vmlinux or unknown */
	const unsigned char *build_id;	/* its object's, in the image */
	size_t build_id_size;		/* 0 if unknown */
} ksyms_location;

/*
 * Open /dev/ksyms (path NULL) or another device node / a saved image or ELF
 * file. On failure return NULL and, if error is not NULL, store an error the
 * caller must free with ksyms_error_free().
 */
ksyms_snapshot *ksyms_open_device(const char *path, ksyms_error **error);
ksyms_snapshot *ksyms_open_file(const char *path, ksyms_error **error);
void ksyms_close(ksyms_snapshot *snapshot);

/* Read /proc/modules (path NULL) for module names; 0 or an errno. */
int ksyms_load_proc_modules(ksyms_snapshot *snapshot, const char *path,
			    ksyms_error **error);
/* Write the image to path atomically; 0 or an errno. */
int ksyms_save(const ksyms_snapshot *snapshot, const char *path,
	       ksyms_error **error);

/* Number of symbols, the null symbol not counted. */
size_t ksyms_count(const ksyms_snapshot *snapshot);
/* Symbol by ELF index (1..count); 0 if found, else ERANGE. */
int ksyms_symbol_at(const ksyms_snapshot *snapshot, uint32_t index,
		    ksyms_symbol *symbol);
/*
 * Every symbol called name, in image order: fills up to capacity entries
 * of symbols and returns how many there are (possibly more than capacity).
 */
size_t ksyms_lookup_name(const ksyms_snapshot *snapshot, const char *name,
			 ksyms_symbol *symbols, size_t capacity);
/* The symbol covering address: 1 and *location filled, or 0. */
int ksyms_lookup_address(const ksyms_snapshot *snapshot, uint64_t address,
			 ksyms_location *location);

/* errno-style code (never 0) and "file: reason" message of an error. */
int ksyms_error_code(const ksyms_error *error);
const char *ksyms_error_message(const ksyms_error *error);
void ksyms_error_free(ksyms_error *error);

#ifdef __cplusplus
}
#endif

#endif
