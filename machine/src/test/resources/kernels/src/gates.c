/* gates: call gates (same privilege; ring 3 -> ring 0 with 2 parameters and RETF 8; DPL and
   RPL checks), ring 3 -> ring 1 through a call gate and an interrupt gate (SS1:ESP1 from the
   TSS, #TS for bad SS1), interrupt gate vs trap gate (IF), 16-bit interrupt gates (frame
   size and contents), IRET/RETF to ring 3 nulling data segment registers with DPL < CPL,
   #NP (not-present call gate, code segment, IDT gate, data segment), #SS (not-present SS),
   #DF (contributory exception while delivering a contributory exception), single-step
   traps (TF, DR6.BS, TF cleared in the handler, MOV SS shadow).
   EIPs are printed relative to the faulting instruction, ESPs relative to the stack top
   that was set up, so the output does not depend on link addresses.
   Not tested: the EXT bit of error codes for faults raised while delivering a hardware
   exception (QEMU 7.2 never sets EXT; the SDM sets it, e.g. #NP(6*8+2+1) when #UD finds a
   not-present gate), so those cases only print the vector, not the error code; saved
   CS:EIP of #DF (undefined per SDM); RF.
   Left out because QEMU 7.2 does not follow the SDM:
   - INT1/ICEBP (0xF1): QEMU raises #UD (vector 6); the SDM says #DB (vector 1, trap-like,
     no gate DPL check).
   - A not-present SS1 (DPL1 writable data, P=0) on a ring 3 -> ring 1 call gate or
     interrupt gate: QEMU raises #TS(SS1) (vector 0x0a); the SDM (CALL and INT pseudocode)
     says #SS(SS1). */
#include "rt.h"

#define USP ((u32)user_stack_top - 64)
extern volatile u32 gres[8], ures[8], cres[16], r1res[16], h16res[8], h16pre;
extern char t_cg_same_ret[], cg0_target[], cg3_target[], u_cg3[], u_cg3_ret[], r1_target[], h16[];
extern char t_int16_ret[], t_tf[], tf_i1[], tf_i2[], tf_i3[], tf_i4[], tf_i5[], tf_i6[], tf_i7[],
    tf_i8[], tf_i9[], tf_end[];
#define DECL(x) extern char x[], x##_f[];
DECL(u_cg_dpl0) DECL(u_cg_r1) DECL(u_int_r1) DECL(u_int16)
DECL(k_cg_rpl3) DECL(k_cg_np) DECL(k_far_np) DECL(k_ds_np) DECL(k_ss_np) DECL(k_fs_gdt)
DECL(k_np_gate) DECL(k_int3) DECL(k_ud2)
void t_cg_same(void); void t_int16(void); void t_iret_null(void); void t_ifgate(int trapgate);
void t_tf_run(void) __asm__("t_tf");

static u8 r1_stack[1024] __attribute__((aligned(16)));
#define R1TOP ((u32)r1_stack + sizeof(r1_stack))

static void callgate_set(int idx, u16 sel, u32 off, u8 access, u8 params) {
    gdt_set(idx, sel | ((u32)params << 16) | (off & 0xFF000000), off & 0xFFFFF, access,
            (u8)((off >> 20) & 0xF));
}

void h16_done(void) {
    catch_armed = 0;
    k_longjmp(catch_buf, 1);
}

static void user_fault(const char *name, char *fn, char *insn) {
    kprintf("%s: ", name);
    if (TRY()) {
        run_user((void (*)(void))fn, 0x002, USP);
        END_TRY();
        kprintf("no trap\n");
        return;
    }
    kprintf("vec=%02x err=%04x eip=%+d cs=%04x ss=%04x esp=usp%+d\n", trap.vec, trap.err,
            (s32)(trap.eip - (u32)insn), trap.cs & 0xFFFF, trap.ss & 0xFFFF, (s32)(trap.esp - USP));
}

/* noerr: print the vector only (error code has an EXT bit QEMU does not implement) */
static void kernel_fault(const char *name, char *fn, char *insn, int noerr) {
    kprintf("%s: ", name);
    if (TRY()) {
        ((void (*)(void))fn)();
        END_TRY();
        kprintf("no trap\n");
        return;
    }
    if (noerr) kprintf("vec=%02x\n", trap.vec);
    else kprintf("vec=%02x err=%04x eip=%+d cs=%04x\n", trap.vec, trap.err,
                 (s32)(trap.eip - (u32)insn), trap.cs & 0xFFFF);
}

