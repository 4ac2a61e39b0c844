/* taskswitch: the body of task B. It stores its registers to tsres and goes back to task A
   with a far JMP to A's TSS (tb_jmp_entry) or with IRET through the back link (tb_call_entry). */
    .text
    .macro SAVE
    movl %eax, tsres
    movl %ecx, tsres+4
    movl %edx, tsres+8
    movl %ebx, tsres+12
    movl %esp, tsres+16
    movl %ebp, tsres+20
    movl %esi, tsres+24
    movl %edi, tsres+28
    pushfl
    popl tsres+32
    movw %cs, tsres+36
    movw %ss, tsres+40
    movw %ds, tsres+44
    movw %es, tsres+48
    movw %fs, tsres+52
    movw %gs, tsres+56
    str tsres+60
    movl %cr0, %eax
    movl %eax, tsres+64
    .endm
    .globl tb_jmp_entry, tb_jmp_back, tb_call_entry, tb_iret
tb_jmp_entry:
    SAVE
tb_jmp_back:
    ljmp $0x28, $0
    jmp tb_jmp_entry                    /* resumed here only if A jumps to B again */
tb_call_entry:
    SAVE
tb_iret:
    iret

/* void ts_jmp(void) / ts_call(void): switch to task B (TSS selector 0x30) */
    .globl ts_jmp, ts_jmp_ret, ts_call, ts_call_ret
ts_jmp:
    pushal
    ljmp $0x30, $0
ts_jmp_ret:
    popal
    ret
ts_call:
    pushal
    lcall $0x30, $0
ts_call_ret:
    popal
    ret

    .data
    .balign 4
    .globl tsres
tsres: .space 80
    .section .note.GNU-stack,"",@progbits
