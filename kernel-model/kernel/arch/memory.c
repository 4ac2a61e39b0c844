/* Physical memory as the kernel sees it: everything through the direct map
 * (0xF0000000 + phys). User memory is reached by walking the process's page
 * tables in software, so the kernel never takes a fault on user memory: a
 * missing or read-only page is reported to the caller, which asks VM. */
#include "../kernel.h"
#include "io.h"
#include <model/elf.h>

#define PT_POOL 6
static u32 pt_pool[PT_POOL][1024] __attribute__((aligned(4096)));
static int pt_pool_used;

/* Translate a user virtual address of p. Returns 0 on success. */
int umap(struct proc *p, vir_bytes v, int write, phys_bytes *ph)
{
	u32 pde, pte, need = I386_VM_PRESENT | I386_VM_USER | (write ? I386_VM_WRITE : 0);
	if (!p->p_cr3 || v >= VIR_KERN_START)
		return -1;
	pde = ((u32 *)VIR(p->p_cr3))[v >> 22];
	if ((pde & need) != need)
		return -1;
	if (pde & I386_VM_BIGPAGE) {
		*ph = (pde & 0xFFC00000) | (v & 0x3FFFFF);
		return 0;
	}
	pte = ((u32 *)VIR(pde & I386_VM_ADDR_MASK))[(v >> 12) & 0x3FF];
	if ((pte & need) != need)
		return -1;
	*ph = (pte & I386_VM_ADDR_MASK) | (v & PAGE_MASK);
	return 0;
}

/* Copy len bytes; a NULL process means the address is physical. On failure
 * returns EFAULT and says which side and page could not be reached. */
int copy_bytes(struct proc *sp, vir_bytes sa, struct proc *dp, vir_bytes da, size_t len,
	       struct proc **fault_p, vir_bytes *fault_a, int *fault_w, u32 *fault_len)
{
	while (len) {
		phys_bytes s, d;
		size_t chunk = len;
		if (sp) {
			if (umap(sp, sa, 0, &s)) {
				*fault_p = sp; *fault_a = sa; *fault_w = 0; *fault_len = len;
				return EFAULT;
			}
			if (chunk > PAGE_SIZE - (sa & PAGE_MASK))
				chunk = PAGE_SIZE - (sa & PAGE_MASK);
		} else {
			s = sa;
		}
		if (dp) {
			if (umap(dp, da, 1, &d)) {
				*fault_p = dp; *fault_a = da; *fault_w = 1; *fault_len = len;
				return EFAULT;
			}
			if (chunk > PAGE_SIZE - (da & PAGE_MASK))
				chunk = PAGE_SIZE - (da & PAGE_MASK);
		} else {
			d = da;
		}
		if ((!sp && (s >= MEM_LIMIT || MEM_LIMIT - s < chunk)) ||
		    (!dp && (d >= MEM_LIMIT || MEM_LIMIT - d < chunk))) {
			*fault_p = NULL;
			return EFAULT;
		}
		memcpy(VIR(d), VIR(s), chunk);
		sa += chunk;
		da += chunk;
		len -= chunk;
	}
	return OK;
}

/* Take one page from the top of the highest free range ("chew off memory
 * from the same side where scanning starts"), as VM's allocator will. */
u32 alloc_boot_page(void)
{
	u32 i, best = kinfo.nfree;
	for (i = 0; i < kinfo.nfree; i++)
		if (kinfo.freemem[i].len && (best == kinfo.nfree ||
					     kinfo.freemem[i].start > kinfo.freemem[best].start))
			best = i;
	if (best == kinfo.nfree)
		panic("out of memory loading VM");
	kinfo.freemem[best].len -= PAGE_SIZE;
	return kinfo.freemem[best].start + kinfo.freemem[best].len;
}

static void add_free_range(u32 start, u32 len)
{
	if (kinfo.nfree >= KINFO_MAXFREE)
		panic("free memory list full");
	kinfo.freemem[kinfo.nfree].start = start;
	kinfo.freemem[kinfo.nfree].len = len;
	kinfo.nfree++;
}

