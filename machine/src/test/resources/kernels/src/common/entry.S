/* Multiboot v1 header, entry point, setjmp/longjmp, exception stubs, ring-3 entry. */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003          /* bit0: page-align modules, bit1: memory info */

    .section .multiboot, "a"
    .balign 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .text
    .globl _start
_start:
    cli
    cld
    movl $boot_stack_top, %esp
    movl %eax, %esi                  /* multiboot magic */
    movl %ebx, %ebp                  /* multiboot info */
    /* zero .bss */
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb
    pushl %ebp
    pushl %esi
    call rt_init
    call kmain
    pushl $0x10
    call exit

/* int k_setjmp(jmp_buf_t jb): saves ebx esi edi ebp esp eip */
    .globl k_setjmp
k_setjmp:
    movl 4(%esp), %eax
    movl %ebx, 0(%eax)
    movl %esi, 4(%eax)
    movl %edi, 8(%eax)
    movl %ebp, 12(%eax)
    leal 4(%esp), %ecx
    movl %ecx, 16(%eax)
    movl (%esp), %ecx
    movl %ecx, 20(%eax)
    xorl %eax, %eax
    ret

/* void k_longjmp(jmp_buf_t jb, int v): also restores kernel data segments and DF=0 */
    .globl k_longjmp
k_longjmp:
    movl 4(%esp), %edx
    movl 8(%esp), %eax
    movw $0x10, %cx
    movw %cx, %ds
    movw %cx, %es
    movw %cx, %ss
    xorw %cx, %cx
    movw %cx, %fs
    movw %cx, %gs
    cld
    movl 0(%edx), %ebx
    movl 4(%edx), %esi
    movl 8(%edx), %edi
    movl 12(%edx), %ebp
    movl 16(%edx), %esp
    jmp *20(%edx)

/* 256 exception/interrupt stubs, 16 bytes apart */
    .balign 16
    .globl isr_stubs
isr_stubs:
    .set i, 0
    .rept 256
    .balign 16
    .if (i == 8) || ((i >= 10) && (i <= 14)) || (i == 17)
    .else
    pushl $0
    .endif
    pushl $i
    jmp isr_common
    .set i, i + 1
    .endr

isr_common:
    pushal
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    cld
    pushl %esp
    call trap_dispatch
    addl $4, %esp
    popl %gs
    popl %fs
    popl %es
    popl %ds
    popal
    addl $8, %esp
    iret

/* void reload_segments(void) */
    .globl reload_segments
reload_segments:
    ljmp $0x08, $1f
1:  movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    ret

/* void enter_user(u32 eip, u32 esp, u32 eflags) */
    .globl enter_user
enter_user:
    movl 4(%esp), %eax
    movl 8(%esp), %ecx
    movl 12(%esp), %edx
    pushl $0x23
    pushl %ecx
    pushl %edx
    pushl $0x1B
    pushl %eax
    movw $0x23, %ax
    movw %ax, %ds
    movw %ax, %es
    xorl %eax, %eax
    xorl %ecx, %ecx
    xorl %edx, %edx
    iret

    .section .bss
    .balign 16
    .space 16384
    .globl boot_stack_top
boot_stack_top:
    .space 8192
    .globl trap_stack_top
trap_stack_top:
    .space 8192
    .globl user_stack_top
user_stack_top:
    .space 16
    .section .note.GNU-stack,"",@progbits
