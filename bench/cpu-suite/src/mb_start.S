/* Multiboot v1 entry: header, stack, BSS clear, call main, exit through isa-debug-exit. */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000000

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .text
    .globl _start
_start:
    cli
    cld
    movl $stack_top, %esp
    xorl %ebp, %ebp
    /* Zero the BSS (the loader should have done it; do not rely on it). */
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    shrl $2, %ecx
    xorl %eax, %eax
    rep stosl
    call rt_main
    /* isa-debug-exit at 0xF4: writing 0x10 makes QEMU exit with status (0x10<<1)|1 = 33. */
    movw $0xF4, %dx
    movb $0x10, %al
    outb %al, %dx
1:  hlt
    jmp 1b

    .section .bss
    .align 16
stack_bottom:
    .skip 65536
stack_top:
