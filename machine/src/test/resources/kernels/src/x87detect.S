/* x87detect: ring-0 bodies that may fault (label _f = the x87/WAIT instruction) */
    .text
    .macro KFAULT name, setup, insn:vararg
    .globl \name, \name\()_f
\name:
    \setup
\name\()_f:
    \insn
    ret
    .endm
    KFAULT k_fninit, nop, fninit
    KFAULT k_fwait, nop, fwait
    KFAULT k_fnstsw, nop, fnstsw %ax
    KFAULT k_fld1, nop, fld1
    /* unmasked zero-divide: the FDIV only records it, the next FWAIT raises #MF */
    KFAULT k_mf, "fninit; fldcw cw_zm_off; fld1; fldz; fdivrp; fnstsw x87sw", fwait

    .data
    .globl x87sw
cw_zm_off: .word 0x037B
x87sw: .word 0
    .section .note.GNU-stack,"",@progbits