static void map_vm_page(u32 v, u32 phys, int write)
{
	u32 *pde = &kernel_pagedir[v >> 22], *pt;
	if (!(*pde & I386_VM_PRESENT)) {
		if (pt_pool_used == PT_POOL)
			panic("VM image needs more than %d page tables", PT_POOL);
		pt = pt_pool[pt_pool_used++];
		*pde = ((u32)pt - VIR_KERN_START) | I386_VM_PRESENT | I386_VM_WRITE | I386_VM_USER;
	}
	pt = VIR(*pde & I386_VM_ADDR_MASK);
	pt[(v >> 12) & 0x3FF] = phys | I386_VM_PRESENT | I386_VM_USER | (write ? I386_VM_WRITE : 0);
}

/* Look up the physical page backing v in the bootstrap directory. */
static u32 vm_page_phys(u32 v)
{
	u32 *pt = VIR(kernel_pagedir[v >> 22] & I386_VM_ADDR_MASK);
	return pt[(v >> 12) & 0x3FF] & I386_VM_ADDR_MASK;
}

/* The kernel loads VM itself (MINIX arch_boot_proc): map its PT_LOAD segments
 * and a 64 KiB stack into the bootstrap directory and build argc/argv/envp. */
void load_vm_image(struct proc *vm, u32 mod_start, u32 mod_len, const char *envstr)
{
	Elf32_Ehdr *eh = VIR(mod_start);
	u32 i, v, sp, strs, nstr;
	const u8 *img = VIR(mod_start);

	if (mod_len < sizeof(*eh) || eh->e_ident[0] != 0x7f || eh->e_ident[1] != 'E' ||
	    eh->e_machine != 3 || eh->e_phoff + eh->e_phnum * sizeof(Elf32_Phdr) > mod_len)
		panic("vm module is not an i386 ELF executable");
	for (i = 0; i < eh->e_phnum; i++) {
		Elf32_Phdr *ph = (Elf32_Phdr *)(img + eh->e_phoff + i * sizeof(Elf32_Phdr));
		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		if (ph->p_offset + ph->p_filesz > mod_len || ph->p_vaddr + ph->p_memsz >= USR_STACKTOP - VM_STACK_SIZE)
			panic("vm module has a bad segment");
		for (v = PAGE_DOWN(ph->p_vaddr); v < ph->p_vaddr + ph->p_memsz; v += PAGE_SIZE) {
			u32 page = alloc_boot_page(), off;
			u8 *dst = VIR(page);
			memset(dst, 0, PAGE_SIZE);
			for (off = 0; off < PAGE_SIZE; off++) {
				u32 a = v + off;
				if (a >= ph->p_vaddr && a < ph->p_vaddr + ph->p_filesz)
					dst[off] = img[ph->p_offset + (a - ph->p_vaddr)];
			}
			map_vm_page(v, page, (ph->p_flags & PF_W) != 0);
		}
	}
	for (v = USR_STACKTOP - VM_STACK_SIZE; v < USR_STACKTOP; v += PAGE_SIZE) {
		u32 page = alloc_boot_page();
		memset(VIR(page), 0, PAGE_SIZE);
		map_vm_page(v, page, 1);
	}
	/* initial frame: strings at the very top, then argc, argv[], envp[] */
	u8 *top = VIR(vm_page_phys(USR_STACKTOP - PAGE_SIZE));
	nstr = strlen(envstr) + 1;
	strs = USR_STACKTOP - 16 - nstr;
	memcpy(top + (strs & PAGE_MASK), envstr, nstr);
	memcpy(top + ((strs - 4) & PAGE_MASK), "vm", 3);
	sp = (strs - 4 - 5 * 4) & ~15u;
	u32 frame[5] = { 1, strs - 4, 0, strs, 0 };
	memcpy(top + (sp & PAGE_MASK), frame, sizeof(frame));

	vm->p_reg.eip = eh->e_entry;
	vm->p_reg.esp = sp;
	vm->p_cr3 = (u32)kernel_pagedir - VIR_KERN_START;
	add_free_range(PAGE_DOWN(mod_start), PAGE_UP(mod_start + mod_len) - PAGE_DOWN(mod_start));
}

/* Give the low, unpaged part of the image back: it never runs again. */
void free_bootstrap(void)
{
	add_free_range(kinfo.bootstrap_start, kinfo.bootstrap_len);
}
