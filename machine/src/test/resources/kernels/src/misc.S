/* misc: stack-exact bodies for PUSHA/POPA, ENTER/LEAVE, far CALL/RET.
   They run on a private stack area 'mstack' so every pushed value can be dumped. */
    .text
    .macro SWITCH_IN
    pushal
    movl %esp, saved_esp
    movl $mstack_top, %esp
    .endm
    .macro SWITCH_OUT
    movl saved_esp, %esp
    popal
    ret
    .endm

    .globl t_pusha
t_pusha:
    SWITCH_IN
    movl $0xA1A1A1A1, %eax
    movl $0xC2C2C2C2, %ecx
    movl $0xD3D3D3D3, %edx
    movl $0xB4B4B4B4, %ebx
    movl $0x5E5E5E5E, %ebp
    movl $0x51515151, %esi
    movl $0xD1D1D1D1, %edi
    pushal
    movl %esp, res
    pushaw
    movl %esp, res+4
    SWITCH_OUT

    .globl t_popa
t_popa:
    SWITCH_IN
    movl $mstack, %esp         /* the 8 dwords at mstack were prepared by C */
    popal
    movl %esp, res+32
    movl %eax, res
    movl %ecx, res+4
    movl %edx, res+8
    movl %ebx, res+12
    movl %ebp, res+16
    movl %esi, res+20
    movl %edi, res+24
    SWITCH_OUT

    .macro ENTERT name, size, level
    .globl \name
\name:
    SWITCH_IN
    movl $mstack_frame, %ebp   /* fake caller frame prepared by C */
    enter $\size, $\level
    movl %esp, res
    movl %ebp, res+4
    leave
    movl %esp, res+8
    movl %ebp, res+12
    SWITCH_OUT
    .endm
    ENTERT t_enter0, 16, 0
    ENTERT t_enter1, 16, 1
    ENTERT t_enter2, 8, 2
    ENTERT t_enter3, 4, 3
    ENTERT t_enter33, 0, 33

    .globl t_enterw
t_enterw:
    SWITCH_IN
    movl $mstack_frame, %ebp
    enterw $6, $2              /* 16-bit operand size: pushes BP, copies words */
    movl %esp, res
    movl %ebp, res+4
    SWITCH_OUT

    .globl t_farcall
t_farcall:
    SWITCH_IN
    lcall $0x08, $far_target
    movl %esp, res+4
    SWITCH_OUT
far_target:
    movl %esp, res
    lret

    .globl t_pushseg
t_pushseg:
    SWITCH_IN
    pushl %ds
    movl %esp, res
    pushw %fs
    movl %esp, res+4
    popw %ax
    popl %eax
    movl %esp, res+8
    SWITCH_OUT

    .data
saved_esp: .long 0
    .globl res
res: .space 64
    .bss
    .balign 16
    .globl mstack, mstack_frame, mstack_top
mstack:
    .space 256
mstack_frame:
    .space 256
mstack_top:
    .section .note.GNU-stack,"",@progbits
