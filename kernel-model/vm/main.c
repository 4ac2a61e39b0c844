/* VM: the memory manager. Boots itself onto its own page directory, loads
 * the other boot processes, then serves requests and page faults. */
#include "vm.h"

struct vmproc vmproc[NR_PROCS];
struct kinfo kinfo;
int sanity;
static int verbose;
static struct kinfo_range boot_free[KINFO_MAXFREE];

/* Table-driven dispatch; who may call what comes from the boot image table
 * (vmproc.vm_call_mask), as MINIX VM's per-process call mask. */
static int (*const call_table[VM_NCALLS])(message *m) = {
	[VM_FORK - VM_RQ_BASE] = do_fork,
	[VM_EXIT - VM_RQ_BASE] = do_exit,
	[VM_BRK - VM_RQ_BASE] = do_brk,
	[VM_MMAP - VM_RQ_BASE] = do_mmap,
	[VM_MUNMAP - VM_RQ_BASE] = do_munmap,
	[VM_INFO - VM_RQ_BASE] = do_info,
	[VM_WILLEXIT - VM_RQ_BASE] = do_willexit,
	[VM_RS_EXEC - VM_RQ_BASE] = do_rs_exec,
};

struct vmproc *ep2vmp(endpoint_t ep)
{
	int s = _ENDPOINT_P(ep);
	if (s < 0 || s >= NR_PROCS || !(vmproc[s].vm_flags & VMF_INUSE) || vmproc[s].vm_endpoint != ep)
		return NULL;
	return &vmproc[s];
}

/* Build VM's own directory while still on the kernel's: kernel PDEs, copies
 * of the page tables the kernel made for VM's image and stack, and the
 * physical window. Done with kernel copies since nothing is mapped yet. */
static void vm_own_pagedir(void)
{
	static u32 cur[1024], pt[1024];
	message m;
	u32 i, dir, npde;
	if (sys_vmctl(SELF, VMCTL_GET_PDBR, 0, &m) != OK)
		panic("VMCTL_GET_PDBR failed");
	if (sys_vircopy(NONE, m.m.u[3], SELF, (u32)cur, PAGE_SIZE) != OK)
		panic("cannot read the boot directory");
	dir = boot_alloc_page();
	for (i = 0; i < 960; i++) {
		if (!(cur[i] & 1))
			continue;
		u32 np = boot_alloc_page();
		if (sys_vircopy(NONE, cur[i] & ~PAGE_MASK, SELF, (u32)pt, PAGE_SIZE) != OK ||
		    sys_vircopy(SELF, (u32)pt, NONE, np, PAGE_SIZE) != OK)
			panic("cannot copy a boot page table");
		cur[i] = np | (cur[i] & PAGE_MASK);
		vs.pages_pagetable++;
	}
	/* the window: all RAM at VM_PHYSWIN + phys, 4 KiB pages so that single
	 * pages (slabs in read-only mode) can be protected */
	npde = (kinfo.mem_high + 0x3FFFFF) >> 22;
	for (i = 0; i < npde; i++) {
		u32 j, np = boot_alloc_page();
		for (j = 0; j < 1024; j++)
			pt[j] = ((i << 22) + (j << 12)) | 0x7; /* user, RW */
		if (sys_vircopy(SELF, (u32)pt, NONE, np, PAGE_SIZE) != OK)
			panic("cannot write a window page table");
		window_pt[i] = np;
		cur[(VM_PHYSWIN >> 22) + i] = np | 0x7;
		vs.pages_pagetable++;
	}
	memcpy(&cur[960], kinfo.kernel_pdes, sizeof(kinfo.kernel_pdes));
	memcpy(kernel_pdes, kinfo.kernel_pdes, sizeof(kernel_pdes));
	if (sys_vircopy(SELF, (u32)cur, NONE, dir, PAGE_SIZE) != OK)
		panic("cannot write VM's directory");
	vs.pages_pagedir++;
	if (sys_vmctl(SELF, VMCTL_SETADDRSPACE, dir, NULL) != OK)
		panic("VMCTL_SETADDRSPACE(SELF) failed");
	vmproc[VM_PROC_NR].vm_flags = VMF_INUSE;
	vmproc[VM_PROC_NR].vm_endpoint = VM_PROC_NR;
	vmproc[VM_PROC_NR].vm_pdir = dir;
	strncpy_z(vmproc[VM_PROC_NR].vm_name, "vm", 16);
}

