/* realmode: protected mode -> 16-bit protected mode -> real mode, probes, -> protected mode.
   The real-mode blob (rm_start..rm_end) is copied by C to linear 0x10000 and runs with
   CS=0x1000, so every address inside it is written as (label - rm_start).
   Results: the macro R stores a dword into rm_res[i] (through GS=0x1000, which no probe
   changes) and emits the probe's name into .rodata.rmnames, in the same order, so C can
   print "name=value" lines. A name "x@LLLLL" asks C to also print the word at linear
   address LLLLL (the address the probe was expected to read).
   Memory: 0x20000..0x3FFFF is filled with a byte pattern by C (DS=0x2000, SS=0x3000 for the
   addressing probes, real-mode stack at 0x3000:0xF000), 0x28000.. is scratch.
   Not tested: segment limit violations in real mode (offset > 0xFFFF through a 0x67 prefix
   must #GP/#SS; QEMU TCG does not check them), A20 masking (left as QEMU's Multiboot boot
   leaves it: enabled). */

    .set rmi, 0
    .macro R name:req, r=%eax
    movl \r, %gs:(rm_res - rm_start + 4 * rmi)
    .pushsection .rodata.rmnames, "a"
    .asciz "\name"
    .popsection
    .set rmi, rmi + 1
    .endm
    /* RW name: store the zero-extended 16-bit AX */
    .macro RW name:req
    movzwl %ax, %eax
    R \name
    .endm
    /* RF name: store FLAGS & (OF SF ZF AF PF CF) */
    .macro RF name:req
    pushfw
    popw %ax
    andw $0x08D5, %ax
    RW \name
    .endm
    .macro OFF sym
    .word \sym - rm_start
    .endm

    .section .rodata.rmnames, "a"
    .globl __rmnames_start
__rmnames_start:

    .text
/* void rm_call(void): run the whole real-mode probe and come back */
    .code32
    .globl rm_call
rm_call:
    pushal
    movl %esp, rm_saved_esp
    sidt rm_saved_idt
    ljmp $0x30, $(rm_pm16 - rm_start)

rm_back32:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movl rm_saved_esp, %esp
    lidt rm_saved_idt
    popal
    ret

    .globl rm_start, rm_end, rm_res
    .balign 16
    .code16
rm_start:
rm_pm16:                                /* 16-bit protected mode, CS=0x30 base 0x10000 */
    movw $0x38, %ax                     /* 16-bit data, base 0, limit 0xFFFF */
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %gs
    movw $0x40, %ax                     /* base 0, limit 4 GiB: FS keeps it in real mode */
    movw %ax, %fs
    movl %cr0, %eax
    andl $0xFFFFFFFE, %eax
    movl %eax, %cr0
    ljmp $0x1000, $(rm_real - rm_start)

rm_real:
    movw $0x1000, %ax
    movw %ax, %ds
    movw %ax, %gs
    movw $0x3000, %ax
    movw %ax, %ss
    movl $0xF000, %esp
    lidt (rm_ivtr - rm_start)
    /* install IVT handlers: vectors 0 3 4 5 6 0x40 */
    xorw %ax, %ax
    movw %ax, %es
    movw $(rm_ivtab - rm_start), %si
1:  movw (%si), %bx
    cmpw $0xFFFF, %bx
    je 2f
    shlw $2, %bx
    movw 2(%si), %ax
    movw %ax, %es:(%bx)
    movw $0x1000, %es:2(%bx)
    addw $4, %si
    jmp 1b
