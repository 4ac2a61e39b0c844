/* alu: integer ALU instructions over edge operands. Each line prints the result and the
 * EFLAGS value masked to the flags the Intel SDM DEFINES for that instruction (flags the
 * SDM documents as "unaffected" are defined: they must keep their input value, so those
 * are printed too and the input flags are chosen to make that visible).
 * Flag bits: CF=001 PF=004 AF=010 ZF=040 SF=080 OF=800. */
#include "rt.h"

static const u32 E32[] = {0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
static const u32 E16[] = {0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF};
static const u32 E8[]  = {0, 1, 0x7F, 0x80, 0xFF};
#define N32 10
#define N16 8
#define N8 5
static const u32 *edges(int bits, int *n) {
    if (bits == 8) { *n = N8; return E8; }
    if (bits == 16) { *n = N16; return E16; }
    *n = N32; return E32;
}
/* operands for shifts/rotates: edges plus a bit pattern */
static const u32 S32[] = {0, 1, 0x7F, 0x80, 0xFF, 0x8000, 0x80000000, 0xFFFFFFFF, 0x12345678, 0x8100A5C3};

#define FL_ALL   (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)
#define FL_LOGIC (F_CF | F_PF | F_ZF | F_SF | F_OF)   /* AND/OR/XOR/TEST: AF undefined */
#define FL_MUL   (F_CF | F_OF)                        /* MUL/IMUL: SF ZF AF PF undefined */
#define FI_NONE  0x002u
#define FI_ALL   0x8D7u                                /* all six arithmetic flags set */

static u32 HI;   /* second result (high half, old value, ...) */

static void hx(u32 v, int bits) {
    if (bits == 8) kprintf("%02x", v & 0xFF);
    else if (bits == 16) kprintf("%04x", v & 0xFFFF);
    else kprintf("%08x", v);
}
static u32 szmask(int bits) { return bits == 32 ? 0xFFFFFFFFu : (1u << bits) - 1; }

typedef u32 (*fn_t)(u32 a, u32 b, u32 fi, u32 *fo);

/* ---------- two-operand ALU ops: op b, a  (a = a OP b) ---------- */
#define BIN(name, mn) \
static u32 name##8(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "b %b[b], %b[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+q"(a), [f] "=&r"(f) : [b] "q"(b), [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 name##16(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "w %w[b], %w[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [b] "r"(b), [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 name##32(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "l %k[b], %k[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [b] "r"(b), [fi] "r"(fi) : "cc"); *fo = f; return a; }
BIN(add, "add") BIN(adc, "adc") BIN(sub, "sub") BIN(sbb, "sbb") BIN(cmp, "cmp")
BIN(and, "and") BIN(or, "or") BIN(xor, "xor") BIN(test, "test")

/* xadd b, a: a = a + b, b = old a */
static u32 xadd8(u32 a, u32 b, u32 fi, u32 *fo) { u32 f;
    asm volatile("pushl %[fi]\n\tpopfl\n\txaddb %b[b], %b[a]\n\tpushfl\n\tpopl %[f]"
        : [a] "+q"(a), [b] "+q"(b), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; HI = b; return a; }
static u32 xadd16(u32 a, u32 b, u32 fi, u32 *fo) { u32 f;
    asm volatile("pushl %[fi]\n\tpopfl\n\txaddw %w[b], %w[a]\n\tpushfl\n\tpopl %[f]"
        : [a] "+r"(a), [b] "+r"(b), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; HI = b; return a; }
static u32 xadd32(u32 a, u32 b, u32 fi, u32 *fo) { u32 f;
    asm volatile("pushl %[fi]\n\tpopfl\n\txaddl %k[b], %k[a]\n\tpushfl\n\tpopl %[f]"
        : [a] "+r"(a), [b] "+r"(b), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; HI = b; return a; }

/* 2-operand IMUL (16/32 only) */
static u32 imul2_16(u32 a, u32 b, u32 fi, u32 *fo) { u32 f;
    asm volatile("pushl %[fi]\n\tpopfl\n\timulw %w[b], %w[a]\n\tpushfl\n\tpopl %[f]"
        : [a] "+r"(a), [f] "=&r"(f) : [b] "r"(b), [fi] "r"(fi) : "cc"); *fo = f; return a; }
static u32 imul2_32(u32 a, u32 b, u32 fi, u32 *fo) { u32 f;
    asm volatile("pushl %[fi]\n\tpopfl\n\timull %k[b], %k[a]\n\tpushfl\n\tpopl %[f]"
        : [a] "+r"(a), [f] "=&r"(f) : [b] "r"(b), [fi] "r"(fi) : "cc"); *fo = f; return a; }

/* one-operand MUL/IMUL: accumulator * b; HI = high half (AH, DX, EDX) */
#define MUL1(name, mn) \
static u32 name##8(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "b %b[b]\n\tpushfl\n\tpopl %[f]" \
        : "+a"(a), [f] "=&r"(f) : [b] "q"(b), [fi] "r"(fi) : "cc"); \
    *fo = f; HI = (a >> 8) & 0xFF; return a & 0xFF; } \
static u32 name##16(u32 a, u32 b, u32 fi, u32 *fo) { u32 f, d = 0; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "w %w[b]\n\tpushfl\n\tpopl %[f]" \
        : "+a"(a), "+d"(d), [f] "=&r"(f) : [b] "r"(b), [fi] "r"(fi) : "cc"); \
    *fo = f; HI = d & 0xFFFF; return a & 0xFFFF; } \
static u32 name##32(u32 a, u32 b, u32 fi, u32 *fo) { u32 f, d = 0; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "l %k[b]\n\tpushfl\n\tpopl %[f]" \
        : "+a"(a), "+d"(d), [f] "=&r"(f) : [b] "r"(b), [fi] "r"(fi) : "cc"); \
    *fo = f; HI = d; return a; }
MUL1(mul, "mul") MUL1(imul1_, "imul")

/* unary ops */
#define UN(name, mn) \
static u32 name##8(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; (void)b; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "b %b[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+q"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 name##16(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; (void)b; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "w %w[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 name##32(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; (void)b; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "l %k[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; return a; }
UN(inc, "inc") UN(dec, "dec") UN(neg, "neg") UN(not, "not")

