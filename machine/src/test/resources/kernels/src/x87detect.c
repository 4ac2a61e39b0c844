/* x87detect: what an FPU-detection routine observes. CPUID.1:EDX.FPU; with CR0.EM=0 MP=1:
   FNINIT/FNSTSW/FNSTCW (the classic sequence), FNSTENV tag word, a few exact results
   (1+1, 22/7 rounded, sqrt(2)*1e6 rounded), masked zero-divide status, FCOM condition codes;
   CR0.EM=1: #NM (vector 7) on an x87 instruction, WAIT not affected; CR0.TS=1: #NM on x87
   instructions, on WAIT only if MP=1; CR0.NE=1: an unmasked zero-divide raises #MF
   (vector 16) on the next FWAIT. Status-word condition bits the SDM leaves undefined
   (C0/C2/C3 after arithmetic, C1 after FDIV) are masked. */
#include "rt.h"

#define DECL(x) extern char x[], x##_f[];
DECL(k_fninit) DECL(k_fwait) DECL(k_fnstsw) DECL(k_fld1) DECL(k_mf)
extern volatile u16 x87sw;

#define CR0_MP 0x02u
#define CR0_EM 0x04u
#define CR0_TS 0x08u
#define CR0_NE 0x20u

static void set_cr0(u32 set, u32 clear) { write_cr0((read_cr0() | set) & ~clear); }

static void probe(const char *name, char *fn, char *insn) {
    kprintf("%s cr0&3f=%02x: ", name, read_cr0() & 0x3F);
    if (TRY()) {
        ((void (*)(void))fn)();
        END_TRY();
        kprintf("no trap\n");
        return;
    }
    kprintf("vec=%02x err=%04x eip=%+d\n", trap.vec, trap.err, (s32)(trap.eip - (u32)insn));
}

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("x87detect: begin\n");
    u32 a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    kprintf("cpuid 1 edx.fpu=%u\n", d & 1);
    kprintf("cr0&3f at entry=%02x\n", read_cr0() & 0x3F);
    write_cr0(read_cr0() & ~0x10u);
    kprintf("cr0 after writing ET=0: et=%u\n", (read_cr0() >> 4) & 1);

    /* EM=0 MP=1 TS=0 NE=0 */
    set_cr0(CR0_MP, CR0_EM | CR0_TS | CR0_NE);
    kprintf("cr0&3f=%02x\n", read_cr0() & 0x3F);
    u16 sw = 0x5A5A, cw = 0x5A5A, swax = 0x5A5A;
    asm volatile("fninit; fnstsw %0; fnstcw %1; fnstsw %%ax" : "+m"(sw), "+m"(cw), "+a"(swax));
    kprintf("fninit: fnstsw m=%04x fnstsw ax=%04x fnstcw=%04x cw&103f=%04x\n", sw, swax, cw, cw & 0x103F);
    u32 env[7];
    memset(env, 0xEE, sizeof(env));
    asm volatile("fninit; fnstenv %0" : "=m"(env));
    kprintf("fnstenv: fcw=%04x fsw=%04x ftw=%04x\n", env[0] & 0xFFFF, env[1] & 0xFFFF, env[2] & 0xFFFF);
    s32 r1 = 0, r2 = 0, r3 = 0;
    static const s32 i22 = 22, i7 = 7, i2 = 2, i1e6 = 1000000;
    asm volatile("fninit; fld1; fld1; faddp; fistpl %0" : "=m"(r1));
    asm volatile("fninit; fildl %1; fildl %2; fdivp; fistpl %0" : "=m"(r2) : "m"(i7), "m"(i22));
    asm volatile("fninit; fildl %1; fsqrt; fimull %2; fistpl %0" : "=m"(r3) : "m"(i2), "m"(i1e6));
    kprintf("1+1=%d 22/7=%d sqrt(2)*1e6=%d\n", r1, r2, r3);
    asm volatile("fninit; fldz; fld1; fdivp; fnstsw %0; fstp %%st(0)" : "=m"(sw));
    kprintf("1/0 masked: fsw&38ff=%04x (top=%u ze=%u es=%u)\n", sw & 0x38FF, (sw >> 11) & 7, (sw >> 2) & 1, (sw >> 7) & 1);
    asm volatile("fninit; fildl %1; fld1; fcompp; fnstsw %0" : "=m"(sw) : "m"(i2));
    kprintf("fcom 1 vs 2: c3 c2 c0=%u%u%u fsw&38ff=%04x\n", (sw >> 14) & 1, (sw >> 10) & 1, (sw >> 8) & 1, sw & 0x38FF);
    asm volatile("fninit; fld1; fildl %1; fcompp; fnstsw %0" : "=m"(sw) : "m"(i2));
    kprintf("fcom 2 vs 1: c3 c2 c0=%u%u%u\n", (sw >> 14) & 1, (sw >> 10) & 1, (sw >> 8) & 1);
    asm volatile("fninit; fld1; fld1; fcompp; fnstsw %0" : "=m"(sw));
    kprintf("fcom 1 vs 1: c3 c2 c0=%u%u%u\n", (sw >> 14) & 1, (sw >> 10) & 1, (sw >> 8) & 1);
    probe("fwait", k_fwait, k_fwait_f);

    /* EM=1: x87 instructions raise #NM; WAIT does not look at EM */
    set_cr0(CR0_EM, CR0_MP);
    probe("fninit EM=1 MP=0", k_fninit, k_fninit_f);
    probe("fnstsw EM=1 MP=0", k_fnstsw, k_fnstsw_f);
    probe("fwait EM=1 MP=0", k_fwait, k_fwait_f);
    set_cr0(CR0_MP, 0);
    probe("fld1 EM=1 MP=1", k_fld1, k_fld1_f);
    probe("fwait EM=1 MP=1", k_fwait, k_fwait_f);
    set_cr0(0, CR0_EM);

    /* TS=1: x87 instructions raise #NM; WAIT only if MP=1 */
    set_cr0(CR0_TS | CR0_MP, 0);
    probe("fwait TS=1 MP=1", k_fwait, k_fwait_f);
    probe("fninit TS=1 MP=1", k_fninit, k_fninit_f);
    set_cr0(0, CR0_MP);
    probe("fwait TS=1 MP=0", k_fwait, k_fwait_f);
    probe("fnstsw TS=1 MP=0", k_fnstsw, k_fnstsw_f);
    asm volatile("clts");
    kprintf("after clts: cr0&3f=%02x\n", read_cr0() & 0x3F);
    set_cr0(CR0_MP, 0);

    /* NE=1: unmasked exception reported as #MF on the next FWAIT */
    set_cr0(CR0_NE, 0);
    probe("fdiv 1/0 unmasked; fwait NE=1", k_mf, k_mf_f);
    kprintf("  fsw before fwait&38ff=%04x (ze=%u es=%u)\n", x87sw & 0x38FF, (x87sw >> 2) & 1, (x87sw >> 7) & 1);
    asm volatile("fnclex; fninit");
    probe("fwait after fnclex", k_fwait, k_fwait_f);

    kprintf("x87detect: done\n");
    exit(EXIT_OK);
}
