/* Page directories and tables (MINIX servers/vm/pagetable.c). All of them
 * are single pages edited through VM's physical window. PDEs 960-1023 of
 * every directory are the kernel's (direct map, supervisor, global). */
#include "vm.h"

u32 kernel_pdes[64];
u32 window_pt[MEM_LIMIT >> 22];

/* VM's own PTE for a window address (VM edits its window only for
 * read-only slab mode). */
u32 *window_pte(const void *v)
{
	u32 off = (u32)v - VM_PHYSWIN;
	return (u32 *)PHYS2VIR(window_pt[off >> 22]) + ((off >> 12) & 0x3FF);
}

#define PDE_USER_LIMIT 960

u32 pt_new(void)
{
	u32 pdir = alloc_pages(1, PAF_CLEAR), *d;
	if (pdir == NO_MEM)
		panic("out of memory for a page directory");
	d = PHYS2VIR(pdir);
	memcpy(&d[PDE_USER_LIMIT], kernel_pdes, sizeof(kernel_pdes));
	vs.pages_pagedir++;
	return pdir;
}

void pt_free(u32 pdir)
{
	u32 *d = PHYS2VIR(pdir), i;
	for (i = 0; i < PDE_USER_LIMIT; i++)
		if ((d[i] & 1) && !(d[i] & 0x80)) {
			free_pages(d[i] & ~PAGE_MASK, 1);
			vs.pages_pagetable--;
		}
	free_pages(pdir, 1);
	vs.pages_pagedir--;
}

/* The PTE for v, or NULL when its page table does not exist (and !alloc). */
u32 *pt_pte(u32 pdir, u32 v, int alloc)
{
	u32 *d = PHYS2VIR(pdir), *pde = &d[v >> 22];
	if (!(*pde & 1)) {
		u32 pt;
		if (!alloc)
			return NULL;
		pt = alloc_pages(1, PAF_CLEAR);
		if (pt == NO_MEM)
			panic("out of memory for a page table");
		vs.pages_pagetable++;
		*pde = pt | 0x7; /* present, writable, user: the PTEs decide */
	}
	return (u32 *)PHYS2VIR(*pde & ~PAGE_MASK) + ((v >> 12) & 0x3FF);
}

void pt_writemap(u32 pdir, u32 v, u32 entry)
{
	*pt_pte(pdir, v, 1) = entry;
}
