/* pre_init: runs low and unpaged, straight after head.S.
 * Every symbol of this file is prefixed __k_unpaged_ by objcopy, so it can
 * only reach other unpaged objects and linker-script symbols. It gathers the
 * Multiboot facts into kinfo, builds the free-memory list, and turns paging
 * on with a bootstrap directory so the high-linked kernel can run. */
#include <model/types.h>
#include <model/multiboot.h>
#include <model/kinfo.h>
#include "io.h"

void ser_init(void);
void ser_puts(const char *s);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

/* Linker-script symbols (named with the prefix there). */
extern char _kern_phys_base[], _kern_phys_end[], _kern_unpaged_end[];
extern char _kern_bss_phys_start[], _kern_bss_phys_end[];

struct kinfo kinfo;
u32 bootstrap_pagedir[1024] __attribute__((aligned(4096)));

static void early_panic(const char *msg)
{
	ser_puts("panic: ");
	ser_puts(msg);
	ser_puts("\n");
	outb(0x80, 0xE0);
	outb(0xF4, 0x12);
	for (;;)
		__asm__ volatile("cli; hlt");
}

static size_t slen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

/* Copy the basename of the first token of a module string. */
static void mod_basename(char *dst, const char *s)
{
	const char *b = s, *p;
	size_t n = 0;
	for (p = s; *p && *p != ' '; p++)
		if (*p == '/')
			b = p + 1;
	while (b < p && n < 15)
		dst[n++] = *b++;
	dst[n] = 0;
}

/* Turn "path a=1 junk b=2 a=3" into the NUL-separated list "b=2\0a=3\0\0":
 * only name=value tokens count and a repeated name replaces the earlier one. */
static void parse_params(const char *cmd)
{
	static char tok[64][128];
	int ntok = 0, i, j;
	const char *p = cmd;
	char *out = kinfo.params;
	size_t used = 0;

	while (*p && ntok < 64) {
		size_t n = 0;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		while (*p && *p != ' ') {
			if (n < 127)
				tok[ntok][n++] = *p;
			p++;
		}
		tok[ntok][n] = 0;
		for (i = 0; tok[ntok][i] && tok[ntok][i] != '='; i++)
			;
		if (tok[ntok][i] == '=' && i > 0)
			ntok++;
	}
	for (i = 0; i < ntok; i++) {
		int dup = 0;
		for (j = i + 1; j < ntok && !dup; j++) {
			int k = 0;
			while (tok[i][k] == tok[j][k] && tok[i][k] != '=')
				k++;
			dup = tok[i][k] == '=' && tok[j][k] == '=';
		}
		if (dup)
			continue;
		size_t n = slen(tok[i]);
		if (used + n + 2 > KINFO_PARAMS)
			break;
		memcpy(out + used, tok[i], n + 1);
		used += n + 1;
	}
	out[used] = 0;
}

static void add_free(u32 start, u32 end)
{
	if (end <= start)
		return;
	if (kinfo.nfree >= KINFO_MAXFREE)
		early_panic("too many free memory ranges");
	kinfo.freemem[kinfo.nfree].start = start;
	kinfo.freemem[kinfo.nfree].len = end - start;
	kinfo.nfree++;
}

/* Remove [s, e) from every free range, splitting where needed. */
static void cut_out(u32 s, u32 e)
{
	u32 i, n = kinfo.nfree;
	for (i = 0; i < n; i++) {
		u32 fs = kinfo.freemem[i].start, fe = fs + kinfo.freemem[i].len;
		if (e <= fs || s >= fe)
			continue;
		kinfo.freemem[i].len = 0;
		if (fs < s)
			kinfo.freemem[i].len = s - fs;
		if (e < fe)
			add_free(e, fe);
	}
	/* compact away empty ranges */
	for (i = n = 0; i < kinfo.nfree; i++)
		if (kinfo.freemem[i].len)
			kinfo.freemem[n++] = kinfo.freemem[i];
	kinfo.nfree = n;
}