2:
    /* --- machine state --- */
    movl %cr0, %eax
    andl $0xFFFF, %eax
    R cr0_low16
    movw %cs, %ax
    RW cs
    movw %fs, %ax
    RW fs_selector_kept_from_pm

    /* --- 16-bit arithmetic --- */
    movw $0x7FFF, %ax
    addw $1, %ax
    RW add_7fff_1
    RF add_7fff_1_flags
    xorw %ax, %ax
    subw $1, %ax
    RW sub_0_1
    RF sub_0_1_flags
    movw $0x1234, %ax
    movw $0x0100, %bx
    mulw %bx
    RW mul_1234_100_ax
    movw %dx, %ax
    RW mul_1234_100_dx
    pushfw
    popw %ax
    andw $0x0801, %ax
    RW mul_1234_100_cf_of
    movw $0x0001, %dx
    movw $0x0005, %ax
    movw $0x0010, %cx
    divw %cx
    RW div_10005_10_ax
    movw %dx, %ax
    RW div_10005_10_dx
    movw $0x8000, %ax
    cwd
    movw %dx, %ax
    RW cwd_8000_dx

    /* --- 16-bit addressing modes (DS=0x2000, SS=0x3000) --- */
    movw $0x2000, %ax
    movw %ax, %ds
    movw $0x0100, %bx
    movw $0x0020, %si
    movw $0x0040, %di
    movw $0x0200, %bp
    xorl %eax, %eax
    movw (%bx,%si), %ax
    RW ld_[bx+si]@20120
    movw 0x10(%bx,%di), %ax
    RW ld_[bx+di+10]@20150
    movw (%bp,%si), %ax
    RW ld_[bp+si]@30220
    movw -4(%bp,%di), %ax
    RW ld_[bp+di-4]@3023c
    movw 0x1234(%si), %ax
    RW ld_[si+1234]@21254
    movw (%di), %ax
    RW ld_[di]@20040
    movw 0x0777, %ax
    RW ld_[0777]@20777
    movw (%bx), %ax
    RW ld_[bx]@20100
    movw 0(%bp), %ax
    RW ld_[bp+0]@30200
    movw %ds:(%bp,%si), %ax
    RW ld_ds:[bp+si]@20220
    movw %ss:(%bx,%di), %ax
    RW ld_ss:[bx+di]@30140
    movw $0xFFF0, %bx
    movw (%bx,%si), %ax
    RW ld_[bx+si]_wrap_fff0+20@20010
    movw $0x9000, %bx
    movw -0x8000(%bx), %ax
    RW ld_[bx-8000]_9000@21000
    movw $0x0100, %bx
    movw $0x2001, %ax
    movw %ax, %es
    movw %es:(%bx), %ax
    RW ld_es_2001:[bx]@20110
    movl $0x100, %ebx
    movl $0x10, %ecx
    movw 8(%ebx,%ecx,4), %ax
    RW ld_a32_[ebx+ecx*4+8]@20148
    movl $0x200, %ebp
    movl $0x8, %eax
    movw (%ebp,%eax,2), %ax
    RW ld_a32_[ebp+eax*2]@30210
    movw $0x0100, %bx
    leaw -0x200(%bx,%si), %ax
    RW lea_[bx+si-200]
    movl $0x12345678, %ebx
    leaw 2(%ebx), %ax
    RW lea16_a32_[ebx+2]
    leal 2(%bx), %eax
    R lea32_a16_[bx+2]

    /* --- segment arithmetic --- */
    movw $0x2801, %ax
    movw %ax, %es
    movw $0xBEEF, %es:(0)
    movw 0x8010, %ax                    /* DS=0x2000 */
    RW es_2801:[0]_read_as_ds_2000:[8010]
    movw $0xFFFF, %ax
    movw %ax, %es
    movl %es:(0x10), %eax
    R ffff:0010_dword_a20_on_kernel_at_1M
    movw $0x1000, %ax
    movw %ax, %ds

    /* --- IVT interrupts --- */
    movw %sp, %bx
    pushw $0x0ED7                       /* IF DF OF SF ZF AF PF CF */
    popfw
    movw $0x1111, %ax
    int $0x40
rm_int40_ret:
    pushfw
    cli
    cld
    popw %cx
    RW int40_ax_after_iret
    movw %cx, %ax
    RW int40_flags_after_iret
    movw rm_hvec - rm_start, %ax
    RW int40_vector
    movw rm_hip - rm_start, %ax
    subw $(rm_int40_ret - rm_start), %ax
    RW int40_pushed_ip-next
    movw rm_hcs - rm_start, %ax
    RW int40_pushed_cs
    movw rm_hfl - rm_start, %ax
    RW int40_pushed_flags
    movl rm_hfl32 - rm_start, %eax
    R int40_eflags_in_handler
    movw %bx, %ax
    subw rm_hsp - rm_start, %ax
    RW int40_sp_delta
    /* AC=1 before INT: INT clears AC, a 16-bit IRET does not restore it */
    pushl $0x00040002
    popfl
    int $0x40
    pushfl
    popl %eax
    R int40_ac_set_eflags_after_iret
    movl rm_hfl32 - rm_start, %eax
    R int40_ac_set_eflags_in_handler
    pushl $0x2
    popfl

    .macro RMFAULT name, vec, setup, insn:vararg
    \setup
    movw $(9f - rm_start), rm_hresume - rm_start
