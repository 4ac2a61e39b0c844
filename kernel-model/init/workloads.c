/* The workloads of spec section 7. Each computes a deterministic value and
 * an FNV-1a checksum (see README.md for the exact formulas) and must not
 * print inside its loops. */
#include "init.h"

#define GOLDEN 0x9e3779b9u

static void sum_in(struct result *r, u32 v)
{
	r->checksum = fnv_u32(r->checksum, v);
}

static void w_boot(u32 n, struct result *r)
{
	static const endpoint_t eps[] = { PM_PROC_NR, RS_PROC_NR, VM_PROC_NR, ECHO_PROC_NR };
	u32 i;
	int ok;
	(void)n;
	for (i = 0; i < 4; i++) {
		u32 v = ping(eps[i], &ok);
		if (ok) {
			r->value++;
			sum_in(r, v);
		}
	}
	r->ok = r->value == 4;
}

static void w_forkstorm(u32 n, struct result *r)
{
	u32 i;
	int bad = 0;
	sys_post(POST_PHASE_SETUP);
	for (i = 0; i < n; i++) {
		int st, pid = fork();
		if (pid == 0)
			exit((int)((i * 7 + 3) & 0xff));
		if (pid < 0 || waitpid(pid, &st, 0) != pid || WIFSIGNALED(st)) {
			bad++;
			continue;
		}
		r->value += WEXITSTATUS(st);
		sum_in(r, WEXITSTATUS(st));
	}
	sys_post(POST_PHASE_VERIFY);
	r->ok = bad == 0;
}

static void w_pfstorm(u32 n, struct result *r)
{
	u32 i, base;
	r->ok = n == 0;
	if (n == 0)
		return;
	base = mmap_anon(n * PAGE_SIZE);
	if (base == MAP_FAILED) {
		r->value = n;
		return;
	}
	sys_post(POST_PHASE_SETUP);
	for (i = 0; i < n; i++)
		*(volatile u32 *)(base + i * PAGE_SIZE + (i * 64) % PAGE_SIZE) = i * GOLDEN;
	sys_post(POST_PHASE_VERIFY);
	for (i = 0; i < n; i++) {
		u32 v = *(volatile u32 *)(base + i * PAGE_SIZE + (i * 64) % PAGE_SIZE);
		if (v != i * GOLDEN)
			r->value++;
		sum_in(r, v);
	}
	munmap(base, n * PAGE_SIZE);
	r->ok = r->value == 0;
}

static void w_cow(u32 n, struct result *r)
{
	u32 i, base;
	int pid, st;
	r->ok = n == 0;
	if (n == 0)
		return;
	base = mmap_anon(n * PAGE_SIZE);
	if (base == MAP_FAILED) {
		r->value = n;
		return;
	}
	for (i = 0; i < n; i++)
		*(volatile u32 *)(base + i * PAGE_SIZE) = i * GOLDEN;
	pid = fork();
	if (pid == 0) {
		u32 bad = 0;
		for (i = 0; i < n; i += 2)
			*(volatile u32 *)(base + i * PAGE_SIZE) = ~(i * GOLDEN);
		for (i = 0; i < n; i++)
			if (*(volatile u32 *)(base + i * PAGE_SIZE) != ((i & 1) ? i * GOLDEN : ~(i * GOLDEN)))
				bad++;
		exit((int)(bad > 255 ? 255 : bad));
	}
	sys_post(POST_PHASE_SETUP);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || WIFSIGNALED(st)) {
		r->value = n;
		munmap(base, n * PAGE_SIZE);
		return;
	}
	sys_post(POST_PHASE_VERIFY);
	for (i = 0; i < n; i++) {
		u32 v = *(volatile u32 *)(base + i * PAGE_SIZE);
		if (v != i * GOLDEN)
			r->value++;
		sum_in(r, v);
	}
	r->value += WEXITSTATUS(st);
	sum_in(r, WEXITSTATUS(st));
	munmap(base, n * PAGE_SIZE);
	r->ok = r->value == 0;
}

static void w_ipc(u32 n, struct result *r)
{
	message m;
	u32 i;
	int bad = 0;
	for (i = 0; i < n; i++) {
		m.m_type = ECHO_PING;
		m.m.u[0] = i;
		if (ipc_sendrec(ECHO_PROC_NR, &m) != OK || m.m_type != OK)
			bad++;
		r->value = m.m.u[0];
		if ((i & 1023) == 0)
			sum_in(r, m.m.u[0]);
	}
	r->ok = bad == 0 && (n == 0 || r->value == (n - 1) * 31 + 7);
}

