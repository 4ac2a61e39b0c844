/* getinfo, diagctl (console, POST, shutdown), setalarm. */
#include "../system.h"

int do_getinfo(struct proc *caller, message *m)
{
	void *src;
	u32 len = m->m.u[2], size;
	switch (m->m.i[0]) {
	case GET_KINFO:
		src = &kinfo;
		size = sizeof(kinfo);
		break;
	case GET_PARAMS:
		src = kinfo.params;
		size = sizeof(kinfo.params);
		break;
	case GET_BOOTPROCS:
		src = kinfo.boot_procs;
		size = sizeof(kinfo.boot_procs);
		break;
	case GET_TICKS:
		m->m.u[3] = ticks;
		return OK;
	default:
		return EINVAL;
	}
	if (len > size)
		len = size;
	return kcopy(caller, NULL, PHYS(src), caller, m->m.u[1], len);
}

int do_diagctl(struct proc *caller, message *m)
{
	static char buf[513];
	u32 len, i;
	int r;
	switch (m->m.i[0]) {
	case DIAG_PUTS:
		len = m->m.u[2] > 512 ? 512 : m->m.u[2];
		if ((r = kcopy(caller, caller, m->m.u[1], NULL, PHYS(buf), len)) != OK)
			return r;
		for (i = 0; i < len; i++)
			kputc(buf[i]);
		return OK;
	case DIAG_POST:
		post(m->m.i[1] & 0xff);
		return OK;
	case DIAG_SHUTDOWN:
		m->m.c[55] = 0;
		shutdown(m->m.i[1], &m->m.c[8]);
	case DIAG_PANIC:
		m->m.c[55] = 0;
		panic("%s", &m->m.c[8]);
	}
	return EINVAL;
}

int do_setalarm(struct proc *caller, message *m)
{
	caller->p_alarm = m->m.u[0] ? ticks + m->m.u[0] : 0;
	return OK;
}