/* shifts/rotates by CL */
#define SH(name, mn) \
static u32 name##8(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "b %%cl, %b[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+q"(a), [f] "=&r"(f) : "c"(b), [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 name##16(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "w %%cl, %w[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : "c"(b), [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 name##32(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "l %%cl, %k[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : "c"(b), [fi] "r"(fi) : "cc"); *fo = f; return a; } \
/* count-1 form (D0/D1 opcodes) */ \
static u32 name##8_1(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; (void)b; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "b %b[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+q"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 name##16_1(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; (void)b; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "w %w[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 name##32_1(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; (void)b; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "l %k[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; return a; } \
/* imm8 form (C0/C1 opcodes) with count 33 (masked to 1 for 32-bit) and 7 */ \
static u32 name##8_i7(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; (void)b; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "b $7, %b[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+q"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 name##16_i7(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; (void)b; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "w $7, %w[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 name##32_i33(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; (void)b; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "l $33, %k[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; return a; }
SH(shl, "shl") SH(shr, "shr") SH(sar, "sar") SH(rol, "rol") SH(ror, "ror") SH(rcl, "rcl") SH(rcr, "rcr")

enum { SHL, SHR, SAR, ROL, ROR, RCL, RCR };
/* SDM "Flags Affected" for SAL/SAR/SHL/SHR, ROL/ROR/RCL/RCR */
static u32 shift_mask(int op, u32 count, int bits) {
    u32 c = count & 31;
    if (c == 0) return FL_ALL;                 /* masked count 0: no flags affected */
    u32 m;
    switch (op) {
    case SHL: case SHR:
        m = F_SF | F_ZF | F_PF;                /* AF undefined for nonzero count */
        if (c < (u32)bits) m |= F_CF;          /* CF undefined if count >= operand size */
        break;
    case SAR:
        m = F_SF | F_ZF | F_PF | F_CF;
        break;
    default:                                   /* rotates: SF ZF AF PF unaffected */
        m = F_SF | F_ZF | F_AF | F_PF | F_CF;
        break;
    }
    if (c == 1) m |= F_OF;                     /* OF only defined for 1-bit shifts/rotates */
    return m;
}

static void run_bin(const char *name, fn_t f8, fn_t f16, fn_t f32, u32 mask, int with_cf) {
    fn_t fs[3] = {f8, f16, f32};
    for (int s = 0; s < 3; s++) {
        if (!fs[s]) continue;
        int bits = 8 << s, n;
        const u32 *e = edges(bits, &n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int cf = 0; cf <= with_cf; cf++) {
                    u32 fo, r = fs[s](e[i], e[j], FI_NONE | (u32)cf, &fo);
                    kprintf("%s%d ", name, bits); hx(e[i], bits); putc(','); hx(e[j], bits);
                    if (with_cf) kprintf(" c%d", cf);
                    kprintf(": "); hx(r, bits); kprintf(" f=%03x\n", fo & mask);
                }
    }
}

static void run_un(const char *name, fn_t f8, fn_t f16, fn_t f32, u32 mask) {
    fn_t fs[3] = {f8, f16, f32};
    for (int s = 0; s < 3; s++) {
        int bits = 8 << s, n;
        const u32 *e = edges(bits, &n);
        for (int i = 0; i < n; i++) {
            u32 fo0, fo1, r = fs[s](e[i], 0, FI_NONE, &fo0);
            fs[s](e[i], 0, FI_ALL, &fo1);
            kprintf("%s%d ", name, bits); hx(e[i], bits); kprintf(": "); hx(r, bits);
            kprintf(" f=%03x/%03x\n", fo0 & mask, fo1 & mask);
        }
    }
}

static void run_xadd(void) {
    fn_t fs[3] = {xadd8, xadd16, xadd32};
    for (int s = 0; s < 3; s++) {
        int bits = 8 << s, n;
        const u32 *e = edges(bits, &n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                u32 fo, r = fs[s](e[i], e[j], FI_NONE, &fo);
                kprintf("xadd%d ", bits); hx(e[i], bits); putc(','); hx(e[j], bits);
                kprintf(": "); hx(r, bits); putc(','); hx(HI, bits);
                kprintf(" f=%03x\n", fo & FL_ALL);
            }
    }
}

static void run_mul1(const char *name, fn_t f8, fn_t f16, fn_t f32) {
    fn_t fs[3] = {f8, f16, f32};
    for (int s = 0; s < 3; s++) {
        int bits = 8 << s, n;
        const u32 *e = edges(bits, &n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                u32 fo, r = fs[s](e[i], e[j], FI_NONE, &fo);
                kprintf("%s%d ", name, bits); hx(e[i], bits); putc(','); hx(e[j], bits);
                kprintf(": "); hx(HI, bits); putc(':'); hx(r, bits);
                kprintf(" f=%03x\n", fo & FL_MUL);
            }
    }
}

/* 3-operand IMUL with immediates (imm8 sign-extended 6B and imm16/32 69 forms) */
#define IMUL3(tag, imm) \
static u32 imul3_##tag##_16(u32 b) { u32 a, f; \
    asm volatile("pushl $2\n\tpopfl\n\timulw $" #imm ", %w[b], %w[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "=&r"(a), [f] "=&r"(f) : [b] "r"(b) : "cc"); HI = f; return a & 0xFFFF; } \
static u32 imul3_##tag##_32(u32 b) { u32 a, f; \
    asm volatile("pushl $2\n\tpopfl\n\timull $" #imm ", %k[b], %k[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "=&r"(a), [f] "=&r"(f) : [b] "r"(b) : "cc"); HI = f; return a; }
IMUL3(m1, -1) IMUL3(p7f, 0x7f) IMUL3(m80, -128) IMUL3(p2, 2) IMUL3(p1234, 0x1234) IMUL3(m8000, -32768)

static void run_imul3(void) {
    static const char *tags[] = {"-1", "7f", "-80", "2", "1234", "-8000"};
    u32 (*f16[])(u32) = {imul3_m1_16, imul3_p7f_16, imul3_m80_16, imul3_p2_16, imul3_p1234_16, imul3_m8000_16};
    u32 (*f32[])(u32) = {imul3_m1_32, imul3_p7f_32, imul3_m80_32, imul3_p2_32, imul3_p1234_32, imul3_m8000_32};
    for (int t = 0; t < 6; t++) {
        for (int i = 0; i < N16; i++) {
            u32 r = f16[t](E16[i]);
            kprintf("imul3_16 $%s,%04x: %04x f=%03x\n", tags[t], E16[i], r, HI & FL_MUL);
        }
        for (int i = 0; i < N32; i++) {
            u32 r = f32[t](E32[i]);
            kprintf("imul3_32 $%s,%08x: %08x f=%03x\n", tags[t], E32[i], r, HI & FL_MUL);
        }
    }
}

/* DIV/IDIV: all flags undefined (not printed); #DE for divide by zero or quotient overflow */
static volatile u32 dq, dr;
#define DIVF(name, mn) \
static void name##8(u32 ax, u32 b) { u32 a = ax; \
    asm volatile(mn "b %b[b]" : "+a"(a) : [b] "q"(b) : "cc"); dq = a & 0xFF; dr = (a >> 8) & 0xFF; } \
static void name##16(u32 hi, u32 lo, u32 b) { u32 a = lo, d = hi; \
    asm volatile(mn "w %w[b]" : "+a"(a), "+d"(d) : [b] "r"(b) : "cc"); dq = a & 0xFFFF; dr = d & 0xFFFF; } \
