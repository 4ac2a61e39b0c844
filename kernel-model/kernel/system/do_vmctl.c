/* SYS_VMCTL: VM's control over address spaces, faults and memory requests. */
#include "../system.h"
#include "../arch/io.h"

int do_vmctl(struct proc *caller, message *m)
{
	struct proc *p = NULL, *rq;
	int param = m->m.i[1];
	u32 value = m->m.u[2];

	if (param != VMCTL_MEMREQ_GET && param != VMCTL_FLUSHTLB && !(p = ep_arg(caller, m->m.i[0])))
		return EINVAL;
	switch (param) {
	case VMCTL_CLEAR_PAGEFAULT:
		rts_clear(p, RTS_PAGEFAULT);
		return OK;
	case VMCTL_GET_PDBR:
		m->m.u[3] = p->p_cr3;
		return OK;
	case VMCTL_MEMREQ_GET:
		if (!(rq = vmreq_get()))
			return ESRCH;
		m->m.i[3] = rq->p_vmreq.target;
		m->m.u[4] = rq->p_vmreq.start;
		m->m.u[5] = rq->p_vmreq.len;
		m->m.i[6] = rq->p_vmreq.write;
		m->m.i[7] = rq->p_endpoint;
		return OK;
	case VMCTL_MEMREQ_REPLY:
		vmreq_reply(p, (int)value);
		return OK;
	case VMCTL_FLUSHTLB:
		reload_cr3();
		return OK;
	case VMCTL_SETADDRSPACE:
		p->p_cr3 = value; /* loaded when p is next dispatched */
		return OK;
	case VMCTL_VMINHIBIT_SET:
		rts_set(p, RTS_VMINHIBIT);
		return OK;
	case VMCTL_VMINHIBIT_CLEAR:
		rts_clear(p, RTS_VMINHIBIT);
		return OK;
	case VMCTL_BOOTINHIBIT_CLEAR:
		rts_clear(p, RTS_BOOTINHIBIT | RTS_VMINHIBIT);
		return OK;
	case VMCTL_INVLPG:
		if (p == proc_ptr)
			invlpg(value);
		return OK;
	}
	return EINVAL;
}
