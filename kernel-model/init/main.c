/* init: pings the services, runs the selected workload, reports and asks PM
 * to shut the machine down. Output goes through PM WRITE. */
#include "init.h"

static int pm_write(const char *s, size_t len)
{
	message m;
	m.m_type = PM_WRITE;
	m.m.u[0] = (u32)s;
	m.m.u[1] = len;
	return ipc_sendrec(PM_PROC_NR, &m);
}

static int pm_call(int type, message *m)
{
	m->m_type = type;
	if (ipc_sendrec(PM_PROC_NR, m) != OK)
		return EFAULT;
	return m->m_type;
}

int fork(void)
{
	message m;
	int r = pm_call(PM_FORK, &m);
	return r == OK ? m.m.i[0] : r;
}

void exit(int status)
{
	message m;
	m.m.i[0] = status;
	pm_call(PM_EXIT, &m);
	for (;;)
		;
}

int waitpid(int pid, int *status, int options)
{
	message m;
	int r;
	m.m.i[0] = pid;
	m.m.i[1] = options;
	if ((r = pm_call(PM_WAITPID, &m)) != OK)
		return r;
	if (status)
		*status = m.m.i[1];
	return m.m.i[0];
}

static int vm_call(int type, message *m)
{
	m->m_type = type;
	if (ipc_sendrec(VM_PROC_NR, m) != OK)
		return EFAULT;
	return m->m_type;
}

u32 mmap_anon(u32 len)
{
	message m;
	m.m.u[0] = len;
	m.m.u[1] = PROT_READ | PROT_WRITE;
	m.m.u[2] = MAP_ANON | MAP_PRIVATE;
	return vm_call(VM_MMAP, &m) == OK ? m.m.u[0] : MAP_FAILED;
}

int munmap(u32 addr, u32 len)
{
	message m;
	m.m.u[0] = addr;
	m.m.u[1] = len;
	return vm_call(VM_MUNMAP, &m);
}

static u32 cur_brk;

int brk(u32 addr)
{
	message m;
	m.m.u[0] = addr;
	if (vm_call(VM_BRK, &m) != OK)
		return ENOMEM;
	cur_brk = m.m.u[0];
	return OK;
}

u32 sbrk(int incr)
{
	u32 old;
	if (!cur_brk && brk(0) != OK)
		return 0xFFFFFFFF;
	old = cur_brk;
	if (incr && brk(old + (u32)incr) != OK)
		return 0xFFFFFFFF;
	return old;
}

int vm_stats(u32 *st)
{
	message m;
	int r, i;
	m.m.i[0] = VM_INFO_STATS;
	r = vm_call(VM_INFO, &m);
	for (i = 0; i < VMS_COUNT; i++)
		st[i] = m.m.u[i];
	return r;
}

u32 ping(endpoint_t ep, int *ok)
{
	message m;
	memset(&m, 0, sizeof(m));
	m.m_type = COMMON_PING;
	*ok = ipc_sendrec(ep, &m) == OK && m.m_type == OK;
	return m.m.u[0];
}

static u32 get_ticks(void)
{
	message m;
	m.m.i[0] = GET_TICKS;
	return pm_call(PM_GETINFO, &m) == OK ? m.m.u[3] : 0;
}

static void shutdown(int failed, const char *reason)
{
	message m;
	memset(&m, 0, sizeof(m));
	m.m.i[0] = failed;
	strncpy_z(&m.m.c[8], reason, 48);
	pm_call(PM_SHUTDOWN, &m);
	for (;;)
		;
}

/* Touch the top 64 KiB of the stack so workloads never demand-page it and
 * the leak baseline is stable. */
static void touch_stack(void)
{
	volatile u8 *p;
	u32 sp;
	__asm__ volatile("movl %%esp, %0" : "=r"(sp));
	for (p = (volatile u8 *)(USR_STACKTOP - 65536); (u32)p < sp - 64; p += PAGE_SIZE)
		*p = 0;
}

static int run_one(const struct workload *w, u32 n)
{
	struct result res = { 0, FNV_INIT, 0 };
	u32 before[VMS_COUNT], after[VMS_COUNT];
	int leak;

	printf("workload: %s n=%u\n", w->name, n);
	vm_stats(before);
	sys_post(POST_WORK_START);
	w->run(n, &res);
	sys_post(POST_WORK_END);
	vm_stats(after);
	leak = (int)(after[VMS_ANON] + after[VMS_PD]) - (int)(before[VMS_ANON] + before[VMS_PD]);
	printf("result: %s n=%u value=%u checksum=%08x\n", w->name, n, res.value, res.checksum);
	printf("mem: leak=%d\n", leak);
	printf("@ vm-stats pf=%u zero=%u cow=%u reuse=%u pt=%u slab=%u free=%u\n", after[VMS_PF],
	       after[VMS_ZERO], after[VMS_COW], after[VMS_REUSE], after[VMS_PT], after[VMS_SLAB], after[VMS_FREE]);
	return res.ok && leak == 0;
}

static const struct workload *find_workload(const char *name)
{
	const struct workload *w;
	for (w = workloads; w->name; w++)
		if (strcmp(w->name, name) == 0)
			return w;
	return NULL;
}

int main(int argc, char **argv)
{
	static char params[1024];
	static const struct { const char *name; u32 n; } all[] = {
		{ "boot", 0 }, { "forkstorm", 200 }, { "pfstorm", 1024 }, { "cow", 256 }, { "ipc", 10000 },
		{ "mmap", 1000 }, { "brk", 1000 }, { "crash", 1 }, { "cpu", 1000000 },
	};
	message m;
	const char *wname, *ns;
	u32 t_boot, t_work, i;
	int ok = 1, pinged;
	(void)argc;
	(void)argv;

	console_write = pm_write;
	touch_stack();
	ping(PM_PROC_NR, &pinged);
	ok &= pinged;
	ping(RS_PROC_NR, &pinged);
	ok &= pinged;
	ping(VM_PROC_NR, &pinged);
	ok &= pinged;
	ping(ECHO_PROC_NR, &pinged);
	ok &= pinged;
	if (!ok)
		shutdown(1, "a service did not answer");
	printf("boot: ok\n");
	sys_post(POST_BOOT_DONE);
	t_boot = get_ticks();

	m.m.i[0] = GET_PARAMS;
	m.m.u[1] = (u32)params;
	m.m.u[2] = sizeof(params);
	if (pm_call(PM_GETINFO, &m) != OK)
		shutdown(1, "no parameters");
	wname = param_get(params, "workload");
	if (!wname)
		wname = "boot";
	ns = param_get(params, "n");

	if (strcmp(wname, "panic") == 0) {
		printf("workload: panic n=0\n");
		sys_post(POST_WORK_START);
		memset(&m, 0, sizeof(m));
		m.m.i[0] = DIAG_PANIC;
		strncpy_z(&m.m.c[8], "test panic requested by init", 48);
		kernel_call(SYS_DIAGCTL, &m);
		shutdown(1, "panic returned");
	}
	if (strcmp(wname, "all") == 0) {
		for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
			ok &= run_one(find_workload(all[i].name), all[i].n);
	} else {
		const struct workload *w = find_workload(wname);
		if (!w)
			shutdown(1, "unknown workload");
		ok = run_one(w, ns ? atou(ns) : w->default_n);
	}
	t_work = get_ticks();
	printf("@ ticks boot=%u work=%u\n", t_boot, t_work - t_boot);
	shutdown(!ok, ok ? "" : "check failed");
	return 0;
}
