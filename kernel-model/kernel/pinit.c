/* proc_init: fill the process table from the boot image; the kernel loads
 * VM itself, every other boot process waits for VM to build its memory. */
#include "kernel.h"
#include "table.h"

void proc_init(void)
{
	int i;
	for (i = 0; i < NR_SLOTS; i++) {
		struct proc *p = &proc[i];
		memset(p, 0, sizeof(*p));
		p->p_nr = i - NR_TASKS;
		p->p_rts_flags = RTS_SLOT_FREE;
		p->p_endpoint = make_endpoint(0, p->p_nr);
		p->p_priv = USER_PRIV;
	}
	for (i = 0; i < NR_TASKS + NR_BOOT_PROCS; i++) {
		const struct boot_image *ip = &image[i];
		struct proc *p = proc_addr(ip->slot);
		strncpy_z(p->p_name, ip->name, sizeof(p->p_name));
		p->p_priority = ip->queue;
		p->p_quantum = ip->quantum * (int)hz / 100;
		if (p->p_quantum < 1)
			p->p_quantum = 1;
		if (ip->slot < 0) {
			/* kernel tasks run inside the kernel; their slots only name them */
			p->p_rts_flags = RTS_NO_PRIV;
			continue;
		}
		p->p_priv = &priv_table[ip->slot];
		p->p_reg.cs = 0x1b;
		p->p_reg.ds = p->p_reg.es = p->p_reg.fs = p->p_reg.gs = p->p_reg.ss = 0x23;
		p->p_reg.eflags = 0x202;
		p->p_trapstyle = TRAP_INT;
		struct boot_proc *bp = &kinfo.boot_procs[ip->slot];
		bp->slot = ip->slot;
		bp->endpoint = p->p_endpoint;
		bp->vm_call_mask = ip->vm_calls;
		bp->mod_start = kinfo.mods[ip->slot].start;
		bp->mod_len = kinfo.mods[ip->slot].end - kinfo.mods[ip->slot].start;
		strncpy_z(bp->name, ip->name, sizeof(bp->name));
		if (ip->slot == VM_PROC_NR) {
			p->p_rts_flags = RTS_SLOT_FREE; /* becomes runnable below */
			load_vm_image(p, bp->mod_start, bp->mod_len,
				      kinfo.use_sysenter ? "FLSYSCALL=sysenter" : "FLSYSCALL=int");
			rts_clear(p, RTS_SLOT_FREE);
		} else {
			p->p_rts_flags = RTS_VMINHIBIT | RTS_BOOTINHIBIT;
			if (ip->slot == INIT_PROC_NR)
				p->p_rts_flags |= RTS_RSWAIT;
		}
	}
}
