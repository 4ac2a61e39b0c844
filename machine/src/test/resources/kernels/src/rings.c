/* rings: privilege levels, TSS, gates, SYSENTER/SYSEXIT, exceptions and their frames,
   segment checks, CPUID. EIPs are printed relative to the label of the faulting
   instruction, ESPs relative to the stack top that was set up. */
#include "rt.h"

#define USP ((u32)user_stack_top - 64)
extern volatile u32 ures[8], sysres[8];
extern char sysenter_entry[];
#define DECL(x) extern char x[], x##_f[];
DECL(u_hlt) DECL(u_cli) DECL(u_movcr) DECL(u_in) DECL(u_int30) DECL(u_ud2) DECL(u_int3)
DECL(u_lgdt) DECL(u_kds2) DECL(u_into) DECL(u_div0)
DECL(k_ud2) DECL(k_int3) DECL(k_div0) DECL(k_idivov) DECL(k_into) DECL(k_into_no)
DECL(k_bound_lo) DECL(k_bound_hi) DECL(k_bound_ok) DECL(k_int30_0) DECL(k_ss_null)
DECL(k_fs_beyond) DECL(k_fs_np) DECL(k_fs_xonly) DECL(k_ss_ro) DECL(k_ss_dpl3)
extern char k_seg_read_f[], k_seg_readb_f[];
extern char u_int80[], u_iopl3[], u_sysenter[], u_sysenter_ret[];
u32 k_seg_read(u32 sel, u32 off);
u32 k_seg_readb(u32 sel, u32 off);

static u8 segbuf[0x1000] __attribute__((aligned(16)));
static u8 sysenter_stack[1024] __attribute__((aligned(16)));

static int syscall_hook(struct frame *f) {
    kprintf("int80: eax=%u ebx=%u cs=%04x ss=%04x esp=usp%+d eflags=%08x frame@esp0-%u\n",
            f->eax, f->ebx, f->cs & 0xFFFF, f->ss & 0xFFFF, (s32)(f->esp - USP), f->eflags,
            (u32)trap_stack_top - (u32)&f->eip);
    f->eax = f->eax * 100 + f->ebx;
    f->ebx = 0x1234;
    return 1;
}

static void user_fault(const char *name, char *fn, char *insn) {
    kprintf("%s: ", name);
    if (TRY()) {
        run_user((void (*)(void))fn, 0x002, USP);
        END_TRY();
        kprintf("no trap\n");
        return;
    }
    kprintf("vec=%02x err=%04x eip=%+d cs=%04x ss=%04x esp=usp%+d eflags=%08x\n", trap.vec, trap.err,
            (s32)(trap.eip - (u32)insn), trap.cs & 0xFFFF, trap.ss & 0xFFFF, (s32)(trap.esp - USP),
            trap.eflags);
}

static void kernel_fault(const char *name, char *fn, char *insn) {
    kprintf("%s: ", name);
    if (TRY()) {
        ((void (*)(void))fn)();
        END_TRY();
        kprintf("no trap\n");
        return;
    }
    kprintf("vec=%02x err=%04x eip=%+d cs=%04x\n", trap.vec, trap.err,
            (s32)(trap.eip - (u32)insn), trap.cs & 0xFFFF);
}