static void build_memlist(struct multiboot_info *mbi)
{
	u32 i, j;
	if (mbi->flags & MULTIBOOT_INFO_MEM_MAP) {
		u32 a = mbi->mmap_addr, end = a + mbi->mmap_length;
		while (a < end && kinfo.mmap_count < KINFO_MAXMMAP) {
			struct multiboot_mmap *m = (struct multiboot_mmap *)a;
			struct kinfo_mmap *k = &kinfo.mmap[kinfo.mmap_count++];
			k->base_lo = m->base_lo;
			k->base_hi = m->base_hi;
			k->len_lo = m->len_lo;
			k->len_hi = m->len_hi;
			k->type = m->type;
			a += m->size + 4;
		}
		for (i = 0; i < kinfo.mmap_count; i++) {
			struct kinfo_mmap *k = &kinfo.mmap[i];
			u64 s = ((u64)k->base_hi << 32) | k->base_lo;
			u64 e = s + (((u64)k->len_hi << 32) | k->len_lo);
			if (k->type != 1 || s >= MEM_LIMIT)
				continue;
			if (e > MEM_LIMIT)
				e = MEM_LIMIT;
			add_free(PAGE_UP((u32)s), PAGE_DOWN((u32)e));
		}
	} else {
		add_free(0, PAGE_DOWN(mbi->mem_lower * 1024));
		u32 hi = 0x100000 + mbi->mem_upper * 1024;
		add_free(0x100000, PAGE_DOWN(hi > MEM_LIMIT ? MEM_LIMIT : hi));
	}
	for (i = 0; i < kinfo.nfree; i++) {
		u32 e = kinfo.freemem[i].start + kinfo.freemem[i].len;
		if (e > kinfo.mem_high)
			kinfo.mem_high = e;
	}

	/* The kernel image and the modules must not overlap each other. */
	u32 rs[KINFO_MAXMODS + 1], re[KINFO_MAXMODS + 1], nr = 0;
	rs[nr] = PAGE_DOWN((u32)_kern_phys_base);
	re[nr++] = PAGE_UP((u32)_kern_phys_end);
	for (i = 0; i < kinfo.mods_count; i++) {
		rs[nr] = PAGE_DOWN(kinfo.mods[i].start);
		re[nr++] = PAGE_UP(kinfo.mods[i].end);
	}
	for (i = 0; i < nr; i++)
		for (j = i + 1; j < nr; j++)
			if (rs[i] < re[j] && rs[j] < re[i])
				early_panic("boot image and modules overlap");
	for (i = 0; i < nr; i++)
		cut_out(rs[i], re[i]);
}

static void enable_paging(void)
{
	u32 i, a, b, c, d, nid = (kinfo.mem_high + (4u << 20) - 1) >> 22;
	for (i = 0; i < nid && i < 960; i++)
		bootstrap_pagedir[i] = (i << 22) | I386_VM_BIGPAGE | I386_VM_WRITE | I386_VM_PRESENT;
	for (i = 0; i < MEM_LIMIT >> 22; i++)
		bootstrap_pagedir[960 + i] = (i << 22) | I386_VM_BIGPAGE | I386_VM_WRITE | I386_VM_PRESENT;
	write_cr3((u32)bootstrap_pagedir);
	write_cr4(read_cr4() | CR4_PSE);
	write_cr0(read_cr0() | CR0_PG | CR0_WP);
	cpuid(1, &a, &b, &c, &d);
	if (d & CPUID1_EDX_PGE)
		write_cr4(read_cr4() | CR4_PGE);
}

u32 pre_init(u32 magic, u32 mbi_phys)
{
	struct multiboot_info *mbi = (struct multiboot_info *)mbi_phys;
	u32 i, a, b, c, d;

	/* The loader zeroes BSS, but do it anyway: the paged kernel relies on it. */
	memset(_kern_bss_phys_start, 0, _kern_bss_phys_end - _kern_bss_phys_start);
	ser_init();
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		early_panic("not started by a Multiboot loader");

	kinfo.magic = KINFO_MAGIC;
	kinfo.post_early[kinfo.npost_early++] = 0x01;
	kinfo.mb_flags = mbi->flags;
	kinfo.mem_lower = mbi->mem_lower;
	kinfo.mem_upper = mbi->mem_upper;
	if (mbi->flags & MULTIBOOT_INFO_CMDLINE) {
		const char *s = (const char *)mbi->cmdline;
		for (i = 0; s[i] && i < KINFO_CMDLINE - 1; i++)
			kinfo.cmdline[i] = s[i];
	}
	parse_params(kinfo.cmdline);
	if (mbi->flags & MULTIBOOT_INFO_MODS) {
		struct multiboot_mod *m = (struct multiboot_mod *)mbi->mods_addr;
		kinfo.mods_count = mbi->mods_count;
		for (i = 0; i < mbi->mods_count && i < KINFO_MAXMODS; i++) {
			kinfo.mods[i].start = m[i].mod_start;
			kinfo.mods[i].end = m[i].mod_end;
			mod_basename(kinfo.mods[i].name, m[i].cmdline ? (const char *)m[i].cmdline : "");
		}
		if (kinfo.mods_count > KINFO_MAXMODS)
			kinfo.mods_count = KINFO_MAXMODS;
	}
	build_memlist(mbi);

	kinfo.user_sp = kinfo.user_end = USR_STACKTOP;
	kinfo.vir_kern_start = VIR_KERN_START;
	kinfo.bootstrap_start = (u32)_kern_phys_base;
	kinfo.bootstrap_len = (u32)_kern_unpaged_end - (u32)_kern_phys_base;
	kinfo.kern_phys_start = (u32)_kern_phys_base;
	kinfo.kern_phys_end = PAGE_UP((u32)_kern_phys_end);
	kinfo.kern_static_size = kinfo.kern_phys_end - kinfo.kern_phys_start;
	cpuid(1, &a, &b, &c, &d);
	kinfo.cpu_pse = !!(d & CPUID1_EDX_PSE);
	kinfo.cpu_pge = !!(d & CPUID1_EDX_PGE);
	kinfo.cpu_sep = !!(d & CPUID1_EDX_SEP);
	if (!kinfo.cpu_pse)
		early_panic("CPU lacks 4 MiB pages (PSE)");

	enable_paging();
	outb(0x80, 0x02);
	kinfo.post_early[kinfo.npost_early++] = 0x02;
	return (u32)&kinfo + VIR_KERN_START;
}
