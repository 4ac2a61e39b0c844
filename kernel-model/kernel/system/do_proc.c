/* Process-lifecycle kernel calls: fork, exec, clear, exit, privctl. */
#include "../system.h"
#include "../table.h"

int do_fork(struct proc *caller, message *m)
{
	struct proc *parent = ep_arg(caller, m->m.i[0]), *child;
	int slot = m->m.i[1], gen;
	(void)caller;
	if (!parent || slot < FIRST_USER_SLOT || slot >= NR_PROCS)
		return EINVAL;
	child = proc_addr(slot);
	if (!(child->p_rts_flags & RTS_SLOT_FREE))
		return EBUSY;
	gen = child->p_gen + 1;
	if (gen >= 0x10000)
		gen = 1;
	*child = *parent;
	child->p_nr = slot;
	child->p_gen = gen;
	child->p_endpoint = make_endpoint(gen, slot);
	child->p_caller_q = child->p_q_link = child->p_nextready = NULL;
	memset(child->p_notify, 0, sizeof(child->p_notify));
	child->p_pending_ksig = 0;
	child->p_alarm = 0;
	child->p_user_time = 0;
	child->p_cr3 = 0;
	child->p_priv = USER_PRIV;
	child->p_misc_flags = (parent->p_misc_flags & MF_REPLY_PEND) | MF_DISPATCHED;
	/* the parent is blocked in sendrec(PM): so is the copy */
	child->p_rts_flags = (parent->p_rts_flags & RTS_RECEIVING) | RTS_VMINHIBIT;
	m->m.i[0] = child->p_endpoint;
	return OK;
}

int do_exec(struct proc *caller, message *m)
{
	struct proc *p = ep_arg(caller, m->m.i[0]);
	if (!p)
		return EINVAL;
	memset(&p->p_reg, 0, sizeof(p->p_reg));
	p->p_reg.esp = m->m.u[1];
	p->p_reg.eip = m->m.u[2];
	p->p_reg.cs = 0x1b;
	p->p_reg.ds = p->p_reg.es = p->p_reg.fs = p->p_reg.gs = p->p_reg.ss = 0x23;
	p->p_reg.eflags = 0x202;
	p->p_trapstyle = TRAP_INT;
	p->p_misc_flags &= ~(MF_DELIVERMSG | MF_REPLY_PEND | MF_REDO);
	return OK;
}

int do_clear(struct proc *caller, message *m)
{
	struct proc *p = ep_arg(caller, m->m.i[0]);
	if (!p || p == caller || p->p_nr < 0)
		return EINVAL;
	clear_proc(p, m->m.i[1] & CLEAR_KEEP_EP);
	return OK;
}

int do_exit(struct proc *caller, message *m)
{
	(void)m;
	cause_sig(caller, SIGKILL);
	return EDONTREPLY;
}

int do_privctl(struct proc *caller, message *m)
{
	struct proc *p = ep_arg(caller, m->m.i[0]);
	if (!p)
		return EINVAL;
	if (m->m.i[1] == PRIVCTL_RUN)
		rts_clear(p, RTS_RSWAIT | RTS_NO_PRIV | RTS_PROC_STOP | RTS_SIGNALED);
	else if (m->m.i[1] == PRIVCTL_STOP)
		rts_set(p, RTS_PROC_STOP);
	else
		return EINVAL;
	return OK;
}