static void name##32(u32 hi, u32 lo, u32 b) { u32 a = lo, d = hi; \
    asm volatile(mn "l %k[b]" : "+a"(a), "+d"(d) : [b] "r"(b) : "cc"); dq = a; dr = d; }
DIVF(div, "div") DIVF(idiv, "idiv")

static void div_result(void) { kprintf("\n"); }
static void run_div(void) {
    static const u32 his8[] = {0, 1, 0x7F, 0x80, 0xFF};
    for (int k = 0; k < 2; k++) {
        const char *nm = k ? "idiv" : "div";
        for (int h = 0; h < 5; h++)
            for (int i = 0; i < N8; i++)
                for (int j = 0; j < N8; j++) {
                    u32 ax = (his8[h] << 8) | E8[i];
                    kprintf("%s8 %04x/%02x: ", nm, ax, E8[j]);
                    if (TRY()) { if (k) idiv8(ax, E8[j]); else div8(ax, E8[j]); END_TRY();
                        kprintf("q=%02x r=%02x", dq, dr); }
                    else kprintf("#DE vec=%02x", trap.vec);
                    div_result();
                }
        static const u32 his16[] = {0, 1, 0x7FFF, 0xFFFF};
        for (int h = 0; h < 4; h++)
            for (int i = 0; i < N16; i++)
                for (int j = 0; j < N16; j++) {
                    kprintf("%s16 %04x:%04x/%04x: ", nm, his16[h], E16[i], E16[j]);
                    if (TRY()) { if (k) idiv16(his16[h], E16[i], E16[j]); else div16(his16[h], E16[i], E16[j]);
                        END_TRY(); kprintf("q=%04x r=%04x", dq, dr); }
                    else kprintf("#DE vec=%02x", trap.vec);
                    div_result();
                }
        static const u32 his32[] = {0, 1, 0x7FFFFFFF, 0xFFFFFFFF};
        for (int h = 0; h < 4; h++)
            for (int i = 0; i < N32; i++)
                for (int j = 0; j < N32; j++) {
                    kprintf("%s32 %08x:%08x/%08x: ", nm, his32[h], E32[i], E32[j]);
                    if (TRY()) { if (k) idiv32(his32[h], E32[i], E32[j]); else div32(his32[h], E32[i], E32[j]);
                        END_TRY(); kprintf("q=%08x r=%08x", dq, dr); }
                    else kprintf("#DE vec=%02x", trap.vec);
                    div_result();
                }
    }
    /* a few non-edge signed divisions (truncation toward zero, remainder sign = dividend) */
    static const s32 num[] = {7, -7, 7, -7, 100, -100000};
    static const s32 den[] = {2, 2, -2, -2, -7, 3};
    for (int i = 0; i < 6; i++) {
        idiv32(num[i] < 0 ? 0xFFFFFFFF : 0, (u32)num[i], (u32)den[i]);
        kprintf("idiv32 %d/%d: q=%d r=%d\n", num[i], den[i], (s32)dq, (s32)dr);
    }
}

static void run_shifts(void) {
    static const char *names[] = {"shl", "shr", "sar", "rol", "ror", "rcl", "rcr"};
    fn_t f[7][3] = {{shl8, shl16, shl32}, {shr8, shr16, shr32}, {sar8, sar16, sar32},
                    {rol8, rol16, rol32}, {ror8, ror16, ror32}, {rcl8, rcl16, rcl32},
                    {rcr8, rcr16, rcr32}};
    fn_t f1[7][3] = {{shl8_1, shl16_1, shl32_1}, {shr8_1, shr16_1, shr32_1}, {sar8_1, sar16_1, sar32_1},
                     {rol8_1, rol16_1, rol32_1}, {ror8_1, ror16_1, ror32_1}, {rcl8_1, rcl16_1, rcl32_1},
                     {rcr8_1, rcr16_1, rcr32_1}};
    fn_t fi[7][3] = {{shl8_i7, shl16_i7, shl32_i33}, {shr8_i7, shr16_i7, shr32_i33}, {sar8_i7, sar16_i7, sar32_i33},
                     {rol8_i7, rol16_i7, rol32_i33}, {ror8_i7, ror16_i7, ror32_i33}, {rcl8_i7, rcl16_i7, rcl32_i33},
                     {rcr8_i7, rcr16_i7, rcr32_i33}};
    static const u32 counts[] = {0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33};
    for (int op = 0; op < 7; op++)
        for (int s = 0; s < 3; s++) {
            int bits = 8 << s;
            for (int i = 0; i < 10; i++) {
                u32 a = S32[i] & szmask(bits);
                if (i > 0 && a == (S32[i - 1] & szmask(bits))) continue;
                /* rotates through carry are run with CF=0 and CF=1, others with all flags set
                   (so that "flags unaffected" for count 0 is visible) */
                int ncf = (op == RCL || op == RCR) ? 2 : 1;
                for (int c = 0; c < 11; c++)
                    for (int cf = 0; cf < ncf; cf++) {
                        u32 fin = ncf == 2 ? (0x8D6u | (u32)cf) : FI_ALL;
                        u32 fo, r = f[op][s](a, counts[c], fin, &fo);
                        kprintf("%s%d ", names[op], bits); hx(a, bits);
                        kprintf(",%d", counts[c]);
                        if (ncf == 2) kprintf(" c%d", cf);
                        kprintf(": "); hx(r, bits);
                        kprintf(" f=%03x\n", fo & shift_mask(op, counts[c], bits));
                    }
                for (int form = 0; form < 2; form++) {
                    u32 cnt = form == 0 ? 1 : (bits == 32 ? 33 : 7);
                    for (int cf = 0; cf < ncf; cf++) {
                        u32 fin = ncf == 2 ? (0x8D6u | (u32)cf) : FI_ALL;
                        u32 fo, r = (form == 0 ? f1 : fi)[op][s](a, 0, fin, &fo);
                        kprintf("%s%d%s ", names[op], bits, form == 0 ? "_d1" : "_imm"); hx(a, bits);
                        kprintf(",%d", cnt);
                        if (ncf == 2) kprintf(" c%d", cf);
                        kprintf(": "); hx(r, bits);
                        kprintf(" f=%03x\n", fo & shift_mask(op, cnt, bits));
                    }
                }
            }
        }
}

