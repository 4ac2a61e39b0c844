/* VM_FORK (MINIX fork.c): the child gets a copy of every region; present
 * pages are shared, and pages of writable regions become read-only on both
 * sides with a reference count > 1, so the first write copies (COW). */
#include "vm.h"

/* Share every present page of pr with the child's copy cr. Pages of
 * writable regions become COW: read-only on both sides until written. */
static void copy_region_pages(struct vmproc *par, struct vmproc *ch, struct vir_region *pr, struct vir_region *cr)
{
	u32 i;
	for (i = 0; i < pr->length / PAGE_SIZE; i++) {
		struct phys_region *src = pr->page[i];
		if (!src)
			continue;
		if (pr->flags & VR_WRITABLE) {
			USE(src->ph, src->ph->share_flag = PBSH_COW);
			*pt_pte(par->vm_pdir, vr_vaddr(pr) + src->offset, 0) &= ~2u;
		}
		region_share_page(ch, cr, src, 0x5);
	}
}

int do_fork(message *m)
{
	struct vmproc *par = ep2vmp(m->m.i[0]), *ch;
	struct avl_node *an;
	endpoint_t child_ep;
	int slot = m->m.i[1];

	if (!par || slot < FIRST_USER_SLOT || slot >= NR_PROCS || (vmproc[slot].vm_flags & VMF_INUSE))
		return EINVAL;
	if (sys_fork(par->vm_endpoint, slot, &child_ep) != OK)
		return EINVAL;
	ch = &vmproc[slot];
	memset(ch, 0, sizeof(*ch));
	ch->vm_flags = VMF_INUSE;
	ch->vm_endpoint = child_ep;
	memcpy(ch->vm_name, par->vm_name, sizeof(ch->vm_name));
	ch->vm_pdir = pt_new();
	ch->vm_brk = par->vm_brk;
	ch->vm_call_mask = VM_USER_CALLS; /* forked processes are plain users */
	for (an = avl_find_ge(&par->vm_regions, 0); an; an = avl_find_ge(&par->vm_regions, an->key + 1)) {
		struct vir_region *pr = (struct vir_region *)an;
		struct vir_region *cr = region_new(ch, vr_vaddr(pr), pr->length, pr->flags, pr->tag);
		copy_region_pages(par, ch, pr, cr);
		if (pr == par->vm_heap)
			ch->vm_heap = cr;
		if (pr == par->vm_stack)
			ch->vm_stack = cr;
		if (vr_vaddr(pr) + pr->length == 0)
			break;
	}
	assert(ch->vm_heap && ch->vm_stack);
	vs.nproc++;
	/* the parent's PTEs lost RW: make it reload its tables */
	sys_vmctl(par->vm_endpoint, VMCTL_SETADDRSPACE, par->vm_pdir, NULL);
	sys_vmctl(child_ep, VMCTL_SETADDRSPACE, ch->vm_pdir, NULL);
	sys_vmctl(child_ep, VMCTL_VMINHIBIT_CLEAR, 0, NULL);
	m->m.i[0] = child_ep;
	return OK;
}
