/* SYSTEM: kernel-call dispatch. Calls run synchronously in the caller's trap;
 * the reply travels back through the same delivery path as IPC replies, so a
 * reply into a not-yet-writable page is parked rather than lost. */
#include "system.h"

static const kcall_t call_vec[NR_SYS_CALLS] = {
	do_fork, do_exec, do_clear, do_exit, do_privctl, do_kill, do_getksig, do_endksig,
	do_umap, do_vircopy, do_vircopy, do_memset, do_vmctl, do_getinfo, do_diagctl, do_setalarm,
};

struct proc *ep_arg(struct proc *caller, endpoint_t e)
{
	return e == SELF ? caller : endpoint_lookup(e);
}

/* Copy with fault handling: a missing page parks the caller on VM. */
int kcopy(struct proc *caller, struct proc *sp, vir_bytes sa, struct proc *dp, vir_bytes da, size_t len)
{
	struct proc *fp;
	vir_bytes fa;
	int fw;
	u32 flen;
	if (copy_bytes(sp, sa, dp, da, len, &fp, &fa, &fw, &flen) == OK)
		return OK;
	if (!fp || fp->p_nr == VM_PROC_NR || fp->p_cr3 == 0 || caller->p_vmreq.failed) {
		caller->p_vmreq.failed = 0;
		return EFAULT;
	}
	vm_request(caller, VMSTYPE_REDO, fp->p_endpoint, fa, flen, fw);
	return SUSPEND;
}

void do_kernel_call(struct proc *p)
{
	message m;
	vir_bytes vir = p->p_reg.eax;
	int r, call;

	switch (kcopy(p, p, vir, NULL, PHYS(&m), sizeof(m))) {
	case OK:
		break;
	case SUSPEND:
		return;
	default:
		p->p_reg.eax = (u32)EFAULT;
		return;
	}
	m.m_source = p->p_endpoint;
	call = m.m_type - KERNEL_CALL;
	if (call < 0 || call >= NR_SYS_CALLS)
		r = ENOSYS;
	else if (!(p->p_priv->s_k_call_mask & (1u << call)))
		r = ECALLDENIED;
	else
		r = call_vec[call](p, &m);
	if (r == SUSPEND)
		return;
	p->p_vmreq.failed = 0;
	if (r == EDONTREPLY)
		return;
	m.m_type = r;
	assert(!(p->p_misc_flags & MF_DELIVERMSG));
	p->p_delivermsg = m;
	p->p_delivermsg_vir = vir;
	p->p_misc_flags |= MF_DELIVERMSG;
	p->p_reg.eax = (u32)r;
}
