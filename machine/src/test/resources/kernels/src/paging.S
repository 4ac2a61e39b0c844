/* paging: ring-3 access bodies with exact labels (ESP = user_stack_top-64). */
#define USP (user_stack_top - 64)
    .text
    .macro UACC name, insn:vararg
    .globl \name, \name\()_f
\name:
    movl $USP, %esp
\name\()_f:
    \insn
    movl %eax, uval
    int $0x81
    .endm

    UACC u_read_sup,      movl 0x400000, %eax
    UACC u_write_sup,     movl %eax, 0x400000
    UACC u_read_ro,       movl 0x401000, %eax
    UACC u_write_ro,      movl %eax, 0x401000
    UACC u_read_np,       movl 0x402000, %eax
    UACC u_write_np,      movl %eax, 0x402000
    UACC u_write_user,    movl $0x5555aaaa, 0x403000
    UACC u_read_pde_sup,  movl 0x1400000, %eax
    UACC u_write_pde_ro,  movl %eax, 0x1000000
    UACC u_read_pde_ro,   movl 0x1000000, %eax
    UACC u_exec_np,       call 0x402000
    UACC u_exec_sup,      call 0x400000

    .data
    .globl uval
uval: .long 0
    .section .note.GNU-stack,"",@progbits