/* SHLD/SHRD: CF = last bit shifted out, SF ZF PF by result, OF only for count 1, AF undefined.
   Count masked to 5 bits; count 0: nothing changes. For 16-bit operands a count > 16 gives an
   undefined result and flags, so those are skipped. */
#define DSH(name, mn) \
static u32 name##16(u32 a, u32 b, u32 c, u32 *fo) { u32 f; \
    asm volatile("pushl $0x8d7\n\tpopfl\n\t" mn "w %%cl, %w[b], %w[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [b] "r"(b), "c"(c) : "cc"); *fo = f; return a & 0xFFFF; } \
static u32 name##32(u32 a, u32 b, u32 c, u32 *fo) { u32 f; \
    asm volatile("pushl $0x8d7\n\tpopfl\n\t" mn "l %%cl, %k[b], %k[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [b] "r"(b), "c"(c) : "cc"); *fo = f; return a; } \
static u32 name##32_i4(u32 a, u32 b, u32 *fo) { u32 f; \
    asm volatile("pushl $0x8d7\n\tpopfl\n\t" mn "l $4, %k[b], %k[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [b] "r"(b) : "cc"); *fo = f; return a; } \
static u32 name##16_i4(u32 a, u32 b, u32 *fo) { u32 f; \
    asm volatile("pushl $0x8d7\n\tpopfl\n\t" mn "w $4, %w[b], %w[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [b] "r"(b) : "cc"); *fo = f; return a & 0xFFFF; }
DSH(shld, "shld") DSH(shrd, "shrd")

static void run_dshift(void) {
    static const u32 av[] = {0, 0x12345678, 0x80000001, 0xFFFFFFFF, 0x00008000};
    static const u32 bv[] = {0, 0x9ABCDEF0, 0xFFFFFFFF};
    static const u32 counts[] = {0, 1, 4, 7, 8, 15, 16, 17, 31, 32, 33};
    for (int k = 0; k < 2; k++) {
        const char *nm = k ? "shrd" : "shld";
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 3; j++) {
                for (int c = 0; c < 11; c++) {
                    u32 cnt = counts[c], mc = cnt & 31, fo, r;
                    u32 m = mc == 0 ? FL_ALL : (F_CF | F_SF | F_ZF | F_PF | (mc == 1 ? F_OF : 0));
                    r = (k ? shrd32 : shld32)(av[i], bv[j], cnt, &fo);
                    kprintf("%s32 %08x,%08x,%d: %08x f=%03x\n", nm, av[i], bv[j], cnt, r, fo & m);
                    if (mc <= 16) {
                        r = (k ? shrd16 : shld16)(av[i], bv[j], cnt, &fo);
                        kprintf("%s16 %04x,%04x,%d: %04x f=%03x\n", nm, av[i] & 0xFFFF, bv[j] & 0xFFFF,
                                cnt, r, fo & m);
                    }
                }
                u32 fo, r = (k ? shrd32_i4 : shld32_i4)(av[i], bv[j], &fo);
                kprintf("%s32_imm %08x,%08x,4: %08x f=%03x\n", nm, av[i], bv[j], r, fo & (F_CF | F_SF | F_ZF | F_PF));
                r = (k ? shrd16_i4 : shld16_i4)(av[i], bv[j], &fo);
                kprintf("%s16_imm %04x,%04x,4: %04x f=%03x\n", nm, av[i] & 0xFFFF, bv[j] & 0xFFFF, r,
                        fo & (F_CF | F_SF | F_ZF | F_PF));
            }
    }
}

/* BT/BTS/BTR/BTC: CF = selected bit; ZF unaffected (printed); OF SF AF PF undefined. */
#define BTF(name, mn) \
static u32 name##r32(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "l %k[b], %k[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [b] "r"(b), [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 name##r16(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "w %w[b], %w[a]\n\tpushfl\n\tpopl %[f]" \
        : [a] "+r"(a), [f] "=&r"(f) : [b] "r"(b), [fi] "r"(fi) : "cc"); *fo = f; return a & 0xFFFF; } \
static void name##m32(u32 *p, u32 b, u32 fi, u32 *fo) { u32 f; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "l %k[b], (%[p])\n\tpushfl\n\tpopl %[f]" \
        : [f] "=&r"(f) : [p] "r"(p), [b] "r"(b), [fi] "r"(fi) : "cc", "memory"); *fo = f; } \
static void name##m16(u32 *p, u32 b, u32 fi, u32 *fo) { u32 f; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "w %w[b], (%[p])\n\tpushfl\n\tpopl %[f]" \
        : [f] "=&r"(f) : [p] "r"(p), [b] "r"(b), [fi] "r"(fi) : "cc", "memory"); *fo = f; } \
static void name##mi(u32 *p, u32 fi, u32 *fo) { u32 f; \
    asm volatile("pushl %[fi]\n\tpopfl\n\t" mn "l $37, (%[p])\n\tpushfl\n\tpopl %[f]" \
        : [f] "=&r"(f) : [p] "r"(p), [fi] "r"(fi) : "cc", "memory"); *fo = f; }
