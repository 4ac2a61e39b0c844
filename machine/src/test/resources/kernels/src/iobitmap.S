/* iobitmap: ring-3 I/O bodies (label _f = the I/O instruction); ESP = user_stack_top-64 */
#define USP (user_stack_top - 64)
    .text
    .macro UIO name, setup, insn:vararg
    .globl \name, \name\()_f
\name:
    movl $USP, %esp
    \setup
\name\()_f:
    \insn
    int $0x81
    .endm
    UIO u_inb_80, nop, inb $0x80, %al
    UIO u_inb_81, nop, inb $0x81, %al
    UIO u_inw_80, nop, inw $0x80, %ax
    UIO u_inw_82, nop, inw $0x82, %ax
    UIO u_inl_82, nop, inl $0x82, %eax
    UIO u_inl_83, nop, inl $0x83, %eax
    UIO u_inb_86, nop, inb $0x86, %al
    UIO u_inw_87, nop, inw $0x87, %ax
    UIO u_inw_8f, nop, inw $0x8f, %ax
    UIO u_inb_dx_84, "movl $0x84, %edx", inb %dx, %al
    UIO u_inw_dx_85, "movl $0x85, %edx", inw %dx, %ax
    UIO u_outb_80, "movb $0x12, %al", outb %al, $0x80
    UIO u_outb_81, "movb $0x12, %al", outb %al, $0x81
    UIO u_outw_84, "movw $0x1234, %ax", outw %ax, $0x84
    UIO u_outl_dx_82, "movl $0x82, %edx; xorl %eax, %eax", outl %eax, %dx
    UIO u_inb_f8, nop, inb $0xf8, %al
    UIO u_inb_dx_100, "movl $0x100, %edx", inb %dx, %al
    UIO u_inb_dx_3f8, "movl $0x3f8, %edx", inb %dx, %al
    UIO u_inb_dx_8000, "movl $0x8000, %edx", inb %dx, %al
    UIO u_outsb_80, "movl $0x80, %edx; movl $iobuf, %esi; movl $4, %ecx", rep outsb
    UIO u_outsb_81, "movl $0x81, %edx; movl $iobuf, %esi; movl $4, %ecx", rep outsb
    UIO u_outsw_82, "movl $0x82, %edx; movl $iobuf, %esi; movl $2, %ecx", rep outsw
    UIO u_outsw_80, "movl $0x80, %edx; movl $iobuf, %esi; movl $2, %ecx", rep outsw
    UIO u_insb_80, "movl $0x80, %edx; movl $iobuf+8, %edi; movl $3, %ecx", rep insb
    UIO u_insb_81, "movl $0x81, %edx; movl $iobuf+8, %edi; movl $3, %ecx", rep insb

    .data
    .globl iobuf
iobuf: .long 0x04030201, 0, 0, 0
    .section .note.GNU-stack,"",@progbits