static void w_mmap(u32 n, struct result *r)
{
	u32 i;
	sys_post(POST_PHASE_SETUP);
	for (i = 0; i < n; i++) {
		u32 pages = (i % 8) + 1, a = mmap_anon(pages * PAGE_SIZE);
		sum_in(r, a);
		if (a == MAP_FAILED) {
			r->value++;
			continue;
		}
		*(volatile u32 *)a = i;
		*(volatile u32 *)(a + (pages - 1) * PAGE_SIZE) = i;
		if (munmap(a, pages * PAGE_SIZE) != OK)
			r->value++;
	}
	sys_post(POST_PHASE_VERIFY);
	r->ok = r->value == 0;
}

static void w_brk(u32 n, struct result *r)
{
	u32 i, start = sbrk(0), p;
	int bad = 0;
	sys_post(POST_PHASE_SETUP);
	for (i = 0; i < n; i++) {
		u32 incr = PAGE_SIZE * ((i % 4) + 1), old = sbrk((int)incr);
		if (old == 0xFFFFFFFF) {
			bad++;
			continue;
		}
		sum_in(r, old - start);
		for (p = old; p < old + incr; p += PAGE_SIZE)
			*(volatile u32 *)p = i;
		if (i % 16 == 15 && brk(start) != OK)
			bad++;
	}
	sys_post(POST_PHASE_VERIFY);
	r->value = sbrk(0) - start;
	if (brk(start) != OK)
		bad++;
	r->ok = bad == 0;
}

static void w_crash(u32 n, struct result *r)
{
	message m;
	u32 i;
	int bad = 0;
	sys_post(POST_PHASE_SETUP);
	for (i = 0; i < n; i++) {
		m.m_type = ECHO_CRASH;
		ipc_sendrec(ECHO_PROC_NR, &m); /* fails with EDEADSRCDST when echo dies */
		for (;;) {
			m.m_type = ECHO_STATUS;
			if (ipc_sendrec(ECHO_PROC_NR, &m) == OK && m.m_type == OK)
				break;
		}
		if ((u32)m.m.i[0] != i + 1 || m.m.i[1] != SEF_INIT_RESTART)
			bad++;
		else
			r->value++;
		sum_in(r, m.m.u[0]);
		sum_in(r, m.m.u[1]);
	}
	sys_post(POST_PHASE_VERIFY);
	r->ok = bad == 0;
}

static void w_cpu(u32 n, struct result *r)
{
	u32 x = 0x12345678, i;
	u64 sum = 0, q, rem;
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		sum += x;
		if ((i & 4095) == 4095) {
			q = u64_divmod(sum, 1000003, &rem);
			sum = q + rem;
		}
	}
	r->value = x;
	sum_in(r, x);
	sum_in(r, (u32)sum);
	sum_in(r, (u32)(sum >> 32));
	r->ok = 1;
}

/* Not in the spec's list (and not in "all"): a child dies of SIGSEGV, which
 * exercises VM's kill, the kernel's signal routing to PM and wait status. */
static void w_segv(u32 n, struct result *r)
{
	u32 i;
	int bad = 0;
	sys_post(POST_PHASE_SETUP);
	for (i = 0; i < n; i++) {
		int st, pid = fork();
		if (pid == 0) {
			*(volatile u32 *)(i * 4) = i; /* null page */
			exit(0);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFSIGNALED(st)) {
			bad++;
			continue;
		}
		r->value += WTERMSIG(st);
		sum_in(r, WTERMSIG(st));
	}
	sys_post(POST_PHASE_VERIFY);
	r->ok = bad == 0;
}

const struct workload workloads[] = {
	{ "boot", 0, w_boot },
	{ "forkstorm", 1000, w_forkstorm },
	{ "pfstorm", 4096, w_pfstorm },
	{ "cow", 1024, w_cow },
	{ "ipc", 100000, w_ipc },
	{ "mmap", 10000, w_mmap },
	{ "brk", 10000, w_brk },
	{ "crash", 3, w_crash },
	{ "cpu", 10000000, w_cpu },
	{ "segv", 1, w_segv },
	{ NULL, 0, NULL },
};
