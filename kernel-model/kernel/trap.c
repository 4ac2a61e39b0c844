/* trap_entry: where every interrupt, exception and system call arrives. */
#include "kernel.h"
#include "arch/io.h"

static void irq(u32 vector, int from_user)
{
	if (vector == 0x50) {
		outb(0x20, 0x20);
		clock_tick(from_user);
	} else if (vector == 0x57 || vector == 0x77) {
		/* spurious IRQ7/IRQ15: ignored, no EOI (master EOI for IRQ15) */
		if (vector == 0x77)
			outb(0x20, 0x20);
	} else {
		if (vector >= 0x70)
			outb(0xA0, 0x20);
		outb(0x20, 0x20);
	}
}

void trap_entry(struct stackframe *f)
{
	struct proc *p = proc_ptr;
	u32 vec = f->vector;

	if ((f->cs & 3) == 0) {
		if (vec >= 0x50) {
			irq(vec, 0);
			return;
		}
		proc_ptr = NULL;
		panic("kernel fault: vector %u at eip %08x addr %08x err %08x", vec, f->eip, read_cr2(), f->err);
	}
	p->p_reg = *f;
	if (vec == IPCVEC_INTR || vec == KERVEC_INTR)
		p->p_trapstyle = f->err ? TRAP_SYSENTER : TRAP_INT;
	else
		p->p_trapstyle = TRAP_FAULT;

	if (vec == IPCVEC_INTR) {
		do_ipc(p);
	} else if (vec == KERVEC_INTR) {
		do_kernel_call(p);
	} else if (vec == 14) {
		u32 addr = read_cr2();
		if (p->p_nr == VM_PROC_NR)
			panic("pagefault in VM at eip %08x addr %08x", f->eip, addr);
		pagefault_to_vm(p, addr, f->err);
	} else if (vec == 7) {
		panic("x87 instruction in %s at eip %08x", p->p_name, f->eip);
	} else if (vec < 32) {
		cause_sig(p, vec == 0 ? SIGFPE : vec == 6 ? SIGILL : SIGSEGV);
	} else {
		irq(vec, 1);
	}
	schedule_and_restore();
}
