/* PM: process manager (MINIX servers/pm). Owns pids, fork/exit/wait, and is
 * the signal manager of user processes. */
#include <model/lib.h>
#include <model/pm.h>
#include <model/vm.h>

#define MP_INUSE 0x1
#define MP_ZOMBIE 0x2
#define MP_WAITING 0x4

struct mproc {
	int mp_flags;
	int mp_pid;
	endpoint_t mp_endpoint;
	int mp_parent;     /* slot */
	int mp_status;     /* wait status once a zombie */
	int mp_wpid;       /* pid waited for (-1: any) */
} mproc[NR_PROCS];

static int next_pid = 2;

static struct mproc *ep2mp(endpoint_t ep)
{
	int s = _ENDPOINT_P(ep);
	if (s < 0 || s >= NR_PROCS || !(mproc[s].mp_flags & MP_INUSE) || mproc[s].mp_endpoint != ep)
		return NULL;
	return &mproc[s];
}

static void reply(endpoint_t ep, message *m, int r)
{
	m->m_type = r;
	ipc_sendnb(ep, m);
}

static void release(struct mproc *mp)
{
	sys_clear(mp->mp_endpoint, 0);
	mp->mp_flags = 0;
}

/* A zombie child meets a waiting parent: tell the parent, free the slot. */
static int try_reap(struct mproc *parent)
{
	int i;
	for (i = 0; i < NR_PROCS; i++) {
		struct mproc *c = &mproc[i];
		if ((c->mp_flags & MP_ZOMBIE) && c->mp_parent == parent - mproc &&
		    (parent->mp_wpid == -1 || parent->mp_wpid == c->mp_pid)) {
			message m;
			memset(&m, 0, sizeof(m));
			m.m.i[0] = c->mp_pid;
			m.m.i[1] = c->mp_status;
			parent->mp_flags &= ~MP_WAITING;
			release(c);
			reply(parent->mp_endpoint, &m, OK);
			return 1;
		}
	}
	return 0;
}

static void exit_proc(struct mproc *mp, int status)
{
	message m;
	int i;
	struct mproc *parent = &mproc[mp->mp_parent];
	memset(&m, 0, sizeof(m));
	m.m_type = VM_EXIT;
	m.m.i[0] = mp->mp_endpoint;
	if (ipc_sendrec(VM_PROC_NR, &m) != OK || m.m_type != OK)
		panic("VM_EXIT failed");
	mp->mp_flags |= MP_ZOMBIE;
	mp->mp_status = status;
	for (i = 0; i < NR_PROCS; i++)
		if ((mproc[i].mp_flags & MP_INUSE) && mproc[i].mp_parent == mp - mproc && &mproc[i] != mp) {
			mproc[i].mp_parent = INIT_PROC_NR;
			if ((mproc[i].mp_flags & MP_ZOMBIE) && (mproc[INIT_PROC_NR].mp_flags & MP_WAITING))
				try_reap(&mproc[INIT_PROC_NR]);
		}
	if (parent->mp_flags & MP_WAITING)
		try_reap(parent);
}

static void do_fork(message *m, struct mproc *mp)
{
	int slot;
	message vm;
	for (slot = FIRST_USER_SLOT; slot < NR_PROCS && (mproc[slot].mp_flags & MP_INUSE); slot++)
		;
	if (slot == NR_PROCS) {
		reply(m->m_source, m, EAGAIN);
		return;
	}
	memset(&vm, 0, sizeof(vm));
	vm.m_type = VM_FORK;
	vm.m.i[0] = m->m_source;
	vm.m.i[1] = slot;
	if (ipc_sendrec(VM_PROC_NR, &vm) != OK || vm.m_type != OK) {
		reply(m->m_source, m, ENOMEM);
		return;
	}
	struct mproc *c = &mproc[slot];
	c->mp_flags = MP_INUSE;
	c->mp_pid = next_pid++;
	c->mp_endpoint = vm.m.i[0];
	c->mp_parent = mp - mproc;
	m->m.i[0] = 0;
	reply(c->mp_endpoint, m, OK);
	m->m.i[0] = c->mp_pid;
	reply(mp->mp_endpoint, m, OK);
}

static void do_waitpid(message *m, struct mproc *mp)
{
	int i, pid = m->m.i[0], found = 0;
	for (i = 0; i < NR_PROCS; i++)
		if ((mproc[i].mp_flags & MP_INUSE) && mproc[i].mp_parent == mp - mproc && &mproc[i] != mp &&
		    (pid == -1 || mproc[i].mp_pid == pid))
			found = 1;
	if (!found) {
		reply(m->m_source, m, ECHILD);
		return;
	}
	mp->mp_wpid = pid;
	mp->mp_flags |= MP_WAITING;
	if (try_reap(mp))
		return;
	if (m->m.i[1] & WNOHANG) {
		mp->mp_flags &= ~MP_WAITING;
		m->m.i[0] = 0;
		reply(m->m_source, m, OK);
	}
}

