/* realmode: switch from the Multiboot protected-mode entry back to real mode and probe it:
   16-bit arithmetic and addressing modes (default SS for BP), segment arithmetic, IVT
   interrupts and real-mode exceptions (pushed FLAGS/CS/IP), PUSHF/POPF (16 and 32 bit),
   0x66/0x67 prefixes, far CALL/RET/JMP, LDS/LES/LSS, unreal mode; then back to protected
   mode. The probes are in realmode.S; this file sets up memory and prints the results. */
#include "rt.h"

extern char rm_start[], rm_end[], rm_nres[];
extern u32 rm_res[];
extern const char __rmnames_start[];
void rm_call(void);

#define RM_BASE 0x10000u

static u8 pattern(u32 lin) { return (u8)(lin * 7 + (lin >> 8) * 13 + (lin >> 16) * 0x55); }

static u32 hexval(const char *s) {
    u32 v = 0;
    for (; *s; s++) {
        char c = *s;
        if (c >= '0' && c <= '9') v = v * 16 + (u32)(c - '0');
        else if (c >= 'a' && c <= 'f') v = v * 16 + (u32)(c - 'a' + 10);
        else break;
    }
    return v;
}

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("realmode: begin\n");
    u32 size = (u32)(rm_end - rm_start);
    memcpy((void *)RM_BASE, rm_start, size);
    for (u32 a = 0x20000; a < 0x40000; a++) *(volatile u8 *)a = pattern(a);
    *(volatile u32 *)0x200000 = 0x600DF00D;
    *(volatile u32 *)0x200004 = 0;
    gdt_set(GDT_FREE + 0, RM_BASE, 0xFFFF, 0x9A, 0x0);   /* 0x30 16-bit code, base 0x10000 */
    gdt_set(GDT_FREE + 1, 0, 0xFFFF, 0x92, 0x0);         /* 0x38 16-bit data, limit 64 KiB */
    gdt_set(GDT_FREE + 2, 0, 0xFFFFF, 0x92, 0x8);        /* 0x40 data, limit 4 GiB, B=0 */

    rm_call();

    u32 cs;
    asm volatile("movl %%cs, %0" : "=r"(cs));
    kprintf("back in protected mode: cs=%04x cr0.pe=%u\n", cs & 0xFFFF, read_cr0() & 1);
    volatile u32 *res = (volatile u32 *)(RM_BASE + ((u32)rm_res - (u32)rm_start));
    const char *name = __rmnames_start;
    u32 n = (u32)rm_nres;
    for (u32 i = 0; i < n; i++) {
        const char *at = 0;
        for (const char *p = name; *p; p++) if (*p == '@') at = p;
        kprintf("%s=%08x", name, res[i]);
        if (at) {
            u32 lin = hexval(at + 1);
            kprintf(" mem=%04x", *(volatile u16 *)lin);
        }
        kprintf("\n");
        name += strlen(name) + 1;
    }
    kprintf("unreal write seen at 0x200004 from protected mode: %08x\n", *(volatile u32 *)0x200004);
    kprintf("realmode: done\n");
    exit(EXIT_OK);
}
