/* Process start-up, IPC wrappers and kernel-call wrappers. */
#include <model/lib.h>

int use_sysenter;
char **environ;
const char *progname = "?";

int ipc_call(int prim, endpoint_t ep, message *m);
int kernel_call_trap(message *m);
int main(int argc, char **argv);

void crt_main(int argc, char **argv, char **envp)
{
	const char *s;
	environ = envp;
	if (argc > 0)
		progname = argv[0];
	s = env_get("FLSYSCALL");
	use_sysenter = s && strcmp(s, "sysenter") == 0;
	main(argc, argv);
	sys_exit();
	for (;;)
		;
}

const char *env_get(const char *name)
{
	size_t n = strlen(name);
	char **e;
	for (e = environ; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

const char *param_get(const char *p, const char *name)
{
	size_t n = strlen(name);
	while (*p) {
		if (strncmp(p, name, n) == 0 && p[n] == '=')
			return p + n + 1;
		p += strlen(p) + 1;
	}
	return NULL;
}

int ipc_send(endpoint_t dst, message *m) { return ipc_call(SEND, dst, m); }
int ipc_receive(endpoint_t src, message *m) { return ipc_call(RECEIVE, src, m); }
int ipc_sendrec(endpoint_t dst, message *m) { return ipc_call(SENDREC, dst, m); }
int ipc_sendnb(endpoint_t dst, message *m) { return ipc_call(SENDNB, dst, m); }
int ipc_notify(endpoint_t dst) { return ipc_call(NOTIFY, dst, NULL); }

int kernel_call(int type, message *m)
{
	m->m_type = type;
	return kernel_call_trap(m);
}

int sys_diagctl_puts(const char *s, size_t len)
{
	message m;
	m.m.i[0] = DIAG_PUTS;
	m.m.u[1] = (u32)s;
	m.m.u[2] = len;
	return kernel_call(SYS_DIAGCTL, &m);
}

int sys_post(int code)
{
	message m;
	m.m.i[0] = DIAG_POST;
	m.m.i[1] = code;
	return kernel_call(SYS_DIAGCTL, &m);
}

int sys_diag_shutdown(int status)
{
	message m;
	memset(&m, 0, sizeof(m));
	m.m.i[0] = DIAG_SHUTDOWN;
	m.m.i[1] = status;
	return kernel_call(SYS_DIAGCTL, &m);
}

int sys_getinfo(int what, void *buf, size_t len)
{
	message m;
	m.m.i[0] = what;
	m.m.u[1] = (u32)buf;
	m.m.u[2] = len;
	return kernel_call(SYS_GETINFO, &m);
}

int sys_vircopy(endpoint_t se, vir_bytes sa, endpoint_t de, vir_bytes da, size_t len)
{
	message m;
	m.m.i[0] = se;
	m.m.u[1] = sa;
	m.m.i[2] = de;
	m.m.u[3] = da;
	m.m.u[4] = len;
	return kernel_call(SYS_VIRCOPY, &m);
}

int sys_vmctl(endpoint_t ep, int param, u32 value, message *reply)
{
	message m, *mp = reply ? reply : &m;
	mp->m.i[0] = ep;
	mp->m.i[1] = param;
	mp->m.u[2] = value;
	return kernel_call(SYS_VMCTL, mp);
}

int sys_kill(endpoint_t ep, int sig)
{
	message m;
	m.m.i[0] = ep;
	m.m.i[1] = sig;
	return kernel_call(SYS_KILL, &m);
}

int sys_getksig(endpoint_t *ep, u32 *sigs)
{
	message m;
	int r = kernel_call(SYS_GETKSIG, &m);
	*ep = m.m.i[0];
	*sigs = m.m.u[1];
	return r;
}

int sys_endksig(endpoint_t ep)
{
	message m;
	m.m.i[0] = ep;
	return kernel_call(SYS_ENDKSIG, &m);
}

int sys_clear(endpoint_t ep, int flags)
{
	message m;
	m.m.i[0] = ep;
	m.m.i[1] = flags;
	return kernel_call(SYS_CLEAR, &m);
}

int sys_privctl(endpoint_t ep, int op)
{
	message m;
	m.m.i[0] = ep;
	m.m.i[1] = op;
	return kernel_call(SYS_PRIVCTL, &m);
}

int sys_exec(endpoint_t ep, vir_bytes sp, vir_bytes pc)
{
	message m;
	m.m.i[0] = ep;
	m.m.u[1] = sp;
	m.m.u[2] = pc;
	return kernel_call(SYS_EXEC, &m);
}

int sys_fork(endpoint_t parent, int slot, endpoint_t *child)
{
	message m;
	int r;
	m.m.i[0] = parent;
	m.m.i[1] = slot;
	r = kernel_call(SYS_FORK, &m);
	*child = m.m.i[0];
	return r;
}

int sys_memset(phys_bytes p, int c, size_t len)
{
	message m;
	m.m.u[0] = p;
	m.m.i[1] = c;
	m.m.u[2] = len;
	return kernel_call(SYS_MEMSET, &m);
}

int sys_exit(void)
{
	message m;
	return kernel_call(SYS_EXIT, &m);
}
