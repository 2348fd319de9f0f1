/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libksyms for C: an opaque snapshot handle over the C++ library.
 *
 *	ksyms_snapshot *s = ksyms_open_device(NULL, NULL);
 *	if (!s) {
 *		fprintf(stderr, "%s\n", ksyms_last_error_message());
 *		return 1;
 *	}
 *	uint64_t addrs[2] = { 0xffffffff81000000, 0xffffffffc0a01234 };
 *	ksyms_location where[2];
 *	if (ksyms_symbolize(s, addrs, 2, where, NULL) == 0 && where[0].symbol.name)
 *		printf("%s+%#llx\n", where[0].symbol.name,
 *		       (unsigned long long)where[0].offset);
 *	ksyms_close(s);
 *
 * No C++ exception ever leaves these functions. Each that can fail says so
 * in its return value and records, for the calling thread, an errno-style
 * code and a message ("file: reason"): ksyms_last_error_code() and
 * ksyms_last_error_message(). A call that succeeds sets the code to 0.
 * The functions that open, save or read /proc/modules can also hand back
 * an error object of the caller's own (ksyms_error), to keep or pass on.
 *
 * Strings and build IDs returned point into the snapshot and live as long
 * as it does. A snapshot may be read from several threads at once.
 */
#ifndef KSYMS_KSYMS_H
#define KSYMS_KSYMS_H

#include <ksyms/export.h>
#include <ksyms/version.h>

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
	ksyms_symbol symbol;	/* name NULL and index 0: no symbol there */
	uint64_t offset;	/* address - symbol.address */
	uint64_t size;		/* extent used for the match */
	const char *module;	/* "" for vmlinux or unknown */
	const unsigned char *build_id;	/* its object's, in the image */
	size_t build_id_size;		/* 0 if unknown */
} ksyms_location;

/* One object of the image's object table: vmlinux, a module, or what
 * kallsyms lists after the modules (docs/image-format.md). */
typedef struct ksyms_object_info {
	const char *name;	/* "vmlinux", the module's, "bpf", ... */
	uint64_t base;		/* the span of its symbols' sections */
	uint64_t size;
	const unsigned char *build_id;	/* NULL and 0 if it has none */
	size_t build_id_size;
	int pseudo;		/* 1: listed by kallsyms, no module behind it */
} ksyms_object_info;

/* "MAJOR.MINOR.PATCH" of the library in use (KSYMS_VERSION_STRING is the
 * headers'). */
KSYMS_API const char *ksyms_version(void);

/* The calling thread's last failure: an errno-style code (0 if its last
 * call succeeded) and its message ("" then). The message lives until the
 * thread's next call into libksyms. */
KSYMS_API int ksyms_last_error_code(void);
KSYMS_API const char *ksyms_last_error_message(void);

/*
 * Open /dev/ksyms (path NULL) or another device node / a saved image or ELF
 * file. On failure return NULL and, if error is not NULL, store an error the
 * caller must free with ksyms_error_free().
 */
KSYMS_API ksyms_snapshot *ksyms_open_device(const char *path,
					    ksyms_error **error);
KSYMS_API ksyms_snapshot *ksyms_open_file(const char *path,
					  ksyms_error **error);
KSYMS_API void ksyms_close(ksyms_snapshot *snapshot);

/* Read /proc/modules (path NULL) for module names; 0 or an errno. */
KSYMS_API int ksyms_load_proc_modules(ksyms_snapshot *snapshot,
				      const char *path, ksyms_error **error);
/* Write the image to path atomically; 0 or an errno. */
KSYMS_API int ksyms_save(const ksyms_snapshot *snapshot, const char *path,
			 ksyms_error **error);

/* Number of symbols, the null symbol not counted. */
KSYMS_API size_t ksyms_count(const ksyms_snapshot *snapshot);
/* Symbol by ELF index (1..count); 0 if found, else ERANGE. */
KSYMS_API int ksyms_symbol_at(const ksyms_snapshot *snapshot, uint32_t index,
			      ksyms_symbol *symbol);
/*
 * Every symbol called name, in image order: fills up to capacity entries
 * of symbols and returns how many there are (possibly more than capacity).
 * 0 also on failure: ksyms_last_error_code() tells them apart.
 */
KSYMS_API size_t ksyms_lookup_name(const ksyms_snapshot *snapshot,
				   const char *name, ksyms_symbol *symbols,
				   size_t capacity);
/* The symbol covering address: 1 and *location filled, 0 if none does,
 * -1 on failure. */
KSYMS_API int ksyms_lookup_address(const ksyms_snapshot *snapshot,
				   uint64_t address, ksyms_location *location);
/*
 * Many addresses at once, the fast way: results[i] for addresses[i], with
 * symbol.name NULL where no symbol covers it. Stores how many were found
 * in *found if found is not NULL. Returns 0, or an errno (results are then
 * not all filled).
 */
KSYMS_API int ksyms_symbolize(const ksyms_snapshot *snapshot,
			      const uint64_t *addresses, size_t count,
			      ksyms_location *results, size_t *found);

/* Objects in the image's object table: vmlinux first, then the modules in
 * load order, then the pseudo-objects; 0 for an image without one. */
KSYMS_API size_t ksyms_object_count(const ksyms_snapshot *snapshot);
/* Object i (0..count-1); 0 if found, else ERANGE. */
KSYMS_API int ksyms_object_at(const ksyms_snapshot *snapshot, size_t i,
			      ksyms_object_info *object);
/* The object called name ("vmlinux" or a module's); 0 or ENOENT. */
KSYMS_API int ksyms_find_object(const ksyms_snapshot *snapshot,
				const char *name, ksyms_object_info *object);
/*
 * A build ID in lower-case hex, as readelf -n and debuginfod write it:
 * writes at most text_size bytes, NUL included, and returns the length of
 * the whole text (2 * size) as snprintf does.
 */
KSYMS_API size_t ksyms_format_build_id(const unsigned char *build_id,
				       size_t size, char *text,
				       size_t text_size);

/* errno-style code (never 0) and "file: reason" message of an error. */
KSYMS_API int ksyms_error_code(const ksyms_error *error);
KSYMS_API const char *ksyms_error_message(const ksyms_error *error);
KSYMS_API void ksyms_error_free(ksyms_error *error);

#ifdef __cplusplus
}
#endif

#endif
