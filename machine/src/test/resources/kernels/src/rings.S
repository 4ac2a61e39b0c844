/* rings: ring-3 code bodies and ring-0 faulting instructions with exact labels.
   Every ring-3 body sets ESP to user_stack_top-64 so pushed ESP values are exact.
   Ring-0 functions have the form   k_x: <setup>  k_x_f: <insn>  <cleanup> ret   */
#define USP (user_stack_top - 64)

    .text
    .macro UFAULT name, insn:vararg
    .globl \name, \name\()_f
\name:
    movl $USP, %esp
\name\()_f:
    \insn
    int $0x81
    .endm

    UFAULT u_hlt, hlt
    UFAULT u_cli, cli
    UFAULT u_movcr, movl %cr0, %eax
    UFAULT u_in, inb $0x80, %al
    UFAULT u_int30, int $0x30
    UFAULT u_ud2, ud2
    UFAULT u_int3, int3
    UFAULT u_lgdt, lgdt (0)


    .globl u_kds2, u_kds2_f
u_kds2:
    movl $USP, %esp
    movw $0x10, %ax
u_kds2_f:
    movw %ax, %ds
    int $0x81

    .globl u_into, u_into_f
u_into:
    movl $USP, %esp
    movl $0x7fffffff, %eax
    addl $1, %eax                       /* OF=1 */
u_into_f:
    into
    int $0x81

    .globl u_div0, u_div0_f
u_div0:
    movl $USP, %esp
    movl $0, %ecx                       /* mov, not xor: keep EFLAGS free of undefined AF */
    movl $1, %eax
    movl $0, %edx
u_div0_f:
    divl %ecx
    int $0x81

/* int 0x80 from ring 3: EAX=5 EBX=7; results stored to ures[] */
    .globl u_int80
u_int80:
    movl $USP, %esp
    movl $5, %eax
    movl $7, %ebx
    int $0x80
    movl %eax, ures
    movl %ebx, ures+4
    movl %esp, ures+8
    movw %cs, ures+12
    movw %ss, ures+16
    pushfl
    popl ures+20
    int $0x81

/* IOPL=3: cli/sti/in are allowed in ring 3 */
    .globl u_iopl3
u_iopl3:
    movl $USP, %esp
    cli
    inb $0x80, %al
    pushfl
    popl ures
    int $0x81

/* SYSENTER/SYSEXIT round trip: EAX=3 in, kernel returns EAX*3+1; EDX=return EIP, ECX=ESP */
    .globl u_sysenter, u_sysenter_ret
u_sysenter:
    movl $USP, %esp
    movl $3, %eax
    movl $u_sysenter_ret, %edx
    movl $(USP - 16), %ecx
    sysenter
u_sysenter_ret:
    movl %eax, ures
    movl %esp, ures+4
    movw %cs, ures+8
    movw %ss, ures+12
    int $0x81

    .globl sysenter_entry
sysenter_entry:
    movl %esp, sysres
    movw %cs, sysres+4
    movw %ss, sysres+8
    pushfl
    popl sysres+12
    leal 1(%eax,%eax,2), %eax
    sysexit

/* ring-0 faulting instructions */
    .macro KFAULT name, setup, insn:vararg
    .globl \name, \name\()_f
\name:
    pushl %ebx
    \setup
\name\()_f:
    \insn
    popl %ebx
    ret
    .endm

    KFAULT k_ud2, nop, ud2
    KFAULT k_int3, nop, int3
    KFAULT k_div0, "xorl %ecx, %ecx; movl $1, %eax; xorl %edx, %edx", divl %ecx
    KFAULT k_idivov, "movl $-1, %ecx; movl $0x80000000, %eax; movl $-1, %edx", idivl %ecx
    KFAULT k_into, "movl $0x80000000, %eax; subl $1, %eax", into
    KFAULT k_into_no, "xorl %eax, %eax", into
    KFAULT k_bound_lo, "movl $9, %eax", bound %eax, bounds
    KFAULT k_bound_hi, "movl $21, %eax", bound %eax, bounds
    KFAULT k_bound_ok, "movl $20, %eax", bound %eax, bounds
    KFAULT k_int30_0, nop, int $0x30
    KFAULT k_ss_null, "xorl %eax, %eax", movw %ax, %ss
    KFAULT k_fs_beyond, "movl $0x400, %eax", movw %ax, %fs
    KFAULT k_fs_np, "movl $0x40, %eax", movw %ax, %fs
    KFAULT k_fs_xonly, "movl $0x48, %eax", movw %ax, %fs
    KFAULT k_ss_ro, "movl $0x50, %eax", movw %ax, %ss
    KFAULT k_ss_dpl3, "movl $0x23, %eax", movw %ax, %ss

/* u32 k_seg_read(u32 sel, u32 off): read dword at sel:off through FS */
    .globl k_seg_read, k_seg_read_f
k_seg_read:
    movl 4(%esp), %eax
    movl 8(%esp), %ecx
    movw %ax, %fs
k_seg_read_f:
    movl %fs:(%ecx), %eax
    xorl %ecx, %ecx
    movw %cx, %fs
    ret
/* u32 k_seg_readb(u32 sel, u32 off) */
    .globl k_seg_readb, k_seg_readb_f
k_seg_readb:
    movl 4(%esp), %eax
    movl 8(%esp), %ecx
    movw %ax, %fs
k_seg_readb_f:
    movzbl %fs:(%ecx), %eax
    xorl %ecx, %ecx
    movw %cx, %fs
    ret

    .data
    .balign 4
    .globl bounds
bounds:
    .long 10, 20
    .globl ures, sysres
ures: .space 32
sysres: .space 32
    .section .note.GNU-stack,"",@progbits
