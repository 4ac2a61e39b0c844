/* Page faults and kernel memory requests (MINIX pagefaults.c). */
#include "vm.h"

/* Make v present (and writable if write) in vmp, as a fault would. */
int handle_memory(struct vmproc *vmp, u32 v, int write)
{
	struct vir_region *r = region_lookup(vmp, v);
	struct phys_region *pr;
	u32 *pte, phys, off;
	assert(vmp != &vmproc[VM_PROC_NR]);
	if (!r || (write && !(r->flags & VR_WRITABLE)))
		return EFAULT;
	off = PAGE_DOWN(v) - vr_vaddr(r);
	pr = r->page[off / PAGE_SIZE];
	if (!pr) {
		phys = alloc_anon_page(1);
		if (phys == NO_MEM)
			return ENOMEM;
		region_map_page(vmp, r, off, phys, 0x5 | ((r->flags & VR_WRITABLE) ? 0x2 : 0));
		vs.pf_zero++;
		return OK;
	}
	pte = pt_pte(vmp->vm_pdir, v, 0);
	if (write && !(*pte & 2)) {
		if (pr->ph->refcount > 1) {
			/* shared copy-on-write: this side gets its own copy */
			u32 np = alloc_anon_page(0);
			if (np == NO_MEM)
				return ENOMEM;
			memcpy(PHYS2VIR(np), PHYS2VIR(pr->ph->phys), PAGE_SIZE);
			region_replace_page(vmp, pr, np);
			vs.cow_copies++;
		} else {
			/* the last user of a COW page just takes it */
			USE(pr->ph, pr->ph->share_flag = 0);
			*pte |= 2;
			vs.cow_reuse++;
		}
	}
	return OK;
}

void do_pagefault(message *m)
{
	endpoint_t ep = m->m_source;
	struct vmproc *vmp = ep2vmp(ep);
	u32 addr = m->m.u[0], err = m->m.u[1];
	int r;

	vs.pf_total++;
	if (!vmp)
		return; /* queued before the process was torn down: nothing to do */
	r = handle_memory(vmp, addr, (err & PFERR_WRITE) != 0);
	if (r != OK) {
		printf("vm: %s (ep %u) segfault at %08x, SIGSEGV\n", vmp->vm_name, ep, addr);
		sys_kill(ep, SIGSEGV);
		return;
	}
	if (sys_vmctl(ep, VMCTL_CLEAR_PAGEFAULT, 0, NULL) != OK)
		panic("VMCTL_CLEAR_PAGEFAULT failed");
}

/* The kernel parked an IPC delivery or kernel call on memory of target:
 * fault the whole range in and tell the kernel to continue. */
void do_memory(void)
{
	message m;
	for (;;) {
		if (sys_vmctl(SELF, VMCTL_MEMREQ_GET, 0, &m) != OK)
			break;
		endpoint_t target = m.m.i[3], requestor = m.m.i[7];
		u32 start = m.m.u[4], len = m.m.u[5], v;
		int write = m.m.i[6], r = OK;
		struct vmproc *vmp = ep2vmp(target);
		if (!vmp || len == 0)
			r = EFAULT;
		for (v = PAGE_DOWN(start); r == OK && v < start + len; v += PAGE_SIZE)
			r = handle_memory(vmp, v, write);
		sys_vmctl(requestor, VMCTL_MEMREQ_REPLY, (u32)r, NULL);
	}
}
