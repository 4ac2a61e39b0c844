/* Kernel signals: posted by SYS_KILL or by exceptions, fetched by the
 * target's signal manager (PM for users, RS for system processes). */
#include "../system.h"

int do_kill(struct proc *caller, message *m)
{
	struct proc *p = ep_arg(caller, m->m.i[0]);
	int sig = m->m.i[1];
	if (!p || p->p_nr < 0 || sig <= 0 || sig >= 32)
		return EINVAL;
	cause_sig(p, sig);
	return OK;
}

int do_getksig(struct proc *caller, message *m)
{
	int i;
	for (i = 0; i < NR_SLOTS; i++) {
		struct proc *p = &proc[i];
		if (p->p_pending_ksig && !(p->p_rts_flags & RTS_SLOT_FREE) &&
		    p->p_priv->s_sig_mgr == caller->p_endpoint) {
			m->m.i[0] = p->p_endpoint;
			m->m.u[1] = p->p_pending_ksig;
			p->p_pending_ksig = 0;
			return OK;
		}
	}
	m->m.i[0] = NONE;
	m->m.u[1] = 0;
	return OK;
}

int do_endksig(struct proc *caller, message *m)
{
	(void)caller;
	(void)m;
	return OK;
}
