/* strings: MOVS/STOS/LODS/CMPS/SCAS with REP/REPE/REPNE, DF=0/1, 8/16/32-bit elements,
   16-bit address size (0x67), segment override on the source, ECX=0, overlapping copies,
   and REP MOVSD/STOSD/LODSD interrupted by a #PF in the middle (handler maps the page,
   returns, the instruction resumes where it stopped). Addresses are printed as offsets. */
#include "rt.h"

#define FL_ALL (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)
static u8 src[256], dst[256], cmpb[256];
static u8 fsbuf[64];

static void fill(void) {
    for (int i = 0; i < 256; i++) { src[i] = (u8)(i + 0x40); dst[i] = 0xEE; cmpb[i] = (u8)(i + 0x40); }
}
static void dump(const char *tag, u8 *p, int n) {
    kprintf("  %s:", tag);
    for (int i = 0; i < n; i++) kprintf(" %02x", p[i]);
    kprintf("\n");
}

static void t_movs(void) {
    u32 s, d, c;
    fill(); s = (u32)src; d = (u32)dst; c = 13;
    asm volatile("cld; rep movsb" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("rep movsb df0 n=13: esi=src%+d edi=dst%+d ecx=%u\n", (s32)(s - (u32)src), (s32)(d - (u32)dst), c);
    dump("dst", dst, 16);
    fill(); s = (u32)src; d = (u32)dst; c = 7;
    asm volatile("cld; rep movsw" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("rep movsw df0 n=7: esi=src%+d edi=dst%+d ecx=%u\n", (s32)(s - (u32)src), (s32)(d - (u32)dst), c);
    dump("dst", dst, 16);
    fill(); s = (u32)src; d = (u32)dst; c = 3;
    asm volatile("cld; rep movsl" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("rep movsd df0 n=3: esi=src%+d edi=dst%+d ecx=%u\n", (s32)(s - (u32)src), (s32)(d - (u32)dst), c);
    dump("dst", dst, 16);
    /* DF=1: start at the last element, addresses decrement */
    fill(); s = (u32)src + 12; d = (u32)dst + 12; c = 13;
    asm volatile("std; rep movsb; cld" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("rep movsb df1 n=13: esi=src%+d edi=dst%+d ecx=%u\n", (s32)(s - (u32)src), (s32)(d - (u32)dst), c);
    dump("dst", dst, 16);
    fill(); s = (u32)src + 12; d = (u32)dst + 12; c = 3;
    asm volatile("std; rep movsw; cld" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("rep movsw df1 n=3: esi=src%+d edi=dst%+d ecx=%u\n", (s32)(s - (u32)src), (s32)(d - (u32)dst), c);
    dump("dst", dst, 16);
    fill(); s = (u32)src + 8; d = (u32)dst + 8; c = 3;
    asm volatile("std; rep movsl; cld" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("rep movsd df1 n=3: esi=src%+d edi=dst%+d ecx=%u\n", (s32)(s - (u32)src), (s32)(d - (u32)dst), c);
    dump("dst", dst, 16);
    /* single MOVS without REP */
    fill(); s = (u32)src + 1; d = (u32)dst + 2; c = 99;
    asm volatile("cld; movsw" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("movsw (no rep): esi=src%+d edi=dst%+d ecx=%u\n", (s32)(s - (u32)src), (s32)(d - (u32)dst), c);
    dump("dst", dst, 8);
    /* overlapping, dst = src + 1: element-by-element semantics replicate the first byte */
    fill(); s = (u32)src; d = (u32)src + 1; c = 10;
    asm volatile("cld; rep movsb" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("rep movsb overlap dst=src+1 n=10:\n");
    dump("src", src, 16);
    fill(); s = (u32)src; d = (u32)src + 4; c = 4;
    asm volatile("cld; rep movsl" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("rep movsd overlap dst=src+4 n=4:\n");
    dump("src", src, 24);
    fill(); s = (u32)src + 11; d = (u32)src + 12; c = 8;
    asm volatile("std; rep movsb; cld" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("rep movsb df1 overlap dst=src+1 n=8:\n");
    dump("src", src, 16);
    /* ECX = 0: nothing happens */
    fill(); s = (u32)src; d = (u32)dst; c = 0;
    asm volatile("cld; rep movsb" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("rep movsb ecx=0: esi=src%+d edi=dst%+d ecx=%u dst0=%02x\n", (s32)(s - (u32)src), (s32)(d - (u32)dst), c, dst[0]);
}

static void t_stos_lods(void) {
    u32 d, c, a;
    fill(); d = (u32)dst; c = 5; a = 0x11223344;
    asm volatile("cld; rep stosb" : "+D"(d), "+c"(c) : "a"(a) : "memory");
    kprintf("rep stosb df0 n=5: edi=dst%+d ecx=%u\n", (s32)(d - (u32)dst), c); dump("dst", dst, 12);
    fill(); d = (u32)dst; c = 3;
    asm volatile("cld; rep stosw" : "+D"(d), "+c"(c) : "a"(a) : "memory");
    kprintf("rep stosw df0 n=3: edi=dst%+d ecx=%u\n", (s32)(d - (u32)dst), c); dump("dst", dst, 12);
    fill(); d = (u32)dst; c = 2;
    asm volatile("cld; rep stosl" : "+D"(d), "+c"(c) : "a"(a) : "memory");
    kprintf("rep stosd df0 n=2: edi=dst%+d ecx=%u\n", (s32)(d - (u32)dst), c); dump("dst", dst, 12);
    fill(); d = (u32)dst + 8; c = 3;
    asm volatile("std; rep stosb; cld" : "+D"(d), "+c"(c) : "a"(a) : "memory");
    kprintf("rep stosb df1 n=3: edi=dst%+d ecx=%u\n", (s32)(d - (u32)dst), c); dump("dst", dst, 12);
    fill(); d = (u32)dst + 8; c = 2;
    asm volatile("std; rep stosw; cld" : "+D"(d), "+c"(c) : "a"(a) : "memory");
    kprintf("rep stosw df1 n=2: edi=dst%+d ecx=%u\n", (s32)(d - (u32)dst), c); dump("dst", dst, 12);
    fill(); d = (u32)dst + 8; c = 2;
    asm volatile("std; rep stosl; cld" : "+D"(d), "+c"(c) : "a"(a) : "memory");
    kprintf("rep stosd df1 n=2: edi=dst%+d ecx=%u\n", (s32)(d - (u32)dst), c); dump("dst", dst, 12);

    u32 s;
    fill(); s = (u32)src; a = 0xAAAAAAAA;
    asm volatile("cld; lodsb" : "+S"(s), "+a"(a));
    kprintf("lodsb: eax=%08x esi=src%+d\n", a, (s32)(s - (u32)src));
    s = (u32)src + 1;
    asm volatile("cld; lodsw" : "+S"(s), "+a"(a));
    kprintf("lodsw: eax=%08x esi=src%+d\n", a, (s32)(s - (u32)src));
    s = (u32)src + 3;
    asm volatile("std; lodsl; cld" : "+S"(s), "+a"(a));
    kprintf("lodsd df1: eax=%08x esi=src%+d\n", a, (s32)(s - (u32)src));
    s = (u32)src; c = 5;
    asm volatile("cld; rep lodsb" : "+S"(s), "+a"(a), "+c"(c));
    kprintf("rep lodsb n=5: eax=%08x esi=src%+d ecx=%u\n", a, (s32)(s - (u32)src), c);
}

static void t_cmps_scas(void) {
    u32 s, d, c, f;
    static const int diffs[] = {0, 5, 12, -1};
    for (int k = 0; k < 4; k++) {
        fill();
        if (diffs[k] >= 0) cmpb[diffs[k]] = 0x01;
        s = (u32)src; d = (u32)cmpb; c = 12;
        asm volatile("cld; pushl $2; popfl; repe cmpsb; pushfl; popl %3" : "+S"(s), "+D"(d), "+c"(c), "=r"(f) : : "cc");
        kprintf("repe cmpsb n=12 diff@%d: esi=src%+d edi=cmp%+d ecx=%u f=%03x\n", diffs[k],
                (s32)(s - (u32)src), (s32)(d - (u32)cmpb), c, f & FL_ALL);
    }
    /* REPNE CMPS: stop at the first equal element */
    fill();
    for (int i = 0; i < 16; i++) cmpb[i] = 0;
    cmpb[6] = src[6]; cmpb[7] = src[7];
    s = (u32)src; d = (u32)cmpb; c = 16;
    asm volatile("cld; pushl $2; popfl; repne cmpsw; pushfl; popl %3" : "+S"(s), "+D"(d), "+c"(c), "=r"(f) : : "cc");
    kprintf("repne cmpsw n=16: esi=src%+d edi=cmp%+d ecx=%u f=%03x\n", (s32)(s - (u32)src), (s32)(d - (u32)cmpb), c, f & FL_ALL);
    fill();
    s = (u32)src + 12; d = (u32)cmpb + 12; c = 4; cmpb[4] = 0;
    asm volatile("pushl $2; popfl; std; repe cmpsl; pushfl; popl %3; cld" : "+S"(s), "+D"(d), "+c"(c), "=r"(f) : : "cc");
    kprintf("repe cmpsd df1 n=4 diff@4: esi=src%+d edi=cmp%+d ecx=%u f=%03x\n", (s32)(s - (u32)src), (s32)(d - (u32)cmpb), c, f & FL_ALL);
    /* ECX=0: flags unchanged */
    s = (u32)src; d = (u32)cmpb; c = 0;
    asm volatile("cld; pushl $0x8d7; popfl; repe cmpsb; pushfl; popl %3" : "+S"(s), "+D"(d), "+c"(c), "=r"(f) : : "cc");
    kprintf("repe cmpsb ecx=0: esi=src%+d edi=cmp%+d ecx=%u f=%03x\n", (s32)(s - (u32)src), (s32)(d - (u32)cmpb), c, f & FL_ALL);
    /* single CMPSB without prefix */
    s = (u32)src + 1; d = (u32)src;
    asm volatile("cld; pushl $2; popfl; cmpsb; pushfl; popl %2" : "+S"(s), "+D"(d), "=r"(f) : : "cc");
    kprintf("cmpsb 41-40: f=%03x\n", f & FL_ALL);

    /* SCAS */
    fill();
    d = (u32)src; c = 100;
    asm volatile("cld; pushl $2; popfl; repne scasb; pushfl; popl %2" : "+D"(d), "+c"(c), "=r"(f) : "a"(0x4A) : "cc");
    kprintf("repne scasb find 4a: edi=src%+d ecx=%u f=%03x\n", (s32)(d - (u32)src), c, f & FL_ALL);
    d = (u32)src; c = 10;
    asm volatile("cld; pushl $2; popfl; repne scasb; pushfl; popl %2" : "+D"(d), "+c"(c), "=r"(f) : "a"(0x00) : "cc");
    kprintf("repne scasb not found n=10: edi=src%+d ecx=%u f=%03x\n", (s32)(d - (u32)src), c, f & FL_ALL);
    for (int i = 0; i < 8; i++) dst[i] = 0x77;
    d = (u32)dst; c = 100;
    asm volatile("cld; pushl $2; popfl; repe scasb; pushfl; popl %2" : "+D"(d), "+c"(c), "=r"(f) : "a"(0x77) : "cc");
    kprintf("repe scasb skip 77: edi=dst%+d ecx=%u f=%03x\n", (s32)(d - (u32)dst), c, f & FL_ALL);
    d = (u32)src + 8; c = 100;
    asm volatile("pushl $2; popfl; std; repne scasw; pushfl; popl %2; cld" : "+D"(d), "+c"(c), "=r"(f) : "a"(0x4342) : "cc");
    kprintf("repne scasw df1 find 4342: edi=src%+d ecx=%u f=%03x\n", (s32)(d - (u32)src), c, f & FL_ALL);
    d = (u32)src; c = 100;
    asm volatile("cld; pushl $2; popfl; repne scasl; pushfl; popl %2" : "+D"(d), "+c"(c), "=r"(f) : "a"(0x4f4e4d4c) : "cc");
    kprintf("repne scasd find 4f4e4d4c: edi=src%+d ecx=%u f=%03x\n", (s32)(d - (u32)src), c, f & FL_ALL);
}

/* 16-bit address size: SI/DI/CX are used and updated, the upper halves of ESI/EDI/ECX are
   preserved, and SI/DI wrap at 64 KiB. Uses low memory 0x2000-0x3FFF and 0xFFFx. */
static void t_addr16(void) {
    volatile u8 *lo = (volatile u8 *)0x2000, *lo2 = (volatile u8 *)0x3000;
    for (int i = 0; i < 32; i++) { lo[i] = (u8)(0xA0 + i); lo2[i] = 0; }
    u32 s = 0xABCD2000, d = 0x12343000, c = 0x56780005;
    asm volatile("cld; addr16 rep movsb" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("addr16 rep movsb n=5: esi=%08x edi=%08x ecx=%08x\n", s, d, c);
    kprintf("  dst: %02x %02x %02x %02x %02x %02x\n", lo2[0], lo2[1], lo2[2], lo2[3], lo2[4], lo2[5]);
    s = 0x11112004; d = 0x22223010; c = 0x33330002;
    asm volatile("std; addr16 rep movsw; cld" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("addr16 rep movsw df1 n=2: esi=%08x edi=%08x ecx=%08x dst: %02x %02x %02x %02x\n", s, d, c,
            lo2[0x0e], lo2[0x0f], lo2[0x10], lo2[0x11]);
    d = 0x4444300C; c = 0x00010002; u32 a = 0xCAFEBABE;
    asm volatile("cld; addr16 rep stosl" : "+D"(d), "+c"(c) : "a"(a) : "memory");
    kprintf("addr16 rep stosd n=2: edi=%08x ecx=%08x dst: %02x %02x\n", d, c, lo2[0x0c], lo2[0x13]);
    /* wrap: SI=FFFF -> 0000 */
    *(volatile u8 *)0xFFFF = 0x5A;
    s = 0x7777FFFF; a = 0;
    asm volatile("cld; addr16 lodsb" : "+S"(s), "+a"(a));
    kprintf("addr16 lodsb si=ffff: al=%02x esi=%08x\n", a & 0xFF, s);
    u32 zero = 0;
    asm("" : "+r"(zero));            /* hide the null pointer from the optimizer */
    *(volatile u16 *)zero = 0x1234;
    s = 0x88880000;
    asm volatile("std; addr16 lodsw; cld" : "+S"(s), "+a"(a));
    kprintf("addr16 lodsw df1 si=0000: ax=%04x esi=%08x\n", a & 0xFFFF, s);
    /* addr16 repe cmpsb */
    for (int i = 0; i < 8; i++) lo2[0x20 + i] = lo[i];
    lo2[0x23] = 0;
    s = 0x99992000; d = 0x99993020; c = 0xFFFF0008; u32 f;
    asm volatile("cld; pushl $2; popfl; addr16 repe cmpsb; pushfl; popl %3" : "+S"(s), "+D"(d), "+c"(c), "=r"(f) : : "cc");
    kprintf("addr16 repe cmpsb: esi=%08x edi=%08x ecx=%08x f=%03x\n", s, d, c, f & FL_ALL);
    /* addr16 with CX=0 but ECX upper bits nonzero: no iterations */
    s = 0x2000; d = 0x3000; c = 0x00010000;
    asm volatile("cld; addr16 rep movsb" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("addr16 rep movsb cx=0 (ecx=00010000): esi=%08x edi=%08x ecx=%08x\n", s, d, c);
}

/* segment override on the source: FS has base=fsbuf */
static void t_override(void) {
    for (int i = 0; i < 64; i++) fsbuf[i] = (u8)(0xC0 + i);
    gdt_set(GDT_FREE, (u32)fsbuf, 0xFFFFF, 0x92, 0xC);
    fill();
    u32 s = 4, d = (u32)dst, c = 6, a = 0;
    asm volatile("movw %w4, %%fs; cld; rep movsb %%fs:(%%esi), %%es:(%%edi); xorl %%eax, %%eax; movw %%ax, %%fs"
                 : "+S"(s), "+D"(d), "+c"(c), "+a"(a) : "r"(0x30) : "memory");
    kprintf("rep movsb fs:(esi) fs.base=fsbuf esi=4 n=6: esi=%u edi=dst%+d ecx=%u\n", s, (s32)(d - (u32)dst), c);
    dump("dst", dst, 8);
    s = 8;
    asm volatile("movw %w2, %%gs; cld; lodsl %%gs:(%%esi), %%eax; pushl %%eax; xorl %%eax, %%eax; movw %%ax, %%gs; popl %%eax"
                 : "+S"(s), "=&a"(a) : "r"(0x30));
    kprintf("lodsd gs:(esi) esi=8: eax=%08x esi=%u\n", a, s);
    u32 f;
    s = 0; d = (u32)fsbuf; c = 4;
    asm volatile("movw %w5, %%fs; cld; pushl $2; popfl; repe cmpsb %%es:(%%edi), %%fs:(%%esi); pushfl; popl %3; xorl %%eax, %%eax; movw %%ax, %%fs"
                 : "+S"(s), "+D"(d), "+c"(c), "=r"(f) : "a"(0), "r"(0x30) : "cc");
    kprintf("repe cmpsb fs:(esi) vs es:(edi) same bytes n=4: esi=%u edi=fsbuf%+d ecx=%u f=%03x\n", s,
            (s32)(d - (u32)fsbuf), c, f & FL_ALL);
}

/* ---- page faults in the middle of REP string instructions ---- */
static u32 pd[1024] __attribute__((aligned(4096)));
static u32 pt0[1024] __attribute__((aligned(4096)));
static u32 pt1[1024] __attribute__((aligned(4096)));
static u32 pages[4][1024] __attribute__((aligned(4096)));
static u32 bigsrc[1024];
static u32 pf_base_s, pf_base_d, pf_map_idx, pf_map_page;
extern char pf_movsd[], pf_stosd[], pf_lodsd[];

static int pf_hook(struct frame *f) {
    u32 cr2 = read_cr2();
    kprintf("  #PF cr2=%08x err=%x eip=%s ecx=%u esi=src%+d edi=dst%+d\n", cr2, f->err,
            f->eip == (u32)pf_movsd ? "movsd" : f->eip == (u32)pf_stosd ? "stosd" :
            f->eip == (u32)pf_lodsd ? "lodsd" : "other",
            f->ecx, (s32)(f->esi - pf_base_s), (s32)(f->edi - pf_base_d));
    pt1[pf_map_idx] = pf_map_page | 7;
    invlpg(cr2);
    return 1;
}

static void t_pagefault(void) {
    for (int i = 0; i < 1024; i++) pt0[i] = ((u32)i << 12) | 7;
    pd[0] = (u32)pt0 | 7;
    pd[1] = (u32)pt1 | 7;
    for (int i = 0; i < 1024; i++) bigsrc[i] = 0x10000000u + (u32)i;
    pt1[0] = (u32)pages[0] | 7;     /* 0x400000 present, 0x401000 not present */
    write_cr3((u32)pd);
    write_cr0(read_cr0() | 0x80000000u);
    trap_hooks[14] = pf_hook;

    /* REP MOVSD: 1024 dwords to 0x400800: faults at 0x401000 after 512 */
    u32 s = (u32)bigsrc, d = 0x400800, c = 1024;
    pf_base_s = (u32)bigsrc; pf_base_d = 0x400800; pf_map_idx = 1; pf_map_page = (u32)pages[1];
    kprintf("rep movsd 1024 dwords to 0x400800, 0x401000 not present:\n");
    asm volatile("cld\n.globl pf_movsd\npf_movsd: rep movsl" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    kprintf("  done: ecx=%u esi=src%+d edi=dst%+d\n", c, (s32)(s - (u32)bigsrc), (s32)(d - 0x400800));
    int bad = 0;
    for (int i = 0; i < 1024; i++) if (*(volatile u32 *)(0x400800 + 4 * i) != bigsrc[i]) bad++;
    kprintf("  mismatches=%d last=%08x page1[511]=%08x\n", bad, *(volatile u32 *)(0x400800 + 4 * 1023), pages[1][511]);

    /* REP STOSD with DF=1 downward into a not-present page below */
    pt1[2] = 0; pt1[3] = (u32)pages[2] | 7; invlpg(0x402000);
    d = 0x403010; c = 8; pf_base_s = 0; pf_base_d = 0x403010; pf_map_idx = 2; pf_map_page = (u32)pages[3];
    kprintf("std; rep stosd 8 dwords from 0x403010 down, 0x402000 not present:\n");
    asm volatile("std\n.globl pf_stosd\npf_stosd: rep stosl\ncld" : "+D"(d), "+c"(c) : "a"(0xABCDEF01), "S"(0) : "memory");
    kprintf("  done: ecx=%u edi=dst%+d page3[1022..1023]=%08x %08x page2[0..4]=%08x %08x %08x %08x %08x\n",
            c, (s32)(d - 0x403010), pages[3][1022], pages[3][1023], pages[2][0], pages[2][1], pages[2][2],
            pages[2][3], pages[2][4]);

    /* REP LODSD over a not-present source page */
    pt1[4] = (u32)pages[3] | 7; pt1[5] = 0; invlpg(0x404000); invlpg(0x405000);
    pages[3][1023] = 0x33330000;
    pages[0][0] = 0;
    s = 0x404FF8; c = 4; u32 a = 0;
    pf_base_s = 0x404FF8; pf_base_d = 0; pf_map_idx = 5; pf_map_page = (u32)pages[0];
    pages[0][1] = 0x0000BEEF;
    kprintf("rep lodsd 4 dwords from 0x404ff8, 0x405000 not present:\n");
    asm volatile("cld\n.globl pf_lodsd\npf_lodsd: rep lodsl" : "+S"(s), "+c"(c), "+a"(a) : "D"(0) : "memory");
    kprintf("  done: ecx=%u esi=src%+d eax=%08x\n", c, (s32)(s - 0x404FF8), a);

    trap_hooks[14] = 0;
    write_cr0(read_cr0() & ~0x80000000u);
}

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("strings: begin\n");
    t_movs();
    t_stos_lods();
    t_cmps_scas();
    t_addr16();
    t_override();
    t_pagefault();
    kprintf("strings: done\n");
    exit(EXIT_OK);
}
