/* Kernel entry: Multiboot header and the low (unpaged) entry point.
 * Linked low at 0x00400000; everything here runs before paging. */
#include <model/multiboot.h>

#define MB_FLAGS (MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO)

	.section .unpaged.multiboot, "a"
	.align 4
	.long MULTIBOOT_HEADER_MAGIC
	.long MB_FLAGS
	.long -(MULTIBOOT_HEADER_MAGIC + MB_FLAGS)

	.section .unpaged.text, "ax"
	.globl __k_unpaged_start
__k_unpaged_start:
	cli
	movl $__k_unpaged_boot_stack_top, %esp
	pushl $0
	popfl				/* clear EFLAGS */
	movl %eax, %edx			/* keep the loader magic */
	movb $0x01, %al			/* POST 0x01: Multiboot entry reached */
	outb %al, $0x80
	pushl %ebx			/* multiboot info (physical) */
	pushl %edx			/* loader magic */
	call __k_unpaged_pre_init	/* returns the high address of kinfo */
	/* Paging is on: switch to the high kernel stack and call kmain high. */
	movl $k_boot_stack_top, %esp
	pushl %eax
	movl $kmain, %ecx
	call *%ecx
1:	cli
	hlt
	jmp 1b

	.section .unpaged.bss, "aw", @nobits
	.align 16
	.space 4096
	.globl __k_unpaged_boot_stack_top
__k_unpaged_boot_stack_top:

	.section .note.GNU-stack,"",@progbits
