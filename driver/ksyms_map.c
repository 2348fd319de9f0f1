// SPDX-License-Identifier: GPL-2.0
/*
 * Mappings of a snapshot: read-only, never writable or executable later,
 * never growing, every one sharing the snapshot's own pages.
 *
 * Pages come from a fault handler rather than from vm_insert_pages() at
 * mmap time: open stays cheap however large the image, and a page dropped
 * by madvise(MADV_DONTNEED) comes back on the next touch instead of
 * raising SIGBUS.  A reader walks the image front to back, so each fault
 * maps the pages after the faulting one too, as the page cache's
 * fault-around does for files: a sixteenth of the faults for a full walk.
 * VM_MIXEDMAP, set at mmap, is what lets a fault handler insert pages.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/vmalloc.h>

#include "ksyms_compat.h"
#include "ksyms_debug.h"
#include "ksyms_file.h"
#include "ksyms_map.h"
#include "ksyms_snapshot.h"

static struct ksyms_file *ksyms_vma_file(struct vm_area_struct *vma)
{
	return vma->vm_file->private_data;
}

/* The page cache's default fault_around_bytes. */
#define KSYMS_FAULT_AROUND_PAGES	(SZ_64K >> PAGE_SHIFT)

static vm_fault_t ksyms_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ksyms_snapshot *snap = ksyms_vma_file(vma)->snap;
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

static const struct vm_operations_struct ksyms_vm_ops = {
	.fault = ksyms_vm_fault,
};

int ksyms_map_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ksyms_file *kf = file->private_data;
	unsigned long nr_pages = kf->snap->nr_pages;

	if (vma->vm_flags & (VM_WRITE | VM_EXEC))
		return -EINVAL;
	if (vma->vm_pgoff >= nr_pages ||
	    vma_pages(vma) > nr_pages - vma->vm_pgoff)
		return -EINVAL;
	ksyms_vm_flags_mod(vma, VM_DONTEXPAND | VM_MIXEDMAP,
			   VM_MAYWRITE | VM_MAYEXEC);
	vma->vm_ops = &ksyms_vm_ops;
	return 0;
}

int ksyms_map_into_caller(struct file *file)
{
	struct ksyms_file *kf = file->private_data;
	unsigned long addr;

	/* A kernel thread has no address space to map into. */
	if (!current->mm)
		return 0;
	/* Stands for vm_mmap()'s own allocations in the fault tests. */
	if (ksyms_inject_alloc_failure())
		return -ENOMEM;
	addr = vm_mmap(file, 0, kf->snap->nr_pages << PAGE_SHIFT, PROT_READ,
		       MAP_SHARED, 0);
	if (IS_ERR_VALUE(addr))
		return (int)addr;
	kf->uaddr = addr;
	kf->mm = current->mm;
	mmgrab(kf->mm);
	return 0;
}

static bool ksyms_vma_is_ours(struct vm_area_struct *vma, struct file *file)
{
	return vma->vm_file == file && vma->vm_ops == &ksyms_vm_ops;
}

/* The first VMA of @file within [@from, @end), clipped to it. */
static bool ksyms_find_our_range(struct mm_struct *mm, struct file *file,
				 unsigned long from, unsigned long end,
				 unsigned long *start, unsigned long *stop)
{
	struct vm_area_struct *vma;
	bool found = false;

	mmap_read_lock(mm);
	for (vma = find_vma(mm, from); vma && vma->vm_start < end;
	     vma = find_vma(mm, vma->vm_end)) {
		if (ksyms_vma_is_ours(vma, file)) {
			*start = max(vma->vm_start, from);
			*stop = min(vma->vm_end, end);
			found = true;
			break;
		}
	}
	mmap_read_unlock(mm);
	return found;
}

void ksyms_map_remove_from_caller(struct file *file)
{
	struct ksyms_file *kf = file->private_data;
	unsigned long from = kf->uaddr, end, start, stop;

	if (!from || current->mm != kf->mm)
		return;
	end = from + (kf->snap->nr_pages << PAGE_SHIFT);
	/*
	 * The program may have split the mapping or mapped over part of it:
	 * remove only pieces that are still this file's.
	 */
	while (from < end &&
	       ksyms_find_our_range(kf->mm, file, from, end, &start, &stop)) {
		vm_munmap(start, stop - start);
		from = stop;
	}
}

int ksyms_map_caller_address(struct file *file, unsigned long *addr)
{
	struct ksyms_file *kf = file->private_data;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	bool held;

	if (!kf->uaddr || !mm)
		return -ENXIO;
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	vma = find_vma(mm, kf->uaddr);
	held = vma && vma->vm_start == kf->uaddr && vma->vm_pgoff == 0 &&
	       ksyms_vma_is_ours(vma, file);
	mmap_read_unlock(mm);
	if (!held)
		return -ENXIO;
	*addr = kf->uaddr;
	return 0;
}
