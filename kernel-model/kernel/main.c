/* kmain: the paged kernel's start. Sets up the CPU tables, the high-only
 * page directory, interrupts and the process table, loads VM, and hands the
 * CPU to the scheduler. */
#include "kernel.h"
#include "table.h"
#include "arch/io.h"

struct kinfo kinfo;
u32 kernel_pagedir[1024] __attribute__((aligned(4096)));

static void post_early(int code, struct kinfo *ki)
{
	outb(0x80, (u8)code);
	ki->post_early[ki->npost_early++] = (u8)code;
}

/* Post-relocation directory: only the direct map (with G if PGE), no
 * identity map, so the whole user range is VM's to hand out. */
static void switch_to_high_pagedir(void)
{
	u32 i, g = kinfo.cpu_pge ? I386_VM_GLOBAL : 0;
	for (i = 0; i < MEM_LIMIT >> 22; i++)
		kernel_pagedir[960 + i] = (i << 22) | I386_VM_BIGPAGE | I386_VM_WRITE | I386_VM_PRESENT | g;
	for (i = 0; i < 64; i++)
		kinfo.kernel_pdes[i] = kernel_pagedir[960 + i];
	write_cr3((u32)kernel_pagedir - VIR_KERN_START);
	reload_cr3();
}

static void print_boot_facts(void)
{
	const char *c = kinfo.cmdline, *s;
	u32 i, h = FNV_INIT_K;

	while (*c && *c != ' ')
		c++;
	while (*c == ' ')
		c++;
	kprintf("kernel: cmdline \"%s\"\n", c);
	kprintf("kernel: cpu pse=%u pge=%u sep=%u\n", kinfo.cpu_pse, kinfo.cpu_pge, kinfo.cpu_sep);
	s = param("syscall");
	if (s && strcmp(s, "int") == 0)
		kinfo.use_sysenter = 0;
	else
		kinfo.use_sysenter = kinfo.cpu_sep;
	kprintf("kernel: syscall %s\n", kinfo.use_sysenter ? "sysenter" : "int");
	for (i = 0; i < kinfo.mmap_count; i++) {
		struct kinfo_mmap *m = &kinfo.mmap[i];
		h = fnv_u32(h, m->base_lo);
		h = fnv_u32(h, m->base_hi);
		h = fnv_u32(h, m->len_lo);
		h = fnv_u32(h, m->len_hi);
		h = fnv_u32(h, m->type);
	}
	kprintf("kernel: mmap %u entries digest %08x\n", kinfo.mmap_count, h);
}

static void check_modules(void)
{
	u32 i;
	if (kinfo.mods_count != NR_BOOT_PROCS)
		panic("expected %u boot modules, got %u", NR_BOOT_PROCS, kinfo.mods_count);
	for (i = 0; i < NR_BOOT_PROCS; i++) {
		const char *want = image[NR_TASKS + i].name;
		if (strcmp(kinfo.mods[i].name, want) != 0)
			panic("boot module %u is \"%s\", expected \"%s\"", i, kinfo.mods[i].name, want);
	}
	kprintf("kernel: %u modules ok\n", kinfo.mods_count);
}

void kmain(struct kinfo *ki)
{
	u32 i;
	const char *s;

	post_early(POST_KMAIN, ki);
	kinfo = *ki;
	s = param("postlog");
	postlog = !(s && strcmp(s, "0") == 0);
	s = param("hz");
	if (s && atou(s) >= 10 && atou(s) <= 10000)
		hz = atou(s);

	kprintf("kernel: Flatland kernel-model 1.0 (i386)\n");
	if (postlog)
		for (i = 0; i < kinfo.npost_early; i++)
			kprintf("post: %02x\n", kinfo.post_early[i]);
	prot_init();
	switch_to_high_pagedir();
	print_boot_facts();
	check_modules();

	/* no FPU: any x87 instruction raises #NM */
	write_cr0((read_cr0() | CR0_EM) & ~CR0_TS);
	intr_init();
	pit_init(hz);

	proc_init();
	free_bootstrap();
	s = param("verbose");
	if (s && strcmp(s, "1") == 0)
		kprintf("@ kernel: image %08x-%08x, unpaged part %08x+%x, hz %u\n", kinfo.kern_phys_start,
			kinfo.kern_phys_end - 1, kinfo.bootstrap_start, kinfo.bootstrap_len, hz);
	for (i = 0; i < kinfo.nfree; i++)
		kprintf("@ kernel: free %08x-%08x\n", kinfo.freemem[i].start,
			kinfo.freemem[i].start + kinfo.freemem[i].len - 1);
	schedule_and_restore();
}