/* interrupt gate vs trap gate */
static volatile u32 if_inside, if_frame;
static int ifgate_hook(struct frame *f) {
    if_inside = read_eflags() & F_IF;
    if_frame = f->eflags & F_IF;
    return 1;
}

/* single step */
static volatile u32 tf_n, tf_eip[16], tf_dr6[16], tf_flags[16];
static int db_hook(struct frame *f) {
    u32 dr6;
    asm volatile("mov %%dr6, %0" : "=r"(dr6));
    asm volatile("mov %0, %%dr6" : : "r"(0));
    if (tf_n < 16) {
        tf_eip[tf_n] = f->eip;
        tf_dr6[tf_n] = dr6;
        tf_flags[tf_n] = read_eflags();
    }
    tf_n++;
    if (f->eip == (u32)tf_end) f->eflags &= ~F_TF;
    return 1;
}
static const char *tf_label(u32 eip) {
    static char *const lab[] = { tf_i1, tf_i2, tf_i3, tf_i4, tf_i5, tf_i6, tf_i7, tf_i8, tf_i9, tf_end };
    static const char *const nm[] = { "i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "i9", "end" };
    for (int i = 0; i < 10; i++) if (eip == (u32)lab[i]) return nm[i];
    return "?";
}

static void r1_case(const char *name, char *fn, char *insn, u32 ss1) {
    tss[4] = ss1;
    memset((void *)r1res, 0, 64);
    kprintf("%s ss1=%04x: ", name, ss1);
    if (TRY()) {
        run_user((void (*)(void))fn, 0x002, USP);
        END_TRY();
        kprintf("ring1 esp=esp1%+d cs=%04x ss=%04x stack:", (s32)(r1res[0] - R1TOP),
                r1res[1] & 0xFFFF, r1res[2] & 0xFFFF);
        for (int i = 3; i < 8; i++) {
            u32 v = r1res[i];
            if (v == (u32)insn + (fn == u_cg_r1 ? 7 : 2)) kprintf(" ret");
            else if (v == USP) kprintf(" usp");
            else kprintf(" %08x", v);
        }
        kprintf("\n");
        return;
    }
    kprintf("vec=%02x err=%04x eip=%+d cs=%04x\n", trap.vec, trap.err,
            (s32)(trap.eip - (u32)insn), trap.cs & 0xFFFF);
}

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("gates: begin\n");
    callgate_set(6, SEL_KCODE, (u32)cg0_target, 0x8C, 0);        /* 0x30 call gate DPL0 */
    callgate_set(7, SEL_KCODE, (u32)cg3_target, 0xEC, 2);        /* 0x38 call gate DPL3, 2 params */
    callgate_set(8, SEL_KCODE, (u32)cg0_target, 0x6C, 0);        /* 0x40 call gate DPL3, not present */
    gdt_set(9, 0, 0xFFFFF, 0x12, 0xC);                           /* 0x48 data, not present */
    gdt_set(10, 0, 0xFFFFF, 0xBA, 0xC);                          /* 0x50 code DPL1 */
    gdt_set(11, 0, 0xFFFFF, 0xB2, 0xC);                          /* 0x58 data DPL1 */
    callgate_set(12, 0x50, (u32)r1_target, 0xEC, 0);             /* 0x60 call gate DPL3 -> ring 1 */
    gdt_set(13, (u32)h16, 0xFFFF, 0x9A, 0x4);                    /* 0x68 code, base = h16 */
    gdt_set(14, 0, 0xFFFFF, 0x1A, 0xC);                          /* 0x70 code, not present */
    gdt_set(15, 0, 0xFFFFF, 0x9E, 0xC);                          /* 0x78 conforming code DPL0 */
    idt_set(0x31, (u32)isr_stubs + 16 * 0x31, SEL_KCODE, 0x0E);  /* not present */
    idt_set(0x32, (u32)isr_stubs + 16 * 0x32, SEL_KCODE, 0x8E);  /* interrupt gate */
    idt_set(0x33, (u32)isr_stubs + 16 * 0x33, SEL_KCODE, 0x8F);  /* trap gate */
    idt_set(0x34, (u32)r1_target, 0x50, 0xEE);                   /* DPL3 -> ring 1 */
    idt_set(0x35, 0, 0x68, 0xE6);                                /* 16-bit interrupt gate, DPL3 */
    tss[3] = R1TOP;                                              /* ESP1 */

    /* call gate, same privilege */
    t_cg_same();
    kprintf("callgate same-priv: esp delta=%d pushed eip=ret%+d cs=%04x target cs=%04x\n",
            (s32)(gres[0] - gres[1]), (s32)(gres[2] - (u32)t_cg_same_ret), gres[3] & 0xFFFF,
            gres[4] & 0xFFFF);

    /* ring 3 -> ring 0 with 2 parameters */
    memset((void *)ures, 0, 32);
    memset((void *)cres, 0, 64);
    run_user((void (*)(void))u_cg3, 0x002, USP);
    kprintf("callgate 3->0: ring0 esp=esp0%+d cs=%04x ss=%04x ds=%04x\n",
            (s32)(cres[0] - (u32)trap_stack_top), cres[7] & 0xFFFF, cres[8] & 0xFFFF, cres[9] & 0xFFFF);
    kprintf("  stack: eip=ret%+d cs=%04x p0=%08x p1=%08x esp=usp%+d ss=%04x\n",
            (s32)(cres[1] - (u32)u_cg3_ret), cres[2] & 0xFFFF, cres[3], cres[4], (s32)(cres[5] - USP),
            cres[6] & 0xFFFF);
    kprintf("  after retf 8: esp=usp%+d cs=%04x ss=%04x ds=%04x es(was 0010)=%04x\n",
            (s32)(ures[0] - USP), ures[1] & 0xFFFF, ures[2] & 0xFFFF, ures[3] & 0xFFFF, ures[4] & 0xFFFF);

    /* gate checks */
    user_fault("ring3 lcall DPL0 gate #GP", u_cg_dpl0, u_cg_dpl0_f);
    kernel_fault("ring0 lcall gate with RPL3 > DPL0 #GP", k_cg_rpl3, k_cg_rpl3_f, 0);
    kernel_fault("lcall not-present call gate #NP", k_cg_np, k_cg_np_f, 0);
    kernel_fault("lcall not-present code segment #NP", k_far_np, k_far_np_f, 0);
    kernel_fault("mov ds, not-present #NP", k_ds_np, k_ds_np_f, 0);
    kernel_fault("mov ss, not-present #SS", k_ss_np, k_ss_np_f, 0);
    reload_segments();
    kernel_fault("int 0x31 not-present gate #NP", k_np_gate, k_np_gate_f, 0);

    /* ring 3 -> ring 1 */
    r1_case("callgate 3->1", u_cg_r1, u_cg_r1_f, 0x59);
    r1_case("intgate 3->1", u_int_r1, u_int_r1_f, 0x59);
    r1_case("callgate 3->1 null SS1 #TS", u_cg_r1, u_cg_r1_f, 0x0);
    r1_case("intgate 3->1 null SS1 #TS", u_int_r1, u_int_r1_f, 0x0);
    r1_case("callgate 3->1 SS1 RPL2 #TS", u_cg_r1, u_cg_r1_f, 0x5A);
    r1_case("callgate 3->1 SS1 DPL0 #TS", u_cg_r1, u_cg_r1_f, 0x11);
    r1_case("intgate 3->1 SS1 code #TS", u_int_r1, u_int_r1_f, 0x51);
    tss[4] = 0x59;

    /* interrupt gate vs trap gate */
    trap_hooks[0x32] = ifgate_hook;
    trap_hooks[0x33] = ifgate_hook;
    t_ifgate(0);
    kprintf("interrupt gate: IF in handler=%u pushed IF=%u\n", if_inside >> 9, if_frame >> 9);
    t_ifgate(1);
    kprintf("trap gate: IF in handler=%u pushed IF=%u\n", if_inside >> 9, if_frame >> 9);

    /* 16-bit interrupt gate */
    memset((void *)h16res, 0, 32);
    if (TRY()) { t_int16(); END_TRY(); kprintf("int16 ring0: no trap\n"); }
    else {
        kprintf("16-bit gate ring0: frame bytes=%u ip=ret%+d cs=%04x flags=%04x handler cs=%04x if=%u\n",
                h16pre - h16res[0], (s32)((h16res[1] & 0xFFFF) - ((u32)t_int16_ret & 0xFFFF)),
                h16res[1] >> 16, h16res[2] & 0xFFFF, h16res[4] & 0xFFFF, (h16res[5] >> 9) & 1);
    }
    memset((void *)h16res, 0, 32);
    if (TRY()) { run_user((void (*)(void))u_int16, 0x002, USP); END_TRY(); kprintf("int16 ring3: no trap\n"); }
    else {
        kprintf("16-bit gate ring3: esp=esp0-%u ip=ret%+d cs=%04x flags=%04x sp=usp%+d ss=%04x\n",
                (u32)trap_stack_top - h16res[0],
                (s32)((h16res[1] & 0xFFFF) - (((u32)u_int16_f + 2) & 0xFFFF)), h16res[1] >> 16,
                h16res[2] & 0xFFFF, (s32)((h16res[2] >> 16) - (USP & 0xFFFF)), h16res[3] & 0xFFFF);
    }

    /* IRET to ring 3 nulls DS (data DPL0) and FS (code DPL0), keeps ES (DPL3) and GS (conforming) */
    if (TRY()) { t_iret_null(); END_TRY(); kprintf("iret null: no trap\n"); }
    else {
        reload_segments();
        kprintf("iret to ring3: trap vec=%02x cs=%04x ds(was 0010)=%04x es(was 0023)=%04x fs(was 0008)=%04x gs(was 0078)=%04x\n",
                trap.vec, trap.cs & 0xFFFF, trap.eax & 0xFFFF, trap.ecx & 0xFFFF, trap.edx & 0xFFFF,
                trap.ebx & 0xFFFF);
    }

    /* benign exception / INT n finding a not-present IDT gate: #NP */
    idt_set(3, (u32)isr_stubs + 16 * 3, SEL_KCODE, 0x6E);
    kernel_fault("int3 with not-present #BP gate", k_int3, k_int3_f, 0);
    idt_set_stub(3, 3);
    idt_set(6, (u32)isr_stubs + 16 * 6, SEL_KCODE, 0x0E);
    kernel_fault("ud2 with not-present #UD gate", k_ud2, k_ud2_f, 1);
    idt_set_stub(6, 0);
    /* contributory + contributory: #DF with error code 0 */
    idt_set(13, (u32)isr_stubs + 16 * 13, SEL_KCODE, 0x0E);
    kprintf("#GP with not-present #GP gate: ");
    if (TRY()) { ((void (*)(void))k_fs_gdt)(); END_TRY(); kprintf("no trap\n"); }
    else kprintf("vec=%02x err=%04x\n", trap.vec, trap.err);
    idt_set_stub(13, 0);
    idt_set(11, (u32)isr_stubs + 16 * 11, SEL_KCODE, 0x0E);
    kprintf("#NP with not-present #NP gate: ");
    if (TRY()) { ((void (*)(void))k_ds_np)(); END_TRY(); kprintf("no trap\n"); }
    else kprintf("vec=%02x err=%04x\n", trap.vec, trap.err);
    idt_set_stub(11, 0);
    reload_segments();

    /* single step */
    trap_hooks[1] = db_hook;
    asm volatile("mov %0, %%dr6" : : "r"(0));
    tf_n = 0;
    t_tf_run();
    kprintf("single-step: traps=%u tf after=%u\n", tf_n, (read_eflags() >> 8) & 1);
    for (u32 i = 0; i < tf_n && i < 16; i++)
        kprintf("  trap %u: eip=%s dr6.bs=%u tf in handler=%u\n", i, tf_label(tf_eip[i]),
                (tf_dr6[i] >> 14) & 1, (tf_flags[i] >> 8) & 1);
    trap_hooks[1] = 0;

    kprintf("gates: done\n");
    exit(EXIT_OK);
}