static void do_write(message *m)
{
	static char buf[PM_WRITE_MAX];
	u32 len = m->m.u[1] > PM_WRITE_MAX ? PM_WRITE_MAX : m->m.u[1];
	int r = sys_vircopy(m->m_source, m->m.u[0], SELF, (u32)buf, len);
	if (r == OK)
		r = sys_diagctl_puts(buf, len);
	reply(m->m_source, m, r);
}

static void do_getinfo(message *m)
{
	static char params[1024];
	int r;
	if (m->m.i[0] == GET_TICKS) {
		message k;
		k.m.i[0] = GET_TICKS;
		r = kernel_call(SYS_GETINFO, &k);
		m->m.u[3] = k.m.u[3];
	} else if (m->m.i[0] == GET_PARAMS) {
		u32 len = m->m.u[2] > sizeof(params) ? sizeof(params) : m->m.u[2];
		r = sys_getinfo(GET_PARAMS, params, sizeof(params));
		if (r == OK)
			r = sys_vircopy(SELF, (u32)params, m->m_source, m->m.u[1], len);
	} else {
		r = EINVAL;
	}
	reply(m->m_source, m, r);
}

static void check_signals(void)
{
	endpoint_t ep;
	u32 sigs;
	while (sys_getksig(&ep, &sigs) == OK && ep != NONE) {
		struct mproc *mp = ep2mp(ep);
		int sig = 1;
		while (sig < 32 && !(sigs & (1u << sig)))
			sig++;
		if (mp && !(mp->mp_flags & MP_ZOMBIE)) {
			if (mp - mproc == INIT_PROC_NR)
				panic("init died of signal %d", sig);
			exit_proc(mp, W_EXITCODE(0, sig));
		}
		sys_endksig(ep);
	}
}

int main(int argc, char **argv)
{
	message m;
	(void)argc;
	(void)argv;
	mproc[INIT_PROC_NR].mp_flags = MP_INUSE;
	mproc[INIT_PROC_NR].mp_pid = 1;
	mproc[INIT_PROC_NR].mp_endpoint = INIT_PROC_NR;
	mproc[INIT_PROC_NR].mp_parent = INIT_PROC_NR;
	sef_startup();

	for (;;) {
		struct mproc *mp;
		if (ipc_receive(ANY, &m) != OK)
			continue;
		if (m.m_type == NOTIFY_MESSAGE) {
			if (m.m_source == SYSTEM)
				check_signals();
			continue;
		}
		if (m.m_type == COMMON_PING) {
			m.m.i[0] = PM_PROC_NR;
			reply(m.m_source, &m, OK);
			continue;
		}
		mp = ep2mp(m.m_source);
		if (!mp) {
			reply(m.m_source, &m, EPERM);
			continue;
		}
		switch (m.m_type) {
		case PM_FORK:
			do_fork(&m, mp);
			break;
		case PM_EXIT:
			if (mp - mproc == INIT_PROC_NR)
				panic("init exited");
			exit_proc(mp, W_EXITCODE(m.m.i[0] & 0xff, 0));
			break; /* no reply: the caller is gone */
		case PM_WAITPID:
			do_waitpid(&m, mp);
			break;
		case PM_GETPID:
			m.m.i[0] = mp->mp_pid;
			reply(m.m_source, &m, OK);
			break;
		case PM_KILL: {
			int i, r = ESRCH;
			for (i = 0; i < NR_PROCS; i++)
				if ((mproc[i].mp_flags & MP_INUSE) && !(mproc[i].mp_flags & MP_ZOMBIE) &&
				    mproc[i].mp_pid == m.m.i[0] && i != INIT_PROC_NR)
					r = sys_kill(mproc[i].mp_endpoint, m.m.i[1]);
			reply(m.m_source, &m, r);
			break;
		}
		case PM_WRITE:
			do_write(&m);
			break;
		case PM_GETINFO:
			do_getinfo(&m);
			break;
		case PM_SHUTDOWN:
			if (mp - mproc != INIT_PROC_NR) {
				reply(m.m_source, &m, EPERM);
				break;
			}
			m.m.i[1] = m.m.i[0];
			m.m.i[0] = DIAG_SHUTDOWN;
			kernel_call(SYS_DIAGCTL, &m);
			break;
		default:
			reply(m.m_source, &m, ENOSYS);
		}
	}
}
