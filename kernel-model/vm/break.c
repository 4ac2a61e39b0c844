/* VM_BRK (MINIX break.c): grow or shrink the heap region by whole pages;
 * new pages are demand-paged, released pages are freed at once. */
#include "vm.h"

int do_brk(message *m)
{
	struct vmproc *vmp = ep2vmp(m->m_source);
	struct vir_region *h, *next;
	u32 addr = m->m.u[0], end, old_end;
	if (!vmp || !(h = vmp->vm_heap))
		return EINVAL;
	if (addr == 0) {
		m->m.u[0] = vmp->vm_brk;
		return OK;
	}
	if (addr < vr_vaddr(h))
		return ENOMEM;
	end = PAGE_UP(addr);
	old_end = vr_vaddr(h) + h->length;
	if (end > old_end) {
		next = (struct vir_region *)avl_find_ge(&vmp->vm_regions, vr_vaddr(h) + 1);
		if ((next && end > vr_vaddr(next)) || end < addr)
			return ENOMEM;
	}
	region_resize(vmp, h, end - vr_vaddr(h));
	vmp->vm_brk = addr;
	m->m.u[0] = addr;
	return OK;
}
