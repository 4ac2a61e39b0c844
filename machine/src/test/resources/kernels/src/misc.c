/* misc: LAHF/SAHF, PUSHF/POPF writable bits (CPL0 and CPL3/IOPL0), PUSHA/POPA, ENTER/LEAVE
   with nesting levels, far CALL/RET, XLAT, LOOP/LOOPE/LOOPNE/JCXZ/JECXZ (also with 0x67),
   segment register loads, LAR/LSL/VERR/VERW, PUSH/POP segment registers, IN/OUT port 0x80.
   Not covered: real mode / mode switching, call gates. */
#include "rt.h"

extern volatile u32 res[16];
extern u32 mstack[], mstack_frame[], mstack_top[];
void t_pusha(void); void t_popa(void);
void t_enter0(void); void t_enter1(void); void t_enter2(void); void t_enter3(void); void t_enter33(void);
void t_enterw(void); void t_farcall(void); void t_pushseg(void);

/* element i of an assembler array, laundered so that negative indexes are not diagnosed */
static volatile u32 *at(u32 *base, int i) { u32 a = (u32)base + 4 * (u32)i; asm("" : "+r"(a)); return (volatile u32 *)a; }
#define REL(x) ((s32)((u32)(x) - (u32)mstack_top))

static volatile u32 ures[4];
static void u_popf(void) {
    u32 f;
    asm volatile("pushfl; pushl $0xFFFFFEFF; popfl; pushfl; popl %0; popfl" : "=r"(f) : : "cc");
    ures[0] = f;
    user_exit();
}

static void dump_stack(int from_top, int n) {
    volatile u32 *p = at(mstack_top, -from_top / 4);
    for (int i = 0; i < n; i++) {
        u32 v = p[i];
        /* values pointing into mstack are printed relative to its top */
        if (v >= (u32)mstack && v <= (u32)mstack_top) kprintf(" top%+d", REL(v));
        else kprintf(" %08x", v);
    }
    kprintf("\n");
}

/* 16-bit words; words that are the low 16 bits of an address inside mstack are printed
   relative to the low 16 bits of its top */
static void dump_words(int from_top, int n) {
    volatile u16 *p = (volatile u16 *)at(mstack_top, 0) - from_top / 2;
    u16 top = (u16)(u32)mstack_top, bottom = (u16)(u32)mstack;
    for (int i = 0; i < n; i++) {
        u16 v = p[i];
        if ((u16)(v - bottom) <= (u16)(top - bottom)) kprintf(" top%+d", (s32)(s16)(u16)(v - top));
        else kprintf(" %04x", v);
    }
    kprintf("\n");
}

