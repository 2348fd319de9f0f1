// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mappings of a snapshot: read-only, never writable or executable later,
 * never growing, every one sharing the snapshot's own pages.
 *
 * Pages come from a fault handler rather than from vm_insert_pages() at
 * mmap time: mapping stays cheap however large the image, and a page
 * dropped by madvise(MADV_DONTNEED) comes back on the next touch instead
 * of raising SIGBUS.  A reader walks the image front to back, so each
 * fault maps the pages after the faulting one too, as the page cache's
 * fault-around does for files: a sixteenth of the faults for a full walk.
 * VM_MIXEDMAP, set at mmap, is what lets a fault handler insert pages.
 *
 * The KIOCGADDR mapping is the driver's own, one per address space at
 * most, recognised by its vm_ops rather than by an address range, so that
 * a program's own mmap(2) of the descriptor, or the same range mapped
 * again, is never taken for it, and mremap() carries it along.  It is
 * made at the first KIOCGADDR (an open that fails later in the VFS leaves
 * nothing behind), outlives close(2) like any mapping, and is replaced
 * when the address space asks KIOCGADDR of a descriptor holding another
 * snapshot.  Ported BSD tools keep pointers into it after close(2), as
 * FreeBSD's libelf allows them to.  It is left out of fork() children,
 * which may drop privileges, and of core dumps, which would otherwise
 * carry kernel addresses.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mutex.h>
#include <linux/personality.h>
#include <linux/sched/mm.h>
#include <linux/vmalloc.h>

#include "ksyms_compat.h"
#include "ksyms_debug.h"
#include "ksyms_map.h"
#include "ksyms_snapshot.h"

/* The page cache's default fault_around_bytes. */
#define KSYMS_FAULT_AROUND_PAGES	(SZ_64K >> PAGE_SHIFT)

static vm_fault_t ksyms_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ksyms_snapshot *snap = vma->vm_private_data;
	struct page *pages[KSYMS_FAULT_AROUND_PAGES];
	unsigned long addr = vmf->address & PAGE_MASK;
	unsigned long nr, i;
	int err;

	if (vmf->pgoff >= snap->nr_pages)
		return VM_FAULT_SIGBUS;
	nr = min3((unsigned long)KSYMS_FAULT_AROUND_PAGES,
		  snap->nr_pages - vmf->pgoff, (vma->vm_end - addr) >> PAGE_SHIFT);
	for (i = 0; i < nr; i++)
		pages[i] = vmalloc_to_page(snap->image +
					   ((vmf->pgoff + i) << PAGE_SHIFT));
	/*
	 * Stops at the first page already mapped (-EBUSY): that may be the
	 * faulting one itself, mapped by a racing fault.  Either way the
	 * access is retried and finds its page.
	 */
	err = vm_insert_pages(vma, addr, pages, &nr);
	if (err == -ENOMEM)
		return VM_FAULT_OOM;
	if (err && err != -EBUSY)
		return VM_FAULT_SIGBUS;
	return VM_FAULT_NOPAGE;
}

/* A program's own mmap(2) of a descriptor. */
static const struct vm_operations_struct ksyms_vm_ops = {
	.fault = ksyms_vm_fault,
};

/* The KIOCGADDR mapping: same pages, its own identity. */
static const struct vm_operations_struct ksyms_addr_vm_ops = {
	.fault = ksyms_vm_fault,
};

/*
 * Serialises KIOCGADDR's find-or-replace, so that threads of one process
 * asking at once make one mapping, and marks which task's vm_mmap() is
 * the driver's own (see ksyms_map_mmap()).
 */
static DEFINE_MUTEX(ksyms_addr_mutex);
static struct task_struct *ksyms_addr_mapper;	/* under ksyms_addr_mutex */

/**
 * ksyms_map_mmap - map a snapshot read-only
 * @file: the descriptor, whose snapshot is @snap
 * @snap: the snapshot, which @file holds as long as the mapping lasts
 * @vma: the mapping asked for
 *
 * The file's ->mmap.  Pages come at the first touch; a mapping made by
 * ksyms_map_caller_address() becomes the KIOCGADDR mapping.  Called with
 * mmap_lock held for writing.
 *
 * Return: 0, or -EINVAL for a mapping that is writable, executable, or
 * reaches past the image (past st_size for its length).
 */
int ksyms_map_mmap(struct file *file, struct ksyms_snapshot *snap,
		   struct vm_area_struct *vma)
{
	unsigned long nr_pages = snap->nr_pages;
	unsigned long limit = DIV_ROUND_UP_ULL(i_size_read(file_inode(file)),
					       PAGE_SIZE);
	unsigned long set = VM_DONTEXPAND | VM_MIXEDMAP;
	unsigned long clear = VM_MAYWRITE | VM_MAYEXEC;