static void seg_read(const char *name, u32 sel, u32 off, int byte) {
    if (sel == SEL_KCODE) kprintf("%s sel=%04x off=segbuf: ", name, sel);
    else kprintf("%s sel=%04x off=%08x: ", name, sel, off);
    if (TRY()) {
        u32 v = byte ? k_seg_readb(sel, off) : k_seg_read(sel, off);
        END_TRY();
        kprintf("value=%08x\n", v);
        return;
    }
    kprintf("vec=%02x err=%04x eip=%+d\n", trap.vec, trap.err,
            (s32)(trap.eip - (u32)(byte ? k_seg_readb_f : k_seg_read_f)));
}

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("rings: begin\n");
    /* CPUID */
    u32 a, b, c, d;
    cpuid(0, &a, &b, &c, &d);
    char vendor[13];
    memcpy(vendor, &b, 4); memcpy(vendor + 4, &d, 4); memcpy(vendor + 8, &c, 4); vendor[12] = 0;
    kprintf("cpuid vendor=%s\n", vendor);
    cpuid(1, &a, &b, &c, &d);
    /* PSE(3) TSC(4) MSR(5) CX8(8) SEP(11) PGE(13) CMOV(15); other bits may differ */
    u32 feat = d & ((1u << 3) | (1u << 4) | (1u << 5) | (1u << 8) | (1u << 11) | (1u << 13) | (1u << 15));
    kprintf("cpuid 1 edx&(pse tsc msr cx8 sep pge cmov)=%08x pse=%u tsc=%u msr=%u cx8=%u sep=%u pge=%u cmov=%u\n",
            feat, (d >> 3) & 1, (d >> 4) & 1, (d >> 5) & 1, (d >> 8) & 1, (d >> 11) & 1, (d >> 13) & 1, (d >> 15) & 1);

    /* extra descriptors */
    gdt_set(GDT_FREE + 0, (u32)segbuf, 0xFFF, 0x92, 0x4);            /* 0x30 data, limit 0xFFF bytes */
    gdt_set(GDT_FREE + 1, (u32)segbuf - 0x1000, 0xFFF, 0x96, 0x4);   /* 0x38 data expand-down, B=1 */
    gdt_set(GDT_FREE + 2, 0, 0xFFFFF, 0x12, 0xC);                    /* 0x40 data, not present */
    gdt_set(GDT_FREE + 3, 0, 0xFFFFF, 0x98, 0xC);                    /* 0x48 code, execute-only */
    gdt_set(GDT_FREE + 4, 0, 0xFFFFF, 0x90, 0xC);                    /* 0x50 data, read-only */
    for (int i = 0; i < 0x1000; i++) segbuf[i] = (u8)(i * 7 + 1);

    /* ring 3 through IRET, int 0x80 through a DPL3 gate */
    trap_hooks[0x80] = syscall_hook;
    run_user((void (*)(void))u_int80, 0x002, USP);
    kprintf("int80 returned: eax=%u ebx=%08x esp=usp%+d cs=%04x ss=%04x eflags=%08x\n", ures[0], ures[1],
            (s32)(ures[2] - USP), ures[3] & 0xFFFF, ures[4] & 0xFFFF, ures[5]);
    trap_hooks[0x80] = 0;

    /* IOPL 3 */
    run_user((void (*)(void))u_iopl3, 0x3002, USP);
    kprintf("iopl3: cli and in allowed, eflags=%08x\n", ures[0]);

    /* SYSENTER/SYSEXIT */
    wrmsr(0x174, SEL_KCODE, 0);
    wrmsr(0x175, (u32)sysenter_stack + sizeof(sysenter_stack), 0);
    wrmsr(0x176, (u32)sysenter_entry, 0);
    u32 lo, hi;
    rdmsr(0x174, &lo, &hi); kprintf("msr 174=%08x:%08x\n", hi, lo);
    rdmsr(0x175, &lo, &hi); kprintf("msr 175=esp_top%+d hi=%08x\n", (s32)(lo - ((u32)sysenter_stack + sizeof(sysenter_stack))), hi);
    rdmsr(0x176, &lo, &hi); kprintf("msr 176=entry%+d hi=%08x\n", (s32)(lo - (u32)sysenter_entry), hi);
    if (TRY()) {
        run_user((void (*)(void))u_sysenter, 0x002, USP);
        END_TRY();
        kprintf("sysenter: kernel esp=top%+d cs=%04x ss=%04x eflags=%08x\n",
                (s32)(sysres[0] - ((u32)sysenter_stack + sizeof(sysenter_stack))), sysres[1] & 0xFFFF,
                sysres[2] & 0xFFFF, sysres[3]);
        kprintf("sysexit: eax=%u esp=usp%+d cs=%04x ss=%04x\n", ures[0], (s32)(ures[1] - USP),
                ures[2] & 0xFFFF, ures[3] & 0xFFFF);
    } else {
        kprintf("sysenter: trap vec=%02x err=%04x\n", trap.vec, trap.err);
    }

    /* faults and traps from ring 3 */
    user_fault("u_hlt #GP", u_hlt, u_hlt_f);
    user_fault("u_cli #GP", u_cli, u_cli_f);
    user_fault("u_movcr #GP", u_movcr, u_movcr_f);
    user_fault("u_in #GP", u_in, u_in_f);
    user_fault("u_lgdt #GP", u_lgdt, u_lgdt_f);
    user_fault("u_int30 (DPL0 gate) #GP", u_int30, u_int30_f);
    user_fault("u_load_kernel_ds #GP", u_kds2, u_kds2_f);
    user_fault("u_ud2 #UD", u_ud2, u_ud2_f);
    user_fault("u_int3 #BP", u_int3, u_int3_f);
    user_fault("u_into #OF", u_into, u_into_f);
    user_fault("u_div0 #DE", u_div0, u_div0_f);

    /* faults and traps at CPL 0 */
    kernel_fault("k_ud2 #UD", k_ud2, k_ud2_f);
    kernel_fault("k_int3 #BP", k_int3, k_int3_f);
    kernel_fault("k_div0 #DE", k_div0, k_div0_f);
    kernel_fault("k_idiv_overflow #DE", k_idivov, k_idivov_f);
    kernel_fault("k_into OF=1 #OF", k_into, k_into_f);
    kernel_fault("k_into OF=0", k_into_no, k_into_no_f);
    kernel_fault("k_bound below #BR", k_bound_lo, k_bound_lo_f);
    kernel_fault("k_bound above #BR", k_bound_hi, k_bound_hi_f);
    kernel_fault("k_bound upper-inclusive", k_bound_ok, k_bound_ok_f);
    kernel_fault("k_int30 (DPL0 gate, CPL0)", k_int30_0, k_int30_0_f);
    kernel_fault("k_mov_ss_null #GP", k_ss_null, k_ss_null_f);
    /* NOT tested (QEMU 7.2 TCG does not implement them, so QEMU cannot be the oracle):
       a memory access through a null ES (#GP(0)) and data segment limit violations
       (e.g. a dword read at offset 0xFFD of a segment with limit 0xFFF, #GP(0));
       QEMU TCG does not check data-segment limits or null selectors on access. */
    kernel_fault("k_fs_beyond_gdt #GP", k_fs_beyond, k_fs_beyond_f);
    kernel_fault("k_fs_not_present #NP", k_fs_np, k_fs_np_f);
    kernel_fault("k_fs_execute_only #GP", k_fs_xonly, k_fs_xonly_f);
    kernel_fault("k_ss_read_only #GP", k_ss_ro, k_ss_ro_f);
    kernel_fault("k_ss_dpl3 #GP", k_ss_dpl3, k_ss_dpl3_f);
    reload_segments();

    /* segment limits, base */
    seg_read("seg base+limit", 0x30, 0x0, 0);
    seg_read("seg base+limit", 0x30, 0x10, 0);
    seg_read("seg base+limit", 0x30, 0xFFC, 0);
    seg_read("seg base+limit", 0x30, 0xFFF, 1);
    seg_read("seg expand-down", 0x38, 0x1000, 0);
    seg_read("seg expand-down", 0x38, 0x1FFC, 0);
    seg_read("seg readable-code", 0x08, (u32)segbuf, 0);
    reload_segments();

    kprintf("rings: done\n");
    exit(EXIT_OK);
}
