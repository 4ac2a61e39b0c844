/* taskswitch: hardware task switches between task A (the runtime's TSS 0x28) and task B
   (TSS 0x30): JMP to a TSS (B's registers come from its TSS, NT=0, busy bits move), JMP back,
   CALL to a TSS (back link = 0x28, NT=1 in B), IRET with NT=1 back to A, CR0.TS set by a
   task switch, and the state A's switch saved into B's TSS (EIP after B's JMP / IRET).
   Busy bits are read with LAR (type field). Not tested: task gates, faults during a task
   switch, the LDT field, CR3 reload effects (paging is off). */
#include "rt.h"

extern volatile u32 tsres[20];
extern char tb_jmp_entry[], tb_jmp_back[], tb_call_entry[], tb_iret[], ts_jmp_ret[], ts_call_ret[];
void ts_jmp(void); void ts_call(void);

static u32 tssb[26] __attribute__((aligned(8)));
static u8 stackb[1024] __attribute__((aligned(16)));
#define BTOP ((u32)stackb + sizeof(stackb))

static u32 tss_type(u32 sel) {
    u32 ar = 0, ok = 0;
    asm volatile("lar %2, %0; setz %b1" : "=r"(ar), "+q"(ok) : "r"(sel) : "cc");
    return ok & 1 ? (ar >> 8) & 0xF : 0xFF;
}

static void init_b(char *eip) {
    memset(tssb, 0, sizeof(tssb));
    tssb[7] = read_cr3();
    tssb[8] = (u32)eip;
    tssb[9] = 0x00000002;                    /* EFLAGS */
    tssb[10] = 0xAAAA0001; tssb[11] = 0xCCCC0002; tssb[12] = 0xDDDD0003; tssb[13] = 0xBBBB0004;
    tssb[14] = BTOP - 16;                    /* ESP */
    tssb[15] = 0x5555EBEB; tssb[16] = 0x5151E5E5; tssb[17] = 0xD1D1EDED;
    tssb[18] = SEL_KDATA; tssb[19] = SEL_KCODE; tssb[20] = SEL_KDATA; tssb[21] = SEL_KDATA;
    tssb[22] = 0; tssb[23] = SEL_KDATA;      /* FS=0 GS=0x10 */
    tssb[24] = 0;                            /* LDT */
    tssb[25] = (u32)sizeof(tssb) << 16;      /* no I/O bitmap */
}

static void print_b(const char *how) {
    kprintf("%s: in B: eax=%08x ecx=%08x edx=%08x ebx=%08x esp=top%+d ebp=%08x esi=%08x edi=%08x\n",
            how, tsres[0], tsres[1], tsres[2], tsres[3], (s32)(tsres[4] - BTOP), tsres[5], tsres[6], tsres[7]);
    kprintf("  eflags=%08x nt=%u cs=%04x ss=%04x ds=%04x es=%04x fs=%04x gs=%04x tr=%04x cr0.ts=%u backlink=%04x\n",
            tsres[8], (tsres[8] >> 14) & 1, tsres[9] & 0xFFFF, tsres[10] & 0xFFFF, tsres[11] & 0xFFFF,
            tsres[12] & 0xFFFF, tsres[13] & 0xFFFF, tsres[14] & 0xFFFF, tsres[15] & 0xFFFF,
            (tsres[16] >> 3) & 1, tssb[0] & 0xFFFF);
}

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("taskswitch: begin\n");
    gdt_set(GDT_FREE, (u32)tssb, sizeof(tssb) - 1, 0x89, 0x0);   /* 0x30 TSS B, available */
    kprintf("types before: A(0x28)=%x B(0x30)=%x\n", tss_type(0x28), tss_type(0x30));

    init_b(tb_jmp_entry);
    asm volatile("clts");
    ts_jmp();
    u32 tr;
    asm volatile("str %0" : "=r"(tr));
    print_b("jmp");
    kprintf("  back in A: tr=%04x cr0.ts=%u eflags.nt=%u types: A=%x B=%x\n", tr & 0xFFFF,
            (read_cr0() >> 3) & 1, (read_eflags() >> 14) & 1, tss_type(0x28), tss_type(0x30));
    kprintf("  B's saved eip=%s esp=top%+d eax(B's cr0)=%08x\n",
            tssb[8] == (u32)tb_jmp_back + 7 ? "after its jmp" : "?", (s32)(tssb[14] - BTOP), tssb[10]);
    kprintf("  A's saved eip=%s\n", tss[8] == (u32)ts_jmp_ret ? "after its jmp" : "?");

    init_b(tb_call_entry);
    asm volatile("clts");
    ts_call();
    asm volatile("str %0" : "=r"(tr));
    print_b("call");
    kprintf("  back in A: tr=%04x cr0.ts=%u eflags.nt=%u types: A=%x B=%x\n", tr & 0xFFFF,
            (read_cr0() >> 3) & 1, (read_eflags() >> 14) & 1, tss_type(0x28), tss_type(0x30));
    kprintf("  B's saved eip=%s eflags=%08x\n", tssb[8] == (u32)tb_iret + 1 ? "after its iret" : "?", tssb[9]);
    kprintf("  A's saved eip=%s\n", tss[8] == (u32)ts_call_ret ? "after its call" : "?");
    asm volatile("clts");

    kprintf("taskswitch: done\n");
    exit(EXIT_OK);
}
