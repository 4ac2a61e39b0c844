/* lowload: a kernel loaded at 0x9000-... (lowload.ld), over the 0x9000-0x95FF area where
   QEMU's Multiboot support writes the E820 map and the Multiboot information structure.
   QEMU's option ROM copies the kernel last, so the kernel's own bytes are what it finds
   there (and EBX still holds 0x9500, pointing into them). The 0x600 bytes are a pattern
   generated at build time; a loader that wrote its tables after the kernel would break it. */
#include "rt.h"

#define N 0x600
#define PAT(i) ((u8)((i) * 7 + 3 + ((i) >> 8)))

#define R1(i) PAT(i),
#define R4(i) R1(i) R1(i + 1) R1(i + 2) R1(i + 3)
#define R16(i) R4(i) R4(i + 4) R4(i + 8) R4(i + 12)
#define R64(i) R16(i) R16(i + 16) R16(i + 32) R16(i + 48)
#define R256(i) R64(i) R64(i + 64) R64(i + 128) R64(i + 192)
static const u8 lowdata[N] __attribute__((section(".lowdata"), used)) = { R256(0) R256(256) R256(512) R256(768) R256(1024) R256(1280) };

void kmain(u32 magic, u32 mbi) {
    kprintf("lowload: begin\n");
    kprintf("magic=%08x ebx=%08x lowdata at %08x\n", magic, mbi, (u32)lowdata);
    u32 bad = 0, first = N;
    const volatile u8 *p = lowdata;
    for (u32 i = 0; i < N; i++) {
        if (p[i] != PAT(i)) { bad++; if (first == N) first = i; }
    }
    kprintf("bytes changed in 0x9000-0x95ff: %u", bad);
    if (bad) kprintf(" (first at %08x)", 0x9000 + first);
    kprintf("\n");
    kprintf("dword at ebx: %08x\n", *(volatile u32 *)mbi);
    kprintf("lowload: done\n");
    exit(EXIT_OK);
}