8:  \insn
9:  movw rm_hvec - rm_start, %ax
    RW \name\()_vector
    movw rm_hip - rm_start, %ax
    subw $(8b - rm_start), %ax
    RW \name\()_pushed_ip-insn
    .endm
    RMFAULT de, 0, "movw $1, %ax; xorw %dx, %dx; xorw %cx, %cx", divw %cx
    RMFAULT int3, 3, nop, int3
    RMFAULT into, 4, "movw $0x7fff, %ax; incw %ax", into
    RMFAULT bound, 5, "movw $30, %ax", boundw %ax, rm_bounds - rm_start
    RMFAULT ud2, 6, nop, ud2
    RMFAULT int_imm_3, 3, nop, .byte 0xCD, 0x03

    /* --- PUSHF/POPF --- */
    pushw $0xFCFF                       /* all but TF and IF */
    popfw
    pushfw
    popw %ax
    pushw $0x0002
    popfw
    RW popfw_fcff
    pushw $0x0000
    popfw
    pushfw
    popw %ax
    RW popfw_0000
    pushl $0x003F0002                   /* ID VIP VIF AC VM RF */
    popfl
    pushfl
    popl %eax
    pushl $0x2
    popfl
    R popfl_003f0002

    /* --- 32-bit operand/address size prefixes --- */
    movl $0x89ABCDEF, %eax
    addl $0x76543211, %eax
    R addl_89abcdef_76543211
    pushfw
    popw %ax
    andw $0x08D5, %ax
    RW addl_flags
    movw %sp, %bx
    pushl $0x12345678
    movw %bx, %ax
    subw %sp, %ax
    RW pushl_sp_decrement
    popw %ax
    RW pushl_low_word
    popw %ax
    RW pushl_high_word
    movw %sp, %bx
    calll rm_near32
rm_near32_ret:
    movw %bx, %ax
    subw %cx, %ax
    RW calll_sp_delta
    movl %edx, %eax
    subl $(rm_near32_ret - rm_start), %eax
    R calll_pushed_eip-ret
    movl $0x00010003, %ecx
    xorw %ax, %ax
1:  incw %ax
    loop 1b
    RW loop_cx_iterations
    movl %ecx, %eax
    R loop_cx_ecx_after
    movl $0x00000003, %ecx
    xorw %ax, %ax
1:  incw %ax
    addr32 loop 1b
    RW loop_a32_iterations
    movl %ecx, %eax
    R loop_a32_ecx_after

    /* --- far call / far return / far jump --- */
    movw %sp, %bx
    pushw $0xAAAA
    lcall $0x1000, $(rm_farproc - rm_start)
rm_far_ret1:
    movw %bx, %ax
    subw %sp, %ax
    RW lcall_retf2_sp_delta_after
    movw %dx, %ax
    subw $(rm_far_ret1 - rm_start), %ax
    RW lcall_pushed_ip-ret
    movw %cx, %ax
    RW lcall_pushed_cs
    movw %si, %ax
    RW lcall_param
    pushw $0xBBBB
    lcall *(rm_farptr - rm_start)       /* 0x0FFF:(rm_farproc+0x10): same linear address */
rm_far_ret2:
    movw %di, %ax
    RW lcall_mem_cs_in_callee
    movw %cx, %ax
    RW lcall_mem_pushed_cs
    ljmp $0x0FFF, $(rm_jmp_target - rm_start + 0x10)
