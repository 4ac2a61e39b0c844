/* IPC and kernel-call traps. Register ABI: ECX = primitive, EAX = endpoint
 * (or message for kernel calls), EBX = message. The SYSENTER variant also
 * passes ESI = ESP and EDX = EIP to return to, EDI = vector; the kernel
 * returns with SYSEXIT. use_sysenter is set by crt_main from FLSYSCALL. */
	.text
	.globl ipc_call, kernel_call_trap

/* int ipc_call(int prim, endpoint_t ep, message *m) */
ipc_call:
	cmpl $0, use_sysenter
	jne 2f
	pushl %ebx
	movl 8(%esp), %ecx
	movl 12(%esp), %eax
	movl 16(%esp), %ebx
	int $0x21
	popl %ebx
	ret
2:	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl 20(%esp), %ecx
	movl 24(%esp), %eax
	movl 28(%esp), %ebx
	movl $0x21, %edi
	movl %esp, %esi
	movl $1f, %edx
	sysenter
1:	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

/* int kernel_call_trap(message *m) */
kernel_call_trap:
	cmpl $0, use_sysenter
	jne 2f
	movl 4(%esp), %eax
	int $0x20
	ret
2:	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl 20(%esp), %eax
	movl $0x20, %edi
	movl %esp, %esi
	movl $1f, %edx
	sysenter
1:	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

	.section .note.GNU-stack,"",@progbits
