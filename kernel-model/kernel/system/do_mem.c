/* Memory kernel calls: umap, vircopy/physcopy (NONE = physical), memset. */
#include "../system.h"

int do_umap(struct proc *caller, message *m)
{
	struct proc *p = ep_arg(caller, m->m.i[0]);
	vir_bytes v = m->m.u[1], a;
	u32 len = m->m.u[2];
	phys_bytes ph, first;
	if (!p || len == 0 || umap(p, v, 0, &first))
		return EFAULT;
	/* the range must be physically contiguous */
	for (a = PAGE_DOWN(v) + PAGE_SIZE; a < v + len; a += PAGE_SIZE)
		if (umap(p, a, 0, &ph) || ph != PAGE_DOWN(first) + (a - PAGE_DOWN(v)))
			return EFAULT;
	m->m.u[3] = first;
	return OK;
}

int do_vircopy(struct proc *caller, message *m)
{
	endpoint_t se = m->m.i[0], de = m->m.i[2];
	struct proc *sp = NULL, *dp = NULL;
	if (m->m_type == SYS_PHYSCOPY)
		se = de = NONE;
	if (se != NONE && !(sp = ep_arg(caller, se)))
		return EDEADSRCDST;
	if (de != NONE && !(dp = ep_arg(caller, de)))
		return EDEADSRCDST;
	return kcopy(caller, sp, m->m.u[1], dp, m->m.u[3], m->m.u[4]);
}

int do_memset(struct proc *caller, message *m)
{
	phys_bytes p = m->m.u[0];
	u32 len = m->m.u[2];
	(void)caller;
	if (p >= MEM_LIMIT || MEM_LIMIT - p < len)
		return EFAULT;
	memset(VIR(p), m->m.i[1], len);
	return OK;
}