BTF(bt, "bt") BTF(bts, "bts") BTF(btr, "btr") BTF(btc, "btc")

static u32 bitbuf[6];
static void dump_bitbuf(void) {
    for (int i = 0; i < 6; i++) kprintf(" %08x", bitbuf[i]);
    kprintf("\n");
}
static void run_bt(void) {
    static const char *nm[] = {"bt", "bts", "btr", "btc"};
    fn_t r32[] = {btr32, btsr32, btrr32, btcr32};
    fn_t r16[] = {btr16, btsr16, btrr16, btcr16};
    void (*m32[])(u32 *, u32, u32, u32 *) = {btm32, btsm32, btrm32, btcm32};
    void (*m16[])(u32 *, u32, u32, u32 *) = {btm16, btsm16, btrm16, btcm16};
    void (*mi[])(u32 *, u32, u32 *) = {btmi, btsmi, btrmi, btcmi};
    static const u32 vals[] = {0x00000000, 0xFFFFFFFF, 0x80000001, 0x12345678};
    static const u32 offs[] = {0, 1, 5, 15, 16, 31, 32, 33, 63, 0xFFFFFFFF, 0xFFFFFFE0, 0xFFFFFFDF};
    for (int k = 0; k < 4; k++) {
        for (int v = 0; v < 4; v++)
            for (int o = 0; o < 12; o++) {
                u32 fo0, fo1, r = r32[k](vals[v], offs[o], FI_NONE, &fo0);
                r32[k](vals[v], offs[o], FI_ALL, &fo1);
                kprintf("%s_r32 %08x,%08x: %08x f=%03x/%03x\n", nm[k], vals[v], offs[o], r,
                        fo0 & (F_CF | F_ZF), fo1 & (F_CF | F_ZF));
                r = r16[k](vals[v], offs[o], FI_NONE, &fo0);
                r16[k](vals[v], offs[o], FI_ALL, &fo1);
                kprintf("%s_r16 %04x,%04x: %04x f=%03x/%03x\n", nm[k], vals[v] & 0xFFFF, offs[o] & 0xFFFF, r,
                        fo0 & (F_CF | F_ZF), fo1 & (F_CF | F_ZF));
            }
        /* memory bit strings: base is bitbuf+2 (byte 8); offsets reach bitbuf[0..5] */
        static const s32 moffs[] = {0, 5, 31, 32, 45, 63, -1, -32, -33, -64};
        for (int o = 0; o < 10; o++) {
            u32 fo;
            for (int i = 0; i < 6; i++) bitbuf[i] = 0x0F0F0F0F ^ (i * 0x11111111u);
            m32[k](&bitbuf[2], (u32)moffs[o], FI_ALL, &fo);
            kprintf("%s_m32 %d: f=%03x", nm[k], moffs[o], fo & (F_CF | F_ZF));
            dump_bitbuf();
        }
        static const s32 moffs16[] = {0, 5, 15, 16, 31, 40, -1, -16, -17, -48};
        for (int o = 0; o < 10; o++) {
            u32 fo;
            for (int i = 0; i < 6; i++) bitbuf[i] = 0x0F0F0F0F ^ (i * 0x11111111u);
            m16[k](&bitbuf[2], (u32)moffs16[o], FI_NONE, &fo);
            kprintf("%s_m16 %d: f=%03x", nm[k], moffs16[o], fo & (F_CF | F_ZF));
            dump_bitbuf();
        }
        {
            u32 fo;
            for (int i = 0; i < 6; i++) bitbuf[i] = 0x0F0F0F0F ^ (i * 0x11111111u);
            mi[k](&bitbuf[2], FI_NONE, &fo);   /* immediate 37 is taken modulo 32 */
            kprintf("%s_mimm 37: f=%03x", nm[k], fo & (F_CF | F_ZF));
            dump_bitbuf();
        }
    }
}

/* BSF/BSR: ZF defined; CF OF SF AF PF undefined; destination undefined if source is 0 */
static u32 bsx(int rev, int bits, u32 v, u32 *fo) {
    u32 r = 0x5A5A5A5A, f;
    if (bits == 32) {
        if (rev) asm volatile("pushl $2\n\tpopfl\n\tbsrl %k[v], %k[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=&r"(f) : [v] "r"(v) : "cc");
        else asm volatile("pushl $2\n\tpopfl\n\tbsfl %k[v], %k[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=&r"(f) : [v] "r"(v) : "cc");
    } else {
        if (rev) asm volatile("pushl $2\n\tpopfl\n\tbsrw %w[v], %w[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=&r"(f) : [v] "r"(v) : "cc");
        else asm volatile("pushl $2\n\tpopfl\n\tbsfw %w[v], %w[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=&r"(f) : [v] "r"(v) : "cc");
    }
    *fo = f;
    return r;
}
static void run_bsx(void) {
    static const u32 v[] = {0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
                            0x00012300, 0x00F00000, 0x40000000, 0x00010000};
    for (int i = 0; i < 14; i++)
        for (int rev = 0; rev < 2; rev++)
            for (int bits = 16; bits <= 32; bits += 16) {
                u32 a = v[i] & szmask(bits), fo, r = bsx(rev, bits, a, &fo);
                if (bits == 16 && v[i] > 0xFFFF) continue;   /* avoid duplicate 16-bit operands */
                kprintf("%s%d ", rev ? "bsr" : "bsf", bits); hx(a, bits);
                if (a == 0) kprintf(": undef");
                else { kprintf(": "); hx(r, bits); if (bits == 16) kprintf(" hi=%04x", r >> 16); }
                kprintf(" f=%03x\n", fo & F_ZF);
            }
}

