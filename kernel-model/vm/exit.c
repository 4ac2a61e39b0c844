/* VM_EXIT (MINIX exit.c): free every region, page table and the directory. */
#include "vm.h"

void free_vmproc(struct vmproc *vmp)
{
	struct avl_node *an;
	assert(vmp->vm_flags & VMF_INUSE);
	while ((an = vmp->vm_regions.root) != NULL)
		region_destroy(vmp, (struct vir_region *)an);
	pt_free(vmp->vm_pdir);
	vmp->vm_flags = 0;
	vmp->vm_pdir = 0;
	vmp->vm_heap = vmp->vm_stack = NULL;
	vs.nproc--;
}

int do_exit(message *m)
{
	struct vmproc *vmp = ep2vmp(m->m.i[0]);
	if (!vmp || (vmp - vmproc) == VM_PROC_NR)
		return EINVAL;
	/* the process must never run on freed tables */
	sys_vmctl(vmp->vm_endpoint, VMCTL_VMINHIBIT_SET, 0, NULL);
	sys_vmctl(vmp->vm_endpoint, VMCTL_SETADDRSPACE, 0, NULL);
	free_vmproc(vmp);
	return OK;
}

int do_willexit(message *m)
{
	(void)m;
	return OK;
}
