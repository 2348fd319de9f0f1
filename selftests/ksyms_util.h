/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the /dev/ksyms selftests: reading and checking the
 * image, parsing /proc/kallsyms, loading the test modules, the driver's
 * debugfs files, sysctls and /proc/self/{maps,pagemap}.
 *
 * Nothing here uses the kselftest harness, so that every function can be
 * called from forked children and threads as well as from tests; they
 * return 0 or a negative errno (or a documented value) and leave the
 * reporting to the caller.
 */
#ifndef KSYMS_UTIL_H
#define KSYMS_UTIL_H

#include <elf.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/ksyms.h>

/* C: the benchmark (tests/bench-vm, C++) links these helpers too. */
#ifdef __cplusplus
extern "C" {
#endif

/* The fixed header block: ELF header, 2 program headers, 4 sections, names */
#define KSU_HDR_SIZE		464
/* The extended image's sections after FreeBSD's four. */
#define KSU_SHN_OBJECTS		4
#define KSU_SHN_BUILD_IDS	5
#define KSU_SHN_KALLSYMS	6
#define KSU_SHN_FIRST_TYPED	7
/* The widest typed section (KSYMS_ELF_SECTION_SPAN in the driver). */
#define KSU_SECTION_SPAN	(256 * 1024)
#define KSU_SHSTRTAB_OFFSET	432
#define KSU_SHSTRTAB_SIZE	28
#define KSU_DEBUGFS		"/sys/kernel/debug/ksyms"
#define KSU_IDLE_PARAM		"/sys/module/ksyms/parameters/idle_drop_secs"
#define KSU_NOBODY		65534
#define KSU_MODNAME_LEN		64
#define KSU_MAX_TEST_MODULES	3

/* The device, or $KSYMS_TEST_DEVICE when set (to try the parsers on a file). */
const char *ksu_dev_path(void);
/* open(ksu_dev_path(), flags); returns the fd or -errno. */
int ksu_open(int flags);
/* Opens the device read-only and closes it again; 0 or -errno. */
int ksu_open_close(void);
/*
 * Opens the device read-only into *@fdp and reads its image whole, as
 * ksu_pread_all(); 0, or -errno with *@fdp -1 and nothing held.
 */
int ksu_open_image(int *fdp, unsigned char **bufp, size_t *sizep);

/* Whole-file reads */
/* read() from the current position until EOF; *bufp is NUL-terminated. */
int ksu_read_all(int fd, unsigned char **bufp, size_t *sizep);
/* A whole file, NUL-terminated like ksu_read_all(); 0 or -errno. */
int ksu_read_path(const char *path, unsigned char **bufp, size_t *sizep);
/* pread() from offset 0 until EOF, in @chunk sized pieces (0: 1 MiB). */
int ksu_pread_all(int fd, size_t chunk, unsigned char **bufp, size_t *sizep);

/* The image */
struct ksu_image {
	unsigned char *data;	/* owned, malloc'ed */
	size_t size;
	const Elf64_Ehdr *ehdr;
	const Elf64_Shdr *shdr;		/* e_shnum entries */
	const Elf64_Sym *syms;
	size_t nsyms;
	size_t first_global;		/* sh_info of .symtab */
	const char *strtab;
	size_t strsz;
	char err[160];			/* why ksu_image_parse() failed */
};

/* Takes ownership of @data; checks only what the accessors need. */
int ksu_image_parse(struct ksu_image *img, unsigned char *data, size_t size);
/* Reads the image of an open descriptor (pread from 0) and parses it. */
int ksu_image_from_fd(struct ksu_image *img, int fd);
/* Opens the device, reads it, closes it. */
int ksu_image_load(struct ksu_image *img);
void ksu_image_free(struct ksu_image *img);
/* The symbol's name, or NULL when st_name points outside the strtab. */
const char *ksu_sym_name(const struct ksu_image *img, const Elf64_Sym *sym);
/* Index of the first symbol with this name and value, or -1. */
long ksu_image_find(const struct ksu_image *img, const char *name,
		    uint64_t value);
/* The object table (KSU_SHN_OBJECTS), *@nr entries; NULL if it has none. */
const struct ksyms_object *ksu_objects(const struct ksu_image *img,
				       size_t *nr);
/* Index of the object holding symbol @i, or -1. */
long ksu_object_of(const struct ksu_image *img, size_t i);
/*
 * Symbol indices 1 to nsyms - 1 sorted by (address, name), a name outside
 * the string table as ""; malloc()ed, NULL when out of memory.
 */
size_t *ksu_sorted_symbols(const struct ksu_image *img);
/* In @idx from ksu_sorted_symbols(): the index of @name at @addr, or -1. */
long ksu_find_sorted(const struct ksu_image *img, const size_t *idx,
		     const char *name, uint64_t addr);

/* /proc/kallsyms */
struct ksu_ksym {
	uint64_t addr;
	const char *name;
	const char *module;	/* NULL for vmlinux */
	char type;		/* nm letter */
};

struct ksu_kallsyms {
	char *buf;
	struct ksu_ksym *syms;	/* in /proc/kallsyms order */
	size_t count;
	size_t nr_vmlinux;
	struct ksu_ksym **sorted;	/* by (addr, name) */
};

/* Reads /proc/kallsyms, every line of it. */
int ksu_kallsyms_load(struct ksu_kallsyms *ks);
void ksu_kallsyms_free(struct ksu_kallsyms *ks);
/* A line with this address and name, or NULL. */
const struct ksu_ksym *ksu_kallsyms_find(const struct ksu_kallsyms *ks,
					 uint64_t addr, const char *name);
/* Number of lines carrying this name (any module). */
size_t ksu_kallsyms_count_name(const struct ksu_kallsyms *ks,
			       const char *name);
int ksu_cmp_addr_name(uint64_t a1, const char *n1, uint64_t a2,
		      const char *n2);

/* Modules */
struct ksu_modname {
	char name[KSU_MODNAME_LEN];
};

struct ksu_module {
	char path[PATH_MAX];
	char name[KSU_MODNAME_LEN];
};

/*
 * The test modules listed in $KSYMS_TEST_MODULES (one absolute path a line).
 * Returns how many were read, or -errno (-ENOENT: variable not set).
 */
int ksu_test_modules(struct ksu_module *mods, int max);
/* Module name as the kernel spells it: basename up to ".ko", '-' -> '_'. */
void ksu_module_name(const char *path, char *name, size_t len);
/* finit_module(); 0 or -errno. */
int ksu_module_load(const char *path);
/* delete_module(name, O_NONBLOCK); 0 or -errno. */
int ksu_module_unload(const char *name);
/* Same, retrying for a while on EAGAIN/EBUSY (for teardowns). */
int ksu_module_unload_wait(const char *name);
bool ksu_module_loaded(const char *name);
/*
 * Loaded modules, oldest first (/proc/modules lists them newest first).
 * Returns the count (at most @max) or -errno.
 */
int ksu_modules_in_load_order(struct ksu_modname *names, int max);
/* $KSYMS_KO, or NULL. */
const char *ksu_ksyms_ko(void);
/* Makes sure ksyms is loaded, from $KSYMS_KO if it is not. */
int ksu_ksyms_ensure_loaded(void);

/* Debugfs and sysctls */
#define KSU_STATS_MAX		32
#define KSU_STAT_NAME_LEN	32

/*
 * The driver's counters, every "name value" line of KSU_DEBUGFS/stats as
 * it was read: the names are the driver's (ksyms_debug.c lists them, and
 * nothing here repeats the list). Ask for one with ksu_stat().
 */
struct ksu_stats {
	int count;
	struct {
		char name[KSU_STAT_NAME_LEN];
		long value;
	} stat[KSU_STATS_MAX];
};

bool ksu_debugfs_present(void);
/*
 * Reads every line of the stats file; -EPROTO if one is not "name value",
 * there are none, or more than KSU_STATS_MAX.
 */
int ksu_stats_read(struct ksu_stats *st);
/* The value of the counter @name into *@val; 0, or -ENOENT if not shown. */
int ksu_stat_find(const struct ksu_stats *st, const char *name, long *val);
/*
 * The value of the counter @name. A name the stats did not show means the
 * test and the driver disagree: that is reported on stderr and the process
 * abort()s, which the kselftest harness counts as a failed test, so no
 * made-up value is ever compared.
 */
long ksu_stat(const struct ksu_stats *st, const char *name);
/*
 * What a refused open, or a closed descriptor, must not leave behind: this
 * process's mappings and, where debugfs shows the driver's counters, its
 * open files, allocations and snapshots.
 */
struct ksu_traces {
	int maps;		/* ksu_maps_count() */
	bool counted;		/* the counters below were read */
	long files, allocations, snapshots;
};

/* Takes them now; 0 or -errno. */
int ksu_traces_take(struct ksu_traces *t);
/* NULL when @after equals @before, else the name of one that differs. */
const char *ksu_traces_differ(const struct ksu_traces *before,
			      const struct ksu_traces *after);
/*
 * Has the idle timer drop everything the driver caches (snapshot, vmlinux
 * table, privilege answers) now, and waits for it; 0 or -errno.
 */
int ksu_cache_drop_idle(void);
/* Writes "@val\n" to KSU_DEBUGFS/@file. */
int ksu_debugfs_write(const char *file, long val);
int ksu_read_long(const char *path, long *val);
/* Writes @text to @path in one write(); 0 or -errno (-EIO: short write). */
int ksu_write_str(const char *path, const char *text);
int ksu_write_long(const char *path, long val);
/* Writes @want to a sysctl and reads it back; 0 or -errno (-EPROTO: not kept). */
int ksu_set_long(const char *path, long want);

/* /proc/meminfo and vm.drop_caches */
/* The /proc/meminfo line "@field:" in kB, or -errno (-ENOENT: no such line). */
long ksu_meminfo_kb(const char *field);
/*
 * Writes @what to /proc/sys/vm/drop_caches: 1 the page cache, 2 slab
 * objects (where shrinkers, the driver's too, are run), 3 both; 0 or -errno.
 */
int ksu_drop_caches(int what);

/* /proc/self */
/* Number of lines of /proc/self/maps, or -errno. */
int ksu_maps_count(void);
/* Copies the /proc/self/maps line of the mapping starting at @addr. */
bool ksu_maps_find(uintptr_t addr, char *line, size_t len);
/* Copies the /proc/self/maps line of the mapping that contains @addr. */
bool ksu_maps_covering(uintptr_t addr, char *line, size_t len);
/* Lines of /proc/self/maps that map the device, or a negative errno. */
int ksu_dev_mappings(void);
/* ksu_dev_mappings() as a fork()ed child sees it, or a negative errno. */
int ksu_child_dev_mappings(void);
/*
 * The "VmFlags:" of the /proc/self/smaps entry starting at @addr, with a
 * leading space (" rd mr dc"), or a negative errno.
 */
int ksu_smaps_flags(uintptr_t addr, char *flags, size_t len);
/* PFN of the page at @addr (0 when not present), or -errno. */
int ksu_pagemap(const void *addr, uint64_t *pfn, bool *present);

/* Processes */
/* Forks; the child runs fn(arg) and _exit()s with its return value. */
int ksu_run_child(int (*fn)(void *), void *arg);
/* Switches this process to uid/gid 65534 without supplementary groups. */
int ksu_become_nobody(void);
/* Removes one capability from this thread's effective/permitted sets. */
int ksu_drop_cap(int cap);

size_t ksu_page_size(void);

static inline size_t ksu_page_round(size_t n)
{
	return (n + ksu_page_size() - 1) & ~(ksu_page_size() - 1);
}

#ifdef __cplusplus
}
#endif

#endif /* KSYMS_UTIL_H */
