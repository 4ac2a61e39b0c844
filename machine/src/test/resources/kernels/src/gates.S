/* gates: call-gate targets, ring-3/ring-1 bodies, 16-bit gate handler, single-step body.
   Ring-3 bodies start with ESP = user_stack_top-64 (USP) so pushed values are exact. */
#define USP (user_stack_top - 64)
    .text

/* same-privilege call through the DPL0 call gate 0x30 */
    .globl t_cg_same, t_cg_same_ret
t_cg_same:
    movl %esp, gres
    lcall $0x30, $0x12345678            /* the offset is ignored for a call gate */
t_cg_same_ret:
    ret
    .globl cg0_target
cg0_target:
    movl %esp, gres+4
    movl (%esp), %eax
    movl %eax, gres+8
    movl 4(%esp), %eax
    movl %eax, gres+12
    movw %cs, gres+16
    lret

/* ring 3 -> ring 0 through the DPL3 call gate 0x38 with 2 parameters, RETF 8 */
    .globl u_cg3, u_cg3_ret
u_cg3:
    movl $USP, %esp
    pushl $0x11111111
    pushl $0x22222222
    lcall $0x3B, $0
u_cg3_ret:
    movl %esp, ures
    movw %cs, ures+4
    movw %ss, ures+8
    movw %ds, ures+12
    movw %es, ures+16
    int $0x81
    .globl cg3_target
cg3_target:
    movl %esp, cres
    movl 0(%esp), %eax
    movl %eax, cres+4
    movl 4(%esp), %eax
    movl %eax, cres+8
    movl 8(%esp), %eax
    movl %eax, cres+12
    movl 12(%esp), %eax
    movl %eax, cres+16
    movl 16(%esp), %eax
    movl %eax, cres+20
    movl 20(%esp), %eax
    movl %eax, cres+24
    movw %cs, cres+28
    movw %ss, cres+32
    movw %ds, cres+36
    movw $0x10, %ax                     /* DPL0 data in ES: RETF to ring 3 nulls it */
    movw %ax, %es
    lret $8

/* ring-3 bodies that fault (label _f = faulting instruction) */
    .macro UFAULT name, insn:vararg
    .globl \name, \name\()_f
\name:
    movl $USP, %esp
\name\()_f:
    \insn
    int $0x81
    .endm
    UFAULT u_cg_dpl0, lcall $0x33, $0
    UFAULT u_cg_r1, lcall $0x63, $0
    UFAULT u_int_r1, int $0x34
    UFAULT u_int16, int $0x35

/* ring-0 bodies that fault */
    .macro KFAULT name, setup, insn:vararg
    .globl \name, \name\()_f
\name:
    \setup
\name\()_f:
    \insn
    ret
    .endm
    KFAULT k_cg_rpl3, nop, lcall $0x33, $0
    KFAULT k_cg_np, nop, lcall $0x40, $0
    KFAULT k_far_np, nop, lcall $0x70, $0
    KFAULT k_ds_np, "movl $0x48, %eax", movw %ax, %ds
    KFAULT k_ss_np, "movl $0x48, %eax", movw %ax, %ss
    KFAULT k_fs_gdt, "movl $0x400, %eax", movw %ax, %fs
    KFAULT k_np_gate, nop, int $0x31
    KFAULT k_int3, nop, int3
    KFAULT k_ud2, nop, ud2

/* ring 1 target (CS=0x50 DPL1) for the call gate 0x60 and the interrupt gate 0x34 */
    .globl r1_target
r1_target:
    movl %esp, r1res
    movw %cs, r1res+4
    movw %ss, r1res+8
    movl 0(%esp), %eax
    movl %eax, r1res+12
    movl 4(%esp), %eax
    movl %eax, r1res+16
    movl 8(%esp), %eax
    movl %eax, r1res+20
    movl 12(%esp), %eax
    movl %eax, r1res+24
    movl 16(%esp), %eax
    movl %eax, r1res+28
    int $0x81

/* 16-bit interrupt gate handler: runs in the 32-bit code segment 0x68 whose base is h16 */
    .globl h16
h16:
    movl %esp, h16res
    movl 0(%esp), %eax
    movl %eax, h16res+4
    movl 4(%esp), %eax
    movl %eax, h16res+8
    movl 8(%esp), %eax
    movl %eax, h16res+12
    movw %cs, h16res+16
    pushfl
    popl h16res+20
    ljmp $0x08, $h16_done

/* INT 0x35 (16-bit gate) at CPL0 */
    .globl t_int16, t_int16_ret
t_int16:
    pushl $0x08D7                       /* OF SF ZF AF PF CF */
    popfl
    movl %esp, h16pre
    int $0x35
t_int16_ret:
    ret

/* IRET from ring 0 to ring 3 with DS=0x10 (data DPL0), ES=0x23 (DPL3), FS=0x08 (code,
   non-conforming, DPL0), GS=0x78 (conforming readable code DPL0). The ring-3 code reads
   the selectors into EAX/ECX/EDX/EBX and executes UD2 (caught by the C side). */
    .globl t_iret_null
t_iret_null:
    movw $0x23, %ax
    movw %ax, %es
    movw $0x08, %ax
    movw %ax, %fs
    movw $0x78, %ax
    movw %ax, %gs
    pushl $0x23
    pushl $USP
    pushl $0x002
    pushl $0x1B
    pushl $u_iret_null
    movw $0x10, %ax
    movw %ax, %ds
    iret
u_iret_null:
    movl $0xEEEEEEEE, %eax
    movl %eax, %ecx
    movl %eax, %edx
    movl %eax, %ebx
    movw %ds, %ax
    movw %es, %cx
    movw %fs, %dx
    movw %gs, %bx
    ud2

/* single-step: TF set by POPF; the hook records each trap; MOV SS delays the trap */
    .globl t_tf, tf_i1, tf_i2, tf_i3, tf_i4, tf_i5, tf_i6, tf_i7, tf_i8, tf_i9, tf_end
t_tf:
    pushl %ebx
    pushfl
    orl $0x100, (%esp)
    popfl
tf_i1: movl $1, %eax
tf_i2: addl $2, %eax
tf_i3: nop
tf_i4: movw %ss, %cx
tf_i5: movw %cx, %ss
tf_i6: movl $5, %edx
tf_i7: jmp tf_i8
    nop
    nop
tf_i8: pushl %eax
tf_i9: popl %eax
tf_end:
    popl %ebx
    ret

/* interrupt gate vs trap gate: INT with IF=1 */
    .globl t_ifgate
t_ifgate:
    movl 4(%esp), %eax
    sti
    cmpl $0, %eax
    jne 1f
    int $0x32
    cli
    ret
1:  int $0x33
    cli
    ret

    .data
    .balign 4
    .globl gres, ures, cres, r1res, h16res, h16pre
gres: .space 32
ures: .space 32
cres: .space 64
r1res: .space 64
h16res: .space 32
h16pre: .long 0
    .section .note.GNU-stack,"",@progbits
