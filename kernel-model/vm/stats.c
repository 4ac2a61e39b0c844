/* VM_INFO statistics and the sanity pass run at the top of the main loop. */
#include "vm.h"

struct vm_stats vs;

int do_info(message *m)
{
	if (m->m.i[0] != VM_INFO_STATS)
		return EINVAL;
	m->m.u[VMS_TOTAL] = vs.total_pages;
	m->m.u[VMS_FREE] = vs.free_pages;
	m->m.u[VMS_LARGEST] = largest_free_range();
	m->m.u[VMS_NODES] = free_nodes();
	m->m.u[VMS_PT] = vs.pages_pagetable;
	m->m.u[VMS_PD] = vs.pages_pagedir;
	m->m.u[VMS_SLAB] = vs.pages_slab;
	m->m.u[VMS_ANON] = vs.pages_anon;
	m->m.u[VMS_PF] = vs.pf_total;
	m->m.u[VMS_ZERO] = vs.pf_zero;
	m->m.u[VMS_COW] = vs.cow_copies;
	m->m.u[VMS_REUSE] = vs.cow_reuse;
	m->m.u[VMS_NPROC] = vs.nproc;
	return OK;
}

/* SANITYCHECK(SCL_TOP): allocator, slabs, region trees and the reference
 * count of every mapped anonymous page. */
void vm_sanity(void)
{
	int i;
	alloc_sanity();
	slab_sanity();
	for (i = 0; i < NR_PROCS; i++) {
		struct vmproc *vmp = &vmproc[i];
		struct avl_node *an;
		u32 prev_end = 0;
		if (!(vmp->vm_flags & VMF_INUSE) || i == VM_PROC_NR)
			continue;
		avl_check(&vmp->vm_regions);
		for (an = avl_find_ge(&vmp->vm_regions, 0); an; an = avl_find_ge(&vmp->vm_regions, an->key + 1)) {
			struct vir_region *r = (struct vir_region *)an;
			if (vr_vaddr(r) < prev_end || (r->length & PAGE_MASK) || r->length / PAGE_SIZE > r->page_cap)
				panic("sanity: regions of %s overlap at %08x", vmp->vm_name, vr_vaddr(r));
			prev_end = vr_vaddr(r) + r->length;
			region_sanity(vmp, r);
		}
	}
}