/* CMPXCHG: flags as CMP accumulator,dest (all six defined) */
static void run_cmpxchg(void) {
    static const u32 acc[] = {0, 0x80, 0xFFFFFFFF, 0x7FFFFFFF};
    static const u32 dst[] = {0, 0x80, 0xFFFFFFFF, 1};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            u32 src = 0x12345678;
            for (int bits = 8; bits <= 32; bits *= 2) {
                u32 a = acc[i], d = dst[j], f;
                if (bits == 8) asm volatile("pushl $2\n\tpopfl\n\tcmpxchgb %b[s], %b[d]\n\tpushfl\n\tpopl %[f]"
                    : "+a"(a), [d] "+q"(d), [f] "=&r"(f) : [s] "q"(src) : "cc");
                else if (bits == 16) asm volatile("pushl $2\n\tpopfl\n\tcmpxchgw %w[s], %w[d]\n\tpushfl\n\tpopl %[f]"
                    : "+a"(a), [d] "+r"(d), [f] "=&r"(f) : [s] "r"(src) : "cc");
                else asm volatile("pushl $2\n\tpopfl\n\tcmpxchgl %k[s], %k[d]\n\tpushfl\n\tpopl %[f]"
                    : "+a"(a), [d] "+r"(d), [f] "=&r"(f) : [s] "r"(src) : "cc");
                kprintf("cmpxchg%d acc=", bits); hx(acc[i], bits); kprintf(" dst="); hx(dst[j], bits);
                kprintf(": eax=%08x dst=", a); hx(d, bits); kprintf(" f=%03x\n", f & FL_ALL);
            }
        }
    /* memory form */
    static volatile u32 mem = 0x11111111;
    u32 a = 0x11111111, f;
    asm volatile("pushl $2\n\tpopfl\n\tlock cmpxchgl %[s], %[m]\n\tpushfl\n\tpopl %[f]"
        : "+a"(a), [m] "+m"(mem), [f] "=&r"(f) : [s] "r"(0xCAFEBABEu) : "cc");
    kprintf("cmpxchg_m32 equal: eax=%08x mem=%08x f=%03x\n", a, mem, f & FL_ALL);
    a = 0x22222222;
    asm volatile("pushl $2\n\tpopfl\n\tcmpxchgl %[s], %[m]\n\tpushfl\n\tpopl %[f]"
        : "+a"(a), [m] "+m"(mem), [f] "=&r"(f) : [s] "r"(0xDEADBEEFu) : "cc");
    kprintf("cmpxchg_m32 differ: eax=%08x mem=%08x f=%03x\n", a, mem, f & FL_ALL);
}

/* CMPXCHG8B: ZF defined; CF PF AF SF OF unaffected (so printed, input 0x895 = all but ZF) */
static void run_cmpxchg8b(void) {
    static volatile u32 m[2] __attribute__((aligned(8)));
    static const u32 cases[][4] = { /* mem lo, mem hi, edx:eax compare lo, hi */
        {0x11111111, 0x22222222, 0x11111111, 0x22222222},
        {0x11111111, 0x22222222, 0x11111111, 0x22222223},
        {0x11111111, 0x22222222, 0x11111110, 0x22222222},
        {0, 0, 0, 0}, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}};
    for (int i = 0; i < 5; i++)
        for (int fi = 0; fi < 2; fi++) {
            m[0] = cases[i][0]; m[1] = cases[i][1];
            u32 a = cases[i][2], d = cases[i][3], f, fin = fi ? 0x895 : 0x002;
            asm volatile("pushl %[fi]\n\tpopfl\n\tlock cmpxchg8b (%[p])\n\tpushfl\n\tpopl %[f]"
                : "+a"(a), "+d"(d), [f] "=&r"(f)
                : [p] "S"(m), "b"(0xAAAAAAAAu), "c"(0xBBBBBBBBu), [fi] "r"(fin) : "cc", "memory");
            kprintf("cmpxchg8b %08x%08x vs %08x%08x fi=%03x: edx:eax=%08x%08x mem=%08x%08x f=%03x\n",
                    cases[i][1], cases[i][0], cases[i][3], cases[i][2], fin, d, a, m[1], m[0], f & FL_ALL);
        }
}

/* SETcc / CMOVcc for all 16 conditions over combinations of CF ZF SF OF PF (no flags changed) */
#define CC(cc) \
static u32 set_##cc(u32 fi) { u32 r = 0; asm volatile("pushl %[fi]\n\tpopfl\n\tset" #cc " %b[r]" : [r] "+q"(r) : [fi] "r"(fi) : "cc"); return r; } \
static u32 cmov_##cc(u32 fi) { u32 r = 0x11111111, f; \
    asm volatile("pushl %[fi]\n\tpopfl\n\tcmov" #cc "l %[s], %[r]\n\tpushfl\n\tpopl %[f]" \
        : [r] "+r"(r), [f] "=&r"(f) : [s] "r"(0x22222222u), [fi] "r"(fi) : "cc"); HI = f; return r; } \