rm_jmp_back:
    movw %dx, %ax
    RW ljmp_cs_at_target
    movw %cs, %ax
    RW cs_after_jmp_back

    /* --- LDS/LES/LSS --- */
    pushw %ds
    lds rm_fptr16 - rm_start, %si
    movw %ds, %ax
    popw %ds
    RW lds_ds
    movw %si, %ax
    RW lds_si
    les rm_fptr32 - rm_start, %edi
    movw %es, %ax
    RW les32_es
    movl %edi, %eax
    R les32_edi
    movw %ss, rm_savess - rm_start + 2
    movw %sp, rm_savess - rm_start
    lss rm_fptr16 - rm_start, %sp
    movw %ss, %ax
    movw %sp, %cx
    lss rm_savess - rm_start, %sp
    RW lss_ss
    movw %cx, %ax
    RW lss_sp

    /* --- unreal mode: FS still has base 0 / limit 4 GiB from protected mode --- */
    movl $0x200000, %esi
    movl %fs:(%esi), %eax
    R unreal_read_200000
    movl $0xCAFEBABE, %fs:4(%esi)
    movl %fs:4(%esi), %eax
    R unreal_write_read_200004

    /* --- back to protected mode --- */
    cli
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $0x08, $rm_back32

/* near procedure called with a 32-bit operand size: returns SP at entry in CX, pushed EIP in EDX */
rm_near32:
    movw %sp, %cx
    movw %sp, %bp
    movl (%bp), %edx
    retl

/* far procedure: pushed IP in DX, CS in CX, parameter in SI, its own CS in DI; RETF 2 */
rm_farproc:
    movw %sp, %bp
    movw 0(%bp), %dx
    movw 2(%bp), %cx
    movw 4(%bp), %si
    movw %cs, %di
    lret $2

rm_jmp_target:
    movw %cs, %dx
    ljmp $0x1000, $(rm_jmp_back - rm_start)

/* IVT handlers: record vector, pushed IP/CS/FLAGS, EFLAGS inside, SP at entry; resume at
   rm_hresume if set (faults), return AX=0x4242 */
    .macro HSTUB v
rm_h\v:
    movw $\v, %gs:(rm_hvec - rm_start)
    jmp rm_hcommon
    .endm
    HSTUB 0
    HSTUB 3
    HSTUB 4
    HSTUB 5
    HSTUB 6
    HSTUB 0x40
rm_hcommon:
    pushw %bp
    movw %sp, %bp
    movw 2(%bp), %ax
    movw %ax, %gs:(rm_hip - rm_start)
    movw 4(%bp), %ax
    movw %ax, %gs:(rm_hcs - rm_start)
    movw 6(%bp), %ax
    movw %ax, %gs:(rm_hfl - rm_start)
    pushfl
    popl %eax
    movl %eax, %gs:(rm_hfl32 - rm_start)
    leaw 2(%bp), %ax
    movw %ax, %gs:(rm_hsp - rm_start)
    movw %gs:(rm_hresume - rm_start), %ax
    testw %ax, %ax
    jz 1f
    movw %ax, 2(%bp)
    movw $0, %gs:(rm_hresume - rm_start)
1:  popw %bp
    movw $0x4242, %ax
    iret

    .balign 4
rm_ivtab:
    .word 0
    OFF rm_h0
    .word 3
    OFF rm_h3
    .word 4
    OFF rm_h4
    .word 5
    OFF rm_h5
    .word 6
    OFF rm_h6
    .word 0x40
    OFF rm_h0x40
    .word 0xFFFF, 0
rm_ivtr: .word 0x3FF
    .long 0
rm_bounds: .word 10, 20
rm_farptr: .word rm_farproc - rm_start + 0x10, 0x0FFF
rm_fptr16: .word 0x1234, 0x2345
rm_fptr32: .long 0x00051234
    .word 0x3456
rm_savess: .word 0, 0
rm_hvec: .word 0
rm_hip: .word 0
rm_hcs: .word 0
rm_hfl: .word 0
rm_hsp: .word 0
rm_hresume: .word 0
    .balign 4
rm_hfl32: .long 0
rm_res: .space 4 * 160
rm_end:

    .globl rm_nres
    .set rm_nres, rmi
    .code32
    .data
    .balign 4
rm_saved_esp: .long 0
rm_saved_idt: .word 0
    .long 0
    .section .note.GNU-stack,"",@progbits