static void enter_case(const char *name, void (*fn)(void)) {
    for (int i = 0; i < 128; i++) mstack[i] = 0xEEEEEEEE;
    /* fake caller frame: [ebp] = saved ebp, [ebp-4], [ebp-8], ... = display entries */
    *at(mstack_frame, 0) = 0xF0F0F0F0;
    *at(mstack_frame, -1) = 0x11111111; *at(mstack_frame, -2) = 0x22222222; *at(mstack_frame, -3) = 0x33333333;
    *at(mstack_frame, -4) = 0x44444444;
    for (int i = 1; i < 64; i++) mstack_frame[i] = 0xCCCCCCCC;
    fn();
    kprintf("%s: esp=top%+d ebp=top%+d after leave: esp=top%+d ebp=top%+d\n  stack:", name,
            REL(res[0]), REL(res[1]), REL(res[2]), REL(res[3]));
    dump_stack(32, 8);
}

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("misc: begin\n");
    /* LAHF/SAHF: SAHF loads SF ZF AF PF CF from AH; LAHF stores them with bit1=1, bits 3,5=0 */
    static const u32 ahs[] = {0x00, 0xFF, 0xD5, 0x2A, 0x01, 0x40};
    for (int i = 0; i < 6; i++) {
        u32 a = ahs[i] << 8, f;
        asm volatile("pushl $0x802; popfl; sahf; pushfl; popl %1; movl $0, %%eax; lahf" : "+a"(a), "=r"(f) : : "cc");
        kprintf("sahf ah=%02x: eflags&8ff=%03x lahf ah=%02x\n", ahs[i], f & 0x8FF, (a >> 8) & 0xFF);
    }
    /* POPF at CPL0: every flag except TF (kept 0 to avoid a trap), RF and VM; VIF/VIP unaffected */
    u32 f1, f0;
    asm volatile("pushfl; pushl $0xFFFFFEFF; popfl; pushfl; popl %0; popfl" : "=r"(f1) : : "cc");
    asm volatile("pushfl; pushl $0; popfl; pushfl; popl %0; popfl" : "=r"(f0) : : "cc");
    kprintf("popf cpl0: ffffeeff -> %08x, 0 -> %08x\n", f1, f0);
    /* POPF at CPL3 with IOPL 0: IF and IOPL are silently not changed */
    run_user(u_popf, 0x002, (u32)user_stack_top - 64);
    kprintf("popf cpl3 iopl0 ffffeeff -> %08x\n", ures[0]);
    /* PUSHF/POPF 16-bit */
    u32 w;
    asm volatile("pushfl; pushw $0xFFFF & ~0x100; popfw; pushfw; popw %w0; popfl" : "=r"(w) : : "cc");
    kprintf("popfw ffff (no TF) -> %04x\n", w & 0xFFFF);

    /* PUSHA/POPA */
    t_pusha();
    kprintf("pushad: esp=top%+d pushaw: esp=top%+d\n  pushad:", REL(res[0]), REL(res[1]));
    dump_stack(32, 8);
    kprintf("  pushaw:");
    dump_words(48, 8);
    for (int i = 0; i < 8; i++) mstack[i] = 0x10101010u * (u32)(i + 1);
    t_popa();
    kprintf("popad: edi=%08x esi=%08x ebp=%08x ebx=%08x edx=%08x ecx=%08x eax=%08x esp=mstack%+d\n",
            res[6], res[5], res[4], res[3], res[2], res[1], res[0], (s32)(res[8] - (u32)mstack));

    /* ENTER/LEAVE; the fake frame is at top-256 */
    enter_case("enter 16,0", t_enter0);
    enter_case("enter 16,1", t_enter1);
    enter_case("enter 8,2", t_enter2);
    enter_case("enter 4,3", t_enter3);
    enter_case("enter 0,33 (level mod 32 = 1)", t_enter33);
    for (int i = 0; i < 128; i++) mstack[i] = 0xEEEEEEEE;
    *at(mstack_frame, 0) = 0xF0F0F0F0; *at(mstack_frame, -1) = 0x22221111;
    t_enterw();
    kprintf("enterw 6,2: esp=top%+d ebp.hi=%s bp=top%+d\n  stack:", REL(res[0]),
            (res[1] >> 16) == ((u32)mstack_frame >> 16) ? "unchanged" : "changed",
            (s32)(s16)(u16)((res[1] & 0xFFFF) - ((u32)mstack_top & 0xFFFF)));
    dump_words(16, 8);

    /* far call / far return */
    t_farcall();
    kprintf("lcall: esp in callee=top%+d after lret=top%+d pushed: cs=%08x eip-ok=%d\n", REL(res[0]), REL(res[1]),
            *at(mstack_top, -1) & 0xFFFF, *at(mstack_top, -2) != 0);

    /* PUSH/POP segment registers: ESP deltas and the low 16 bits of the pushed value only
       (the upper 16 bits of a 32-bit push of a segment register are implementation specific) */
    t_pushseg();
    kprintf("push ds: esp=top%+d low16=%04x; pushw fs: esp=top%+d; after pops esp=top%+d\n", REL(res[0]),
            *at(mstack_top, -1) & 0xFFFF, REL(res[1]), REL(res[2]));

    /* XLAT */
    static const u8 table[256] = {[0] = 0x99, [1] = 0x42, [0x7F] = 0x17, [0x80] = 0x18, [0xFF] = 0xEE};
    static const u32 idx[] = {0, 1, 0x7F, 0x80, 0xFF, 0x12345601};
    for (int i = 0; i < 6; i++) {
        u32 a = idx[i];
        asm volatile("xlat" : "+a"(a) : "b"(table));
        kprintf("xlat al=%02x (eax=%08x): eax=%08x\n", idx[i] & 0xFF, idx[i], a);
    }

    /* LOOP family */
    u32 c, n;
    c = 5; n = 0; asm volatile("1: incl %1; loop 1b" : "+c"(c), "+r"(n) : : "cc");
    kprintf("loop ecx=5: iterations=%u ecx=%08x\n", n, c);
    c = 0x12340003; n = 0; asm volatile("1: incl %1; addr16 loop 1b" : "+c"(c), "+r"(n) : : "cc");
    kprintf("addr16 loop ecx=12340003: iterations=%u ecx=%08x\n", n, c);
    c = 10; n = 0;
    asm volatile("1: incl %1; cmpl $4, %1; loopne 1b" : "+c"(c), "+r"(n) : : "cc");
    kprintf("loopne until n==4: iterations=%u ecx=%u\n", n, c);
    c = 10; n = 0;
    asm volatile("1: incl %1; cmpl $4, %1; loope 1b" : "+c"(c), "+r"(n) : : "cc");
    kprintf("loope (n!=4 at once): iterations=%u ecx=%u\n", n, c);
    c = 10; n = 0;
    asm volatile("1: incl %1; testl $0, %1; loope 1b" : "+c"(c), "+r"(n) : : "cc");
    kprintf("loope (always equal): iterations=%u ecx=%u\n", n, c);
    c = 0x80000000; n = 0;
    asm volatile("1: incl %1; cmpl $3, %1; je 2f; loop 1b; 2:" : "+c"(c), "+r"(n) : : "cc");
    kprintf("loop ecx=80000000 stopped at n=3: ecx=%08x\n", c);
    u32 r;
    c = 0; asm volatile("movl $1, %0; jecxz 1f; movl $2, %0; 1:" : "=r"(r) : "c"(c));
    kprintf("jecxz ecx=0: taken=%u\n", r == 1);
    c = 0x10000; asm volatile("movl $1, %0; jecxz 1f; movl $2, %0; 1:" : "=r"(r) : "c"(c));
    kprintf("jecxz ecx=10000: taken=%u\n", r == 1);
    c = 0x10000; asm volatile("movl $1, %0; jcxz 1f; movl $2, %0; 1:" : "=r"(r) : "c"(c));
    kprintf("jcxz ecx=10000 (cx=0): taken=%u\n", r == 1);

    /* segment register loads, LAR/LSL/VERR/VERW */
    gdt_set(GDT_FREE + 0, 0x00300000, 0x00ABC, 0x92, 0x4);   /* 0x30: byte granular, limit abc */
    gdt_set(GDT_FREE + 1, 0, 0x00012, 0xF2, 0xC);            /* 0x38: DPL3, 4K granular, limit 12 */
    gdt_set(GDT_FREE + 2, 0, 0xFFFFF, 0x98, 0xC);            /* 0x40: execute-only code */
    static const u32 sels[] = {0x08, 0x10, 0x1B, 0x23, 0x28, 0x30, 0x38, 0x3B, 0x40, 0x00, 0x400};
    for (int i = 0; i < 11; i++) {
        u32 s = sels[i], lar = 0xDEADBEEF, lsl = 0xDEADBEEF, zl, zs, zr, zw;
        asm volatile("larl %2, %0; setz %b1" : "+r"(lar), "=q"(zl) : "r"(s) : "cc");
        asm volatile("lsll %2, %0; setz %b1" : "+r"(lsl), "=q"(zs) : "r"(s) : "cc");
        asm volatile("verr %w1; setz %b0" : "=q"(zr) : "r"(s) : "cc");
        asm volatile("verw %w1; setz %b0" : "=q"(zw) : "r"(s) : "cc");
        kprintf("sel %04x: lar zf=%u ar=%08x lsl zf=%u limit=%08x verr=%u verw=%u\n", s, zl & 1,
                (zl & 1) ? lar & 0x00FFFF00 : 0, zs & 1, (zs & 1) ? lsl : 0, zr & 1, zw & 1);
    }
    static const u32 lsel[] = {0x10, 0x23, 0x30, 0x38, 0x00, 0x03};
    for (int i = 0; i < 6; i++) {
        u32 s = lsel[i], back;
        asm volatile("movw %w1, %%gs; movw %%gs, %w0" : "=r"(back) : "r"(s));
        kprintf("mov gs,%04x: gs=%04x\n", s, back & 0xFFFF);
    }
    asm volatile("movw %w0, %%gs" : : "r"(0));
    {
        u32 s = 0x30, v;
        *(volatile u32 *)0x00300010 = 0x600DF00D;
        asm volatile("movw %w1, %%fs; movl %%fs:0x10, %0; movw %w2, %%fs" : "=r"(v) : "r"(s), "r"(0));
        kprintf("fs base 00300000 read fs:10=%08x\n", v);
    }

    /* port 0x80 (POST code port). The value read back is platform specific (QEMU's PC). */
    outb(0x80, 0x5A);
    kprintf("in 0x80 after out 5a: %02x\n", inb(0x80));
    kprintf("misc: done\n");
    exit(EXIT_OK);
}
