/* smc: self-modifying and generated code (see smc.S for the SDM rules relied upon). */
#include "rt.h"

typedef u32 (*fn0)(void);
typedef u32 (*fn1)(u32);
extern char smc_ahead_jmp[], smc_ahead_nojmp[], smc_next_insn[], smc_routine[], smc_routine_imm[];
extern char smc_loop[], smc_span[], smc_span_add[], smc_nextpage[], smc_nextpage_fall[];

static u8 buf[256] __attribute__((aligned(16)));
static u8 bigbuf[8192] __attribute__((aligned(4096)));

static u32 call0(void *p) { return ((fn0)p)(); }

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("smc: begin\n");
    kprintf("store ahead + jmp: %08x\n", call0(smc_ahead_jmp));
    kprintf("store ahead >=16 bytes, no jmp: %08x\n", call0(smc_ahead_nojmp));
    kprintf("patch next instruction opcode: %u\n", call0(smc_next_insn));

    /* called, patched, called again (also after many calls, to get it "hot") */
    kprintf("routine first call: %08x\n", call0(smc_routine));
    u32 acc = 0;
    for (int i = 0; i < 2000; i++) acc += call0(smc_routine);
    kprintf("routine 2000 calls sum: %08x\n", acc);
    *(volatile u32 *)smc_routine_imm = 0x66666666;
    kprintf("routine after patching imm: %08x\n", call0(smc_routine));
    acc = 0;
    for (int i = 0; i < 2000; i++) {
        acc += call0(smc_routine);
        if (i == 999) *(volatile u32 *)smc_routine_imm = 0x00000001;
    }
    kprintf("routine 1000 calls, patch, 1000 calls sum: %08x\n", acc);
    kprintf("loop patching its own immediate: %u\n", call0(smc_loop));

    /* generated code in a data buffer */
    static const u8 code1[] = {0xB8, 0x78, 0x56, 0x34, 0x12, 0xC3};            /* mov $0x12345678,%eax; ret */
    memcpy(buf, code1, sizeof(code1));
    kprintf("buffer code: %08x\n", call0(buf));
    buf[1] = 0xEF; buf[2] = 0xBE;
    kprintf("buffer code patched: %08x\n", call0(buf));
    static const u8 code2[] = {0x8B, 0x44, 0x24, 0x04, 0x8D, 0x44, 0x00, 0x01, 0xC3}; /* mov 4(%esp),%eax; lea 1(%eax,%eax),%eax; ret */
    memcpy(buf, code2, sizeof(code2));
    kprintf("buffer code replaced: f(20)=%u\n", ((fn1)(void *)buf)(20));
    acc = 0;
    for (u32 i = 0; i < 1000; i++) {
        acc += ((fn1)(void *)buf)(i);
        if (i == 499) buf[7] = 0x05;   /* lea 1 -> lea 5 */
    }
    kprintf("buffer code patched mid-loop sum: %u\n", acc);
    /* generated code spanning a page boundary in a buffer */
    u8 *p = bigbuf + 4096 - 3;
    static const u8 code3[] = {0xB8, 0x01, 0x00, 0x00, 0x00, 0x05, 0x10, 0x00, 0x00, 0x00, 0xC3}; /* mov $1,%eax; add $0x10,%eax; ret */
    memcpy(p, code3, sizeof(code3));
    kprintf("buffer code across page: %08x\n", call0(p));
    p[6] = 0x20;                       /* second page */
    kprintf("buffer code across page, 2nd page patched: %08x\n", call0(p));
    p[1] = 0x02;                       /* first page */
    kprintf("buffer code across page, 1st page patched: %08x\n", call0(p));

    /* code on the next page */
    kprintf("span routine: %08x\n", call0(smc_span));
    *(volatile u32 *)(smc_span_add + 1) = 0x00000100;
    kprintf("span routine, next-page imm patched: %08x\n", call0(smc_span));
    kprintf("store to next page + jmp: %08x\n", call0(smc_nextpage));
    kprintf("store to next page, fall through: %08x\n", call0(smc_nextpage_fall));
    kprintf("smc: done\n");
    exit(EXIT_OK);
}
