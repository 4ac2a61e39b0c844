/* VM_MMAP / VM_MUNMAP (MINIX mmap.c): anonymous private mappings placed at
 * the top of the highest gap below the stack guard page, never lower than
 * 64 MiB above the heap (room for brk). */
#include "vm.h"

#define BRK_RESERVE (64u << 20)

int do_mmap(message *m)
{
	struct vmproc *vmp = ep2vmp(m->m_source);
	u32 len = PAGE_UP(m->m.u[0]), flags = m->m.u[2], hi, lo, floor;
	struct vir_region *r;
	if (!vmp || !vmp->vm_stack || len == 0 || !(flags & MAP_ANON))
		return EINVAL;
	floor = vmp->vm_heap ? vr_vaddr(vmp->vm_heap) + vmp->vm_heap->length + BRK_RESERVE : 0x10000000;
	hi = vr_vaddr(vmp->vm_stack) - PAGE_SIZE;
	r = (struct vir_region *)avl_find_lt(&vmp->vm_regions, hi);
	for (;;) {
		lo = r ? vr_vaddr(r) + r->length : 0;
		if (lo < floor)
			lo = floor;
		if (hi > lo && hi - lo >= len)
			break;
		if (!r || vr_vaddr(r) <= floor)
			return ENOMEM;
		hi = vr_vaddr(r);
		r = (struct vir_region *)avl_find_lt(&vmp->vm_regions, hi);
	}
	r = region_new(vmp, hi - len, len, (m->m.u[1] & PROT_WRITE) ? VR_WRITABLE : 0, TAG_MMAP);
	if ((flags & MAP_PREALLOC) && map_prealloc(vmp, r, hi - len, hi) != OK) {
		region_destroy(vmp, r);
		return ENOMEM;
	}
	m->m.u[0] = hi - len;
	return OK;
}

int do_munmap(message *m)
{
	struct vmproc *vmp = ep2vmp(m->m_source);
	u32 start = PAGE_DOWN(m->m.u[0]), end = PAGE_UP(m->m.u[0] + m->m.u[1]);
	struct vir_region *r;
	if (!vmp || end <= start)
		return EINVAL;
	/* every page in range must belong to an mmap region */
	for (u32 v = start; v < end;) {
		r = region_lookup(vmp, v);
		if (!r || r->tag != TAG_MMAP)
			return EINVAL;
		v = vr_vaddr(r) + r->length;
	}
	while ((r = region_lookup(vmp, start)) != NULL && start < end) {
		u32 rs = vr_vaddr(r), re = rs + r->length, s = start, e = end < re ? end : re;
		if (s == rs && e == re) {
			region_destroy(vmp, r);
		} else if (s == rs) {
			region_trim_front(vmp, r, e);
		} else if (e == re) {
			region_resize(vmp, r, s - rs);
		} else {
			region_split(vmp, r, e);
			region_resize(vmp, r, s - rs);
		}
		start = e;
	}
	return OK;
}