static u32 cmovw_##cc(u32 fi) { u32 r = 0x11111111; \
    asm volatile("pushl %[fi]\n\tpopfl\n\tcmov" #cc "w %w[s], %w[r]" : [r] "+r"(r) : [s] "r"(0x22222222u), [fi] "r"(fi) : "cc"); return r; }
CC(o) CC(no) CC(b) CC(ae) CC(e) CC(ne) CC(be) CC(a) CC(s) CC(ns) CC(p) CC(np) CC(l) CC(ge) CC(le) CC(g)

static void run_cc(void) {
    u32 (*sf[])(u32) = {set_o, set_no, set_b, set_ae, set_e, set_ne, set_be, set_a, set_s, set_ns, set_p, set_np, set_l, set_ge, set_le, set_g};
    u32 (*cf[])(u32) = {cmov_o, cmov_no, cmov_b, cmov_ae, cmov_e, cmov_ne, cmov_be, cmov_a, cmov_s, cmov_ns, cmov_p, cmov_np, cmov_l, cmov_ge, cmov_le, cmov_g};
    u32 (*cw[])(u32) = {cmovw_o, cmovw_no, cmovw_b, cmovw_ae, cmovw_e, cmovw_ne, cmovw_be, cmovw_a, cmovw_s, cmovw_ns, cmovw_p, cmovw_np, cmovw_l, cmovw_ge, cmovw_le, cmovw_g};
    kprintf("cc order: o no b ae e ne be a s ns p np l ge le g\n");
    for (u32 bits = 0; bits < 32; bits++) {
        u32 fin = 2 | ((bits & 1) ? F_CF : 0) | ((bits & 2) ? F_ZF : 0) | ((bits & 4) ? F_SF : 0)
                    | ((bits & 8) ? F_OF : 0) | ((bits & 16) ? F_PF : 0);
        kprintf("flags=%03x set=", fin);
        for (int c = 0; c < 16; c++) kprintf("%u", sf[c](fin));
        kprintf(" cmov=");
        u32 fl = 0;
        for (int c = 0; c < 16; c++) { u32 r = cf[c](fin); fl |= HI ^ fin; kprintf("%c", r == 0x22222222 ? '1' : r == 0x11111111 ? '0' : '?'); }
        kprintf(" cmovw=");
        for (int c = 0; c < 16; c++) { u32 r = cw[c](fin); kprintf("%c", r == 0x11112222 ? '1' : r == 0x11111111 ? '0' : '?'); }
        kprintf(" flagchg=%03x\n", fl & 0xFFF);
    }
}

/* BCD adjust. DAA/DAS: CF AF SF ZF PF defined, OF undefined. AAA/AAS: AF CF defined, others
   undefined. AAM/AAD: SF ZF PF defined, OF AF CF undefined. */
static u32 bcd(int op, u32 ax, u32 fi, u32 *fo) {
    u32 a = ax, f;
    switch (op) {
    case 0: asm volatile("pushl %[fi]\n\tpopfl\n\tdaa\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); break;
    case 1: asm volatile("pushl %[fi]\n\tpopfl\n\tdas\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); break;
    case 2: asm volatile("pushl %[fi]\n\tpopfl\n\taaa\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); break;
    case 3: asm volatile("pushl %[fi]\n\tpopfl\n\taas\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); break;
    case 4: asm volatile("pushl %[fi]\n\tpopfl\n\taam\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); break;
    case 5: asm volatile("pushl %[fi]\n\tpopfl\n\taam $16\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); break;
    case 6: asm volatile("pushl %[fi]\n\tpopfl\n\taad\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); break;
    default: asm volatile("pushl %[fi]\n\tpopfl\n\taad $7\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); break;
    }
    *fo = f;
    return a;
}
static void run_bcd(void) {
    static const char *nm[] = {"daa", "das", "aaa", "aas"};
    static const u32 mask[] = {F_CF | F_AF | F_SF | F_ZF | F_PF, F_CF | F_AF | F_SF | F_ZF | F_PF, F_AF | F_CF, F_AF | F_CF};
    for (int op = 0; op < 4; op++)
        for (u32 al = 0; al < 256; al++) {
            kprintf("%s %02x:", nm[op], al);
            for (int fl = 0; fl < 4; fl++) {   /* AF,CF in: 00 01 10 11 */
                u32 fi = 2 | ((fl & 2) ? F_AF : 0) | ((fl & 1) ? F_CF : 0), fo;
                u32 r = bcd(op, 0x1200 | al, fi, &fo);
                kprintf(" %04x/%03x", r & 0xFFFF, fo & mask[op]);
            }
            kprintf("\n");
        }
    for (u32 al = 0; al < 256; al++) {
        u32 fo, fo2, r = bcd(4, 0x5500 | al, 2, &fo), r2 = bcd(5, 0x5500 | al, 2, &fo2);
        kprintf("aam %02x: %04x/%03x aam16: %04x/%03x\n", al, r & 0xFFFF, fo & (F_SF | F_ZF | F_PF),
                r2 & 0xFFFF, fo2 & (F_SF | F_ZF | F_PF));
    }
    static const u32 ahs[] = {0, 1, 9, 0x12, 0x80, 0xFF};
    static const u32 als[] = {0, 5, 9, 0x7F, 0x80, 0xFF};
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++) {
            u32 ax = (ahs[i] << 8) | als[j], fo, fo2, r = bcd(6, ax, 2, &fo), r2 = bcd(7, ax, 2, &fo2);
            kprintf("aad %04x: %04x/%03x aad7: %04x/%03x\n", ax, r & 0xFFFF, fo & (F_SF | F_ZF | F_PF),
                    r2 & 0xFFFF, fo2 & (F_SF | F_ZF | F_PF));
        }
    kprintf("aam 0: ");
    if (TRY()) { u32 a = 0x0123; asm volatile(".byte 0xd4, 0x00" : "+a"(a) : : "cc"); END_TRY(); kprintf("no trap\n"); }
    else kprintf("trap vec=%02x\n", trap.vec);
}

/* sign/zero extension, no flags */
static void run_ext(void) {
    for (int i = 0; i < N32; i++) {
        u32 v = E32[i], a, d;
        a = v; asm("cbtw" : "+a"(a)); kprintf("cbw %08x: %08x\n", v, a);
        a = v; asm("cwtl" : "+a"(a)); kprintf("cwde %08x: %08x\n", v, a);
        a = v; d = 0x5A5A5A5A; asm("cwtd" : "+a"(a), "+d"(d)); kprintf("cwd %08x: dx:ax=%08x:%08x\n", v, d, a);
        a = v; asm("cltd" : "+a"(a), "=d"(d)); kprintf("cdq %08x: %08x:%08x\n", v, d, a);
        u32 r1 = 0x5A5A5A5A, r2 = 0x5A5A5A5A, r3, r4, r5, r6;
        asm("movsbw %b1, %w0" : "+r"(r1) : "q"(v));
        asm("movzbw %b1, %w0" : "+r"(r2) : "q"(v));
        asm("movsbl %b1, %0" : "=r"(r3) : "q"(v));
        asm("movzbl %b1, %0" : "=r"(r4) : "q"(v));
        asm("movswl %w1, %0" : "=r"(r5) : "r"(v));
        asm("movzwl %w1, %0" : "=r"(r6) : "r"(v));
        kprintf("movx %08x: sbw=%08x zbw=%08x sbl=%08x zbl=%08x swl=%08x zwl=%08x\n", v, r1, r2, r3, r4, r5, r6);
    }
    static volatile u8 mb = 0x80;
    static volatile u16 mw = 0x8001;
    u32 r1, r2;
    asm volatile("movsbl %1, %0" : "=r"(r1) : "m"(mb));
    asm volatile("movswl %1, %0" : "=r"(r2) : "m"(mw));
    kprintf("movsx mem: %08x %08x\n", r1, r2);
}

static void run_bswap(void) {
    static const u32 v[] = {0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x12345678};
    for (int i = 0; i < 11; i++) {
        u32 a = v[i];
        asm("bswap %0" : "+r"(a));
        kprintf("bswap %08x: %08x\n", v[i], a);
    }
}

/* LEA with 16-bit address size (0x67): the effective address wraps at 64 KiB and is
   zero-extended into the 32-bit destination; also 16-bit operand size LEA. */
static void run_lea(void) {
    static const u32 bxs[] = {0, 0xFFFF, 0x12348000, 0x8000};
    static const u32 sis[] = {0, 1, 0xFFFF, 0xABCD8000};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            u32 r1, r2, r4 = 0x77777777;
            asm("addr16 leal (%%bx,%%si), %0" : "=r"(r1) : "b"(bxs[i]), "S"(sis[j]));
            asm("addr16 leal 0x7fff(%%bx,%%di), %0" : "=r"(r2) : "b"(bxs[i]), "D"(sis[j]));
            asm("leaw 3(%1,%2), %w0" : "+r"(r4) : "r"(bxs[i]), "r"(sis[j]));
            kprintf("lea bx=%08x si/di=%08x: [bx+si]=%08x [bx+di+7fff]=%08x lea16=%08x\n",
                    bxs[i], sis[j], r1, r2, r4);
        }
    u32 r;
    asm("addr16 leal 0x1234, %0" : "=r"(r)); kprintf("lea [disp16]: %08x\n", r);
    asm("addr16 leal -1(%%bx), %0" : "=r"(r) : "b"(0)); kprintf("lea [bx-1] bx=0: %08x\n", r);
    asm("leal 0x10(%1,%2,4), %0" : "=r"(r) : "r"(0x100), "r"(0xFFFFFFFF)); kprintf("lea32 [b+i*4+10]: %08x\n", r);
}

/* miscellaneous encodings: high-byte registers, imm8 sign extension, memory destinations */
static void run_misc_enc(void) {
    u32 a = 0x1234, f;
    asm("addb %%ah, %%al" : "+a"(a) : : "cc"); kprintf("add al,ah: %08x\n", a);
    a = 0x12F0; asm("subb %%al, %%ah" : "+a"(a) : : "cc"); kprintf("sub ah,al: %08x\n", a);
    a = 0x80; asm("pushl $2\n\tpopfl\n\taddl $-1, %0\n\tpushfl\n\tpopl %1" : "+r"(a), "=r"(f) : : "cc");
    kprintf("add r32,imm8(-1): %08x f=%03x\n", a, f & FL_ALL);
    a = 0x12348000; asm("pushl $2\n\tpopfl\n\taddw $-128, %w0\n\tpushfl\n\tpopl %1" : "+r"(a), "=r"(f) : : "cc");
    kprintf("add r16,imm8(-128): %08x f=%03x\n", a, f & FL_ALL);
    a = 0xFFFFFFFF; asm("pushl $2\n\tpopfl\n\tandl $0x80, %0\n\tpushfl\n\tpopl %1" : "+r"(a), "=r"(f) : : "cc");
    kprintf("and r32,imm(0x80): %08x f=%03x\n", a, f & FL_LOGIC);
    static volatile u32 m = 0x7FFFFFFF;
    asm volatile("pushl $2\n\tpopfl\n\taddl %2, %0\n\tpushfl\n\tpopl %1" : "+m"(m), "=r"(f) : "r"(1) : "cc");
    kprintf("add m32,r32: %08x f=%03x\n", m, f & FL_ALL);
    asm volatile("pushl $2\n\tpopfl\n\tnegl %0\n\tpushfl\n\tpopl %1" : "+m"(m), "=r"(f) : : "cc");
    kprintf("neg m32: %08x f=%03x\n", m, f & FL_ALL);
    asm volatile("pushl $0x8d7\n\tpopfl\n\tincb %0\n\tpushfl\n\tpopl %1" : "+m"(m), "=r"(f) : : "cc");
    kprintf("inc m8: %08x f=%03x\n", m, f & FL_ALL);
    asm volatile("pushl $2\n\tpopfl\n\tsarl $4, %0\n\tpushfl\n\tpopl %1" : "+m"(m), "=r"(f) : : "cc");
    kprintf("sar m32,4: %08x f=%03x\n", m, f & (F_CF | F_SF | F_ZF | F_PF));
    a = 0x80000000; asm("pushl $2\n\tpopfl\n\tcmpl $-1, %1\n\tpushfl\n\tpopl %0" : "=r"(f) : "r"(a) : "cc");
    kprintf("cmp r32,imm8(-1): f=%03x\n", f & FL_ALL);
    a = 0xFFFFFF80; asm("pushl $2\n\tpopfl\n\ttestb $0x80, %b1\n\tpushfl\n\tpopl %0" : "=r"(f) : "q"(a) : "cc");
    kprintf("test r8,imm: f=%03x\n", f & FL_LOGIC);
}

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("alu: begin\n");
    run_bin("add", add8, add16, add32, FL_ALL, 0);
    run_bin("adc", adc8, adc16, adc32, FL_ALL, 1);
    run_bin("sub", sub8, sub16, sub32, FL_ALL, 0);
    run_bin("sbb", sbb8, sbb16, sbb32, FL_ALL, 1);
    run_bin("cmp", cmp8, cmp16, cmp32, FL_ALL, 0);
    run_bin("and", and8, and16, and32, FL_LOGIC, 0);
    run_bin("or", or8, or16, or32, FL_LOGIC, 0);
    run_bin("xor", xor8, xor16, xor32, FL_LOGIC, 0);
    run_bin("test", test8, test16, test32, FL_LOGIC, 0);
    run_bin("imul2_", 0, imul2_16, imul2_32, FL_MUL, 0);
    /* INC/DEC: CF unaffected (defined) -> printed; run with all flags clear / all set */
    run_un("inc", inc8, inc16, inc32, FL_ALL);
    run_un("dec", dec8, dec16, dec32, FL_ALL);
    run_un("neg", neg8, neg16, neg32, FL_ALL);
    run_un("not", not8, not16, not32, FL_ALL);   /* NOT: no flags affected */
    run_xadd();
    run_mul1("mul", mul8, mul16, mul32);
    run_mul1("imul1_", imul1_8, imul1_16, imul1_32);
    run_imul3();
    run_div();
    run_shifts();
    run_dshift();
    run_bt();
    run_bsx();
    run_bswap();
    run_cmpxchg();
    run_cmpxchg8b();
    run_cc();
    run_bcd();
    run_ext();
    run_lea();
    run_misc_enc();
    kprintf("alu: done\n");
    exit(EXIT_OK);
}