	/*
	 * A READ_IMPLIES_EXEC process (setarch -X, legacy 32-bit binaries)
	 * asks PROT_EXEC with every PROT_READ; the mapping is made without
	 * it, as on a noexec mount.
	 */
	if (current->personality & READ_IMPLIES_EXEC)
		clear |= VM_EXEC;
	else if (vma->vm_flags & VM_EXEC)
		return -EINVAL;
	if (vma->vm_flags & VM_WRITE)
		return -EINVAL;
	/* st_size may cover a larger image than this one: past it, SIGBUS. */
	limit = max(limit, nr_pages);
	if (vma->vm_pgoff >= nr_pages ||
	    vma_pages(vma) > limit - vma->vm_pgoff)
		return -EINVAL;
	/* The file holds @snap, and the mapping holds the file. */
	vma->vm_private_data = snap;
	vma->vm_ops = &ksyms_vm_ops;
	/* Only the vm_mmap() below runs while ksyms_addr_mapper is current. */
	if (READ_ONCE(ksyms_addr_mapper) == current) {
		vma->vm_ops = &ksyms_addr_vm_ops;
		set |= VM_DONTCOPY | VM_DONTDUMP;
	}
	ksyms_vm_flags_mod(vma, set, clear);
	return 0;
}

/*
 * The address space's KIOCGADDR mapping, or the first piece of it left
 * after the program split it; NULL if it has none.  Under mmap_lock.
 */
static struct vm_area_struct *ksyms_find_addr_vma(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	for (vma = find_vma(mm, 0); vma; vma = find_vma(mm, vma->vm_end))
		if (vma->vm_ops == &ksyms_addr_vm_ops)
			return vma;
	return NULL;
}

/* Whether @vma is a whole mapping of @snap, from its start. */
static bool ksyms_vma_shows(struct vm_area_struct *vma,
			    const struct ksyms_snapshot *snap)
{
	return vma->vm_private_data == snap && vma->vm_pgoff == 0 &&
	       vma_pages(vma) == snap->nr_pages;
}

/*
 * Finds the mapping that already shows @snap, or removes every piece of
 * one that shows another snapshot.  Returns 0 with *@addr set, 0 with
 * *@addr 0 when a new one is needed, or vm_munmap()'s error (-EINTR).
 */
static int ksyms_reuse_or_remove(struct mm_struct *mm,
				 const struct ksyms_snapshot *snap,
				 unsigned long *addr)
{
	struct vm_area_struct *vma;
	unsigned long start, len;
	int err;

	*addr = 0;
	for (;;) {
		if (mmap_read_lock_killable(mm))
			return -EINTR;
		vma = ksyms_find_addr_vma(mm);
		if (vma && ksyms_vma_shows(vma, snap))
			*addr = vma->vm_start;
		if (vma) {
			start = vma->vm_start;
			len = vma->vm_end - vma->vm_start;
		}
		mmap_read_unlock(mm);
		if (!vma || *addr)
			return 0;
		/*
		 * No exported call unmaps under a lock held here: a thread of
		 * the program that unmaps this range itself and maps
		 * something else there meanwhile loses that.  A fatal signal
		 * makes vm_munmap() fail (-EINTR) every time: stop then.
		 */
		err = vm_munmap(start, len);
		if (err)
			return err;
	}
}

static int ksyms_map_new(struct file *file, const struct ksyms_snapshot *snap,
			 unsigned long *addr)
{
	unsigned long ret;

	/* Stands for vm_mmap()'s own allocations in the fault tests. */
	if (ksyms_inject_alloc_failure())
		return -ENOMEM;
	WRITE_ONCE(ksyms_addr_mapper, current);
	ret = vm_mmap(file, 0, snap->nr_pages << PAGE_SHIFT, PROT_READ,
		      MAP_SHARED, 0);
	WRITE_ONCE(ksyms_addr_mapper, NULL);
	if (IS_ERR_VALUE(ret))
		return (int)ret;
	*addr = ret;
	return 0;
}

/**
 * ksyms_map_caller_address - KIOCGADDR: where the caller sees a snapshot
 * @file: the descriptor asked, whose snapshot is @snap
 * @snap: the snapshot
 * @addr: set to the address of the mapping
 *
 * Maps @snap into the caller's address space at the first ask, replacing
 * what is left of a mapping an earlier KIOCGADDR made there of another
 * snapshot, and gives the same address while that mapping lasts.  Takes
 * a mutex that serialises every KIOCGADDR, and mmap_lock for reading;
 * process context.
 *
 * Return: 0, or -errno: -ENXIO for a kernel thread, -EINTR on a fatal
 * signal, -ENOMEM when the address space has no room, or another error
 * vm_mmap() returned.
 */
int ksyms_map_caller_address(struct file *file,
			     const struct ksyms_snapshot *snap,
			     unsigned long *addr)
{
	struct mm_struct *mm = current->mm;
	int err;

	/* A kernel thread has no address space to map into. */
	if (!mm)
		return -ENXIO;
	if (mutex_lock_killable(&ksyms_addr_mutex))
		return -EINTR;
	err = ksyms_reuse_or_remove(mm, snap, addr);
	if (!err && !*addr)
		err = ksyms_map_new(file, snap, addr);
	mutex_unlock(&ksyms_addr_mutex);
	return err;
}