static void vm_init(void)
{
	const char *s;
	u32 i;
	if (sys_getinfo(GET_KINFO, &kinfo, sizeof(kinfo)) != OK || kinfo.magic != KINFO_MAGIC)
		panic("cannot get kinfo");
	s = param_get(kinfo.params, "sanity");
	sanity = s && strcmp(s, "1") == 0;
	slab_ro = sanity;
	s = param_get(kinfo.params, "verbose");
	verbose = s && strcmp(s, "1") == 0;
	/* total = usable RAM pages of the memory map (below the direct-map limit) */
	for (i = 0; i < kinfo.mmap_count; i++) {
		struct kinfo_mmap *mm = &kinfo.mmap[i];
		u32 st = PAGE_UP(mm->base_lo), en;
		if (mm->type != 1 || mm->base_hi || st >= MEM_LIMIT)
			continue;
		en = mm->base_lo + mm->len_lo < mm->base_lo || mm->len_hi || mm->base_lo + mm->len_lo > MEM_LIMIT
			? MEM_LIMIT : PAGE_DOWN(mm->base_lo + mm->len_lo);
		if (en > st)
			vs.total_pages += (en - st) / PAGE_SIZE;
	}
	mem_pages = kinfo.mem_high / PAGE_SIZE;
	memcpy(boot_free, kinfo.freemem, sizeof(boot_free));
	boot_mem_begin(boot_free, kinfo.nfree);
	vm_own_pagedir();
	mem_init();
}

static void reply(endpoint_t ep, message *m, int r)
{
	m->m_type = r;
	ipc_sendnb(ep, m);
}

int main(int argc, char **argv)
{
	static const int order[] = { PM_PROC_NR, RS_PROC_NR, ECHO_PROC_NR, INIT_PROC_NR };
	message m;
	u32 i;
	(void)argc;
	(void)argv;

	vm_init();
	for (i = 0; i < 4; i++) {
		struct boot_proc *bp = &kinfo.boot_procs[order[i]];
		exec_bootproc(order[i]);
		if (verbose)
			printf("@ vm: %s loaded, directory %08x, %u anonymous pages so far\n", bp->name,
			       vmproc[order[i]].vm_pdir, vs.pages_anon);
		if (order[i] != ECHO_PROC_NR) /* echo's image is kept for restarts */
			free_pages(PAGE_DOWN(bp->mod_start), (PAGE_UP(bp->mod_start + bp->mod_len) - PAGE_DOWN(bp->mod_start)) / PAGE_SIZE);
	}
	sys_post(POST_VM_TABLES);
	printf("vm: %u pages total, %u free\n", vs.total_pages, vs.free_pages);
	for (i = 0; i < 4; i++)
		sys_vmctl(kinfo.boot_procs[order[i]].endpoint, VMCTL_BOOTINHIBIT_CLEAR, 0, NULL);
	sef_startup();

	for (;;) {
		int r, c;
		if (sanity)
			vm_sanity();
		if (ipc_receive(ANY, &m) != OK)
			continue;
		if (m.m_type == NOTIFY_MESSAGE) {
			if (m.m_source == SYSTEM)
				do_memory();
			continue;
		}
		if (m.m_type == VM_PAGEFAULT) {
			do_pagefault(&m);
			continue;
		}
		if (m.m_type == COMMON_PING) {
			m.m.i[0] = VM_PROC_NR;
			reply(m.m_source, &m, OK);
			continue;
		}
		c = m.m_type - VM_RQ_BASE;
		struct vmproc *caller = ep2vmp(m.m_source);
		if (c < 0 || c >= VM_NCALLS || !call_table[c])
			r = ENOSYS;
		else if (!caller || !(caller->vm_call_mask & (1u << c)))
			r = EPERM;
		else
			r = call_table[c](&m);
		if (r != SUSPEND)
			reply(m.m_source, &m, r);
	}
}
