/* Program entry: [esp] = argc, argv[], NULL, envp[], NULL (System V i386). */
	.section .text.start, "ax"
	.globl _start
_start:
	xorl %ebp, %ebp
	movl (%esp), %eax		/* argc */
	leal 4(%esp), %ebx		/* argv */
	leal 8(%esp,%eax,4), %ecx	/* envp = argv + argc + 1 */
	andl $~15, %esp
	pushl %ecx
	pushl %ebx
	pushl %eax
	call crt_main
1:	jmp 1b

	.section .note.GNU-stack,"",@progbits
