/* Loading boot processes from their modules (MINIX exec_bootproc): text
 * read-only, data/BSS writable, all preallocated; an empty heap after BSS;
 * an 8 MiB stack ending at the top of user space with its top 16 KiB
 * present; then argc/argv/envp and SYS_EXEC. */
#include "vm.h"

static u32 write_initial_stack(struct vmproc *vmp, const char *name, const char *env)
{
	/* the strings and vectors fit in the top page, which is present */
	u32 *pte = pt_pte(vmp->vm_pdir, USR_STACKTOP - PAGE_SIZE, 0);
	u8 *top = PHYS2VIR(*pte & ~PAGE_MASK);
	u32 nlen = strlen(name) + 1, elen = strlen(env) + 1;
	u32 estr = USR_STACKTOP - 16 - elen, nstr = estr - nlen, sp;
	memcpy(top + (estr & PAGE_MASK), env, elen);
	memcpy(top + (nstr & PAGE_MASK), name, nlen);
	sp = (nstr - 5 * 4) & ~15u;
	u32 frame[5] = { 1, nstr, 0, estr, 0 };
	memcpy(top + (sp & PAGE_MASK), frame, sizeof(frame));
	return sp;
}

void exec_bootproc(int slot)
{
	struct boot_proc *bp = &kinfo.boot_procs[slot];
	struct vmproc *vmp = &vmproc[slot];
	const u8 *img = PHYS2VIR(bp->mod_start);
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)img;
	u32 i, v, heap = 0, sp;

	if (elf_check(img, bp->mod_len))
		panic("module %s is not an i386 ELF executable", bp->name);
	memset(vmp, 0, sizeof(*vmp));
	vmp->vm_flags = VMF_INUSE;
	vmp->vm_endpoint = bp->endpoint;
	strncpy_z(vmp->vm_name, bp->name, sizeof(vmp->vm_name));
	vmp->vm_call_mask = bp->vm_call_mask;
	vmp->vm_pdir = pt_new();
	vs.nproc++;

	for (i = 0; i < eh->e_phnum; i++) {
		const Elf32_Phdr *ph = (const Elf32_Phdr *)(img + eh->e_phoff + i * sizeof(Elf32_Phdr));
		u32 start, end, w;
		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		if (ph->p_offset + ph->p_filesz > bp->mod_len || ph->p_filesz > ph->p_memsz)
			panic("module %s: bad segment", bp->name);
		start = PAGE_DOWN(ph->p_vaddr);
		end = PAGE_UP(ph->p_vaddr + ph->p_memsz);
		w = (ph->p_flags & PF_W) != 0;
		struct vir_region *r = region_new(vmp, start, end - start, w ? VR_WRITABLE : 0, w ? TAG_DATA : TAG_TEXT);
		if (map_prealloc(vmp, r, start, end) != OK)
			panic("out of memory loading %s", bp->name);
		for (v = start; v < end; v += PAGE_SIZE) {
			u8 *dst = PHYS2VIR(r->page[(v - start) / PAGE_SIZE]->ph->phys);
			u32 lo = v > ph->p_vaddr ? v : ph->p_vaddr;
			u32 hi = ph->p_vaddr + ph->p_filesz < v + PAGE_SIZE ? ph->p_vaddr + ph->p_filesz : v + PAGE_SIZE;
			if (lo < hi)
				memcpy(dst + (lo - v), img + ph->p_offset + (lo - ph->p_vaddr), hi - lo);
		}
		if (end > heap)
			heap = end;
	}
	vmp->vm_heap = region_new(vmp, heap, 0, VR_WRITABLE, TAG_HEAP);
	vmp->vm_brk = heap;
	vmp->vm_stack = region_new(vmp, USR_STACKTOP - USR_STACK_SIZE, USR_STACK_SIZE, VR_WRITABLE, TAG_STACK);
	if (map_prealloc(vmp, vmp->vm_stack, USR_STACKTOP - USR_STACK_PREALLOC, USR_STACKTOP) != OK)
		panic("out of memory for the stack of %s", bp->name);
	sp = write_initial_stack(vmp, bp->name, kinfo.use_sysenter ? "FLSYSCALL=sysenter" : "FLSYSCALL=int");
	if (sys_exec(vmp->vm_endpoint, sp, eh->e_entry) != OK)
		panic("SYS_EXEC of %s failed", bp->name);
	if (sys_vmctl(vmp->vm_endpoint, VMCTL_SETADDRSPACE, vmp->vm_pdir, NULL) != OK)
		panic("VMCTL_SETADDRSPACE of %s failed", bp->name);
}

/* RS: re-create a crashed service from its kept image, same slot/endpoint. */
int do_rs_exec(message *m)
{
	endpoint_t ep = m->m.i[0];
	int slot = _ENDPOINT_P(ep);
	struct boot_proc *bp = &kinfo.boot_procs[slot];
	/* only echo's image was kept; RS names it by its physical location */
	if (slot != ECHO_PROC_NR || (vmproc[slot].vm_flags & VMF_INUSE) ||
	    m->m.u[1] != bp->mod_start || m->m.u[2] != bp->mod_len)
		return EINVAL;
	exec_bootproc(slot);
	return OK;
}
