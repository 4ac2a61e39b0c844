/* smc: self-modifying code bodies. All return a value in EAX.
   SDM vol. 3 "Handling Self- and Cross-Modifying Code": the portable way is to store the
   new code and then execute a jump before executing it ("smc_ahead_jmp"). P6 family and
   later processors additionally snoop stores against prefetched instructions, so a store
   ahead of EIP is seen even without a jump ("smc_ahead_nojmp", "smc_next_insn"); we rely
   on that only for the P6 (i686) model we emulate. */
    .section .text.smc, "ax"

/* store 20+ bytes ahead, then JMP, then execute the patched instruction */
    .globl smc_ahead_jmp
smc_ahead_jmp:
    movl $0x22222222, smc_t1+1
    jmp 1f
    .fill 16, 1, 0x90
1:
smc_t1:
    movl $0x11111111, %eax
    ret

/* store >= 16 bytes ahead in the same straight-line block, no jump */
    .globl smc_ahead_nojmp
smc_ahead_nojmp:
    movl $0x44444444, smc_t2+1
    .fill 24, 1, 0x90
smc_t2:
    movl $0x33333333, %eax
    ret

/* patch the opcode of the very next instruction: inc %eax (40) -> dec %eax (48) */
    .globl smc_next_insn
smc_next_insn:
    movl $100, %eax
    movb $0x48, smc_t3
smc_t3:
    incl %eax                    /* encoded as 0x40 in 32-bit mode */
    ret

/* a routine that is called, patched, and called again */
    .globl smc_routine, smc_routine_imm
smc_routine:
    .byte 0xb8                   /* movl $imm32, %eax */
smc_routine_imm:
    .long 0x55555555
    ret

/* a loop that patches its own ADD immediate each iteration: returns 0+5+4+3+2 = 14 */
    .globl smc_loop
smc_loop:
    pushl %ebx
    movl $5, %ecx
    xorl %ebx, %ebx
    movl $0, smc_l_add+2
2:
smc_l_add:
    addl $0x12345678, %ebx       /* 81 c3 imm32 */
    movl %ecx, smc_l_add+2
    jmp 3f
3:  loop 2b
    movl %ebx, %eax
    popl %ebx
    ret

/* a routine straddling a page boundary: movl (page A) + addl imm (page B) */
    .balign 4096
    .skip 4096 - 8
    .globl smc_span, smc_span_add
smc_span:
    movl $0x10000000, %eax       /* 5 bytes, page A */
    nop                          /* 3 bytes, page A */
    nop
    nop
smc_span_add:                    /* page boundary here */
    .byte 0x05                   /* addl $imm32, %eax, page B */
    .long 0x00000001
    ret

/* code on page B modified by a store executed on page A, then a jump into page B */
    .balign 4096
    .skip 4096 - 16
    .globl smc_nextpage
smc_nextpage:
    movl $0x99999999, smc_np_t+1 /* 10 bytes */
    jmp smc_np_t                 /* 2 bytes */
    .fill 4, 1, 0x90
smc_np_t:                        /* page boundary here */
    movl $0x88888888, %eax
    ret

/* the same without the jump: fall through the page boundary into the patched code */
    .balign 4096
    .skip 4096 - 16
    .globl smc_nextpage_fall
smc_nextpage_fall:
    movl $0xBBBBBBBB, smc_npf_t+1 /* 10 bytes */
    .fill 6, 1, 0x90
smc_npf_t:                        /* page boundary here */
    movl $0xAAAAAAAA, %eax
    ret
    .section .note.GNU-stack,"",@progbits
