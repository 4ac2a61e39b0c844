/* Multiboot v1 entry of the CPUID probe (see README.md): stack, main, exit through isa-debug-exit. */
    .text
    .align 4
    .long 0x1BADB002            /* magic */
    .long 0                     /* flags: nothing asked of the loader */
    .long -0x1BADB002           /* checksum */
    .globl _start
_start:
    mov $stack_top, %esp
    call probe_main
    mov $0x10, %al              /* status (0x10 << 1) | 1 = 33, as the test kernels */
    out %al, $0xf4
1:  hlt
    jmp 1b
    .bss
    .space 4096
stack_top:
