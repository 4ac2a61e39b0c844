/* Trap entries and the way back to user space.
 * Every entry builds a struct stackframe (kernel.h) on the kernel stack and
 * calls trap_entry(). From user mode trap_entry never returns: the kernel
 * continues with restore_user_*() of whichever process runs next, so the
 * kernel stack is always empty between traps. Kernel-mode interrupts (IDLE's
 * hlt) return normally through the common tail. */

#define NOERR(n) stub_##n: pushl $0; pushl $n; jmp common
#define ERR(n) stub_##n: pushl $n; jmp common

	.text
NOERR(0)
NOERR(1)
NOERR(2)
NOERR(3)
NOERR(4)
NOERR(5)
NOERR(6)
NOERR(7)
ERR(8)
NOERR(9)
ERR(10)
ERR(11)
ERR(12)
ERR(13)
ERR(14)
NOERR(15)
NOERR(16)
ERR(17)
NOERR(18)
NOERR(19)
NOERR(0x50)
NOERR(0x51)
NOERR(0x52)
NOERR(0x53)
NOERR(0x54)
NOERR(0x55)
NOERR(0x56)
NOERR(0x57)
NOERR(0x70)
NOERR(0x71)
NOERR(0x72)
NOERR(0x73)
NOERR(0x74)
NOERR(0x75)
NOERR(0x76)
NOERR(0x77)

	.globl ipc_entry, kcall_entry, sysenter_entry
ipc_entry:
	pushl $0			/* err 0: entered by int */
	pushl $0x21
	jmp common
kcall_entry:
	pushl $0
	pushl $0x20
	jmp common

/* SYSENTER: ESP = kernel stack top (MSR 0x175), IF = 0. The user stub passes
 * ESI = user ESP, EDX = user EIP, EDI = vector; fake the frame int would build. */
sysenter_entry:
	pushl $0x23			/* ss */
	pushl %esi			/* esp */
	pushl $0x202			/* eflags */
	pushl $0x1b			/* cs */
	pushl %edx			/* eip */
	pushl $1			/* err 1: entered by sysenter */
	pushl %edi			/* vector */
	jmp common

common:
	pushal
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	cld
	pushl %esp
	call trap_entry
	addl $4, %esp
	popl %gs
	popl %fs
	popl %es
	popl %ds
	popal
	addl $8, %esp
	iret

/* restore_user_iret(struct proc *p): p_reg is the first member of proc. */
	.globl restore_user_iret, restore_user_sysexit
restore_user_iret:
	movl 4(%esp), %esp
	popl %gs
	popl %fs
	popl %es
	popl %ds
	popal
	addl $8, %esp
	iret

restore_user_sysexit:
	movl 4(%esp), %esp
	popl %gs
	popl %fs
	popl %es
	popl %ds
	popal
	movl 8(%esp), %edx		/* eip */
	movl 20(%esp), %ecx		/* esp */
	sti				/* takes effect after sysexit */
	sysexit

	.section .rodata
	.globl exc_stubs, irq_stubs
exc_stubs:
	.long stub_0, stub_1, stub_2, stub_3, stub_4, stub_5, stub_6, stub_7
	.long stub_8, stub_9, stub_10, stub_11, stub_12, stub_13, stub_14, stub_15
	.long stub_16, stub_17, stub_18, stub_19
irq_stubs:
	.long stub_0x50, stub_0x51, stub_0x52, stub_0x53, stub_0x54, stub_0x55, stub_0x56, stub_0x57
	.long stub_0x70, stub_0x71, stub_0x72, stub_0x73, stub_0x74, stub_0x75, stub_0x76, stub_0x77

	.section .bss
	.align 4096
	.globl k_boot_stack_top, k_stack_top
	.space 8192
k_boot_stack_top:
k_stack_top:

	.section .note.GNU-stack,"",@progbits
