/* unassigned: physical addresses with nothing behind them (above the 64 MiB of RAM and
   below the PCI window at 0xE0000000 where SeaBIOS maps devices) read as zeros and drop
   writes, as QEMU's unassigned memory does; so a page-directory entry that points to a
   page table there finds every PTE not present. */
#include "rt.h"

static u32 pd[1024] __attribute__((aligned(4096)));

static u32 rd32(u32 pa) { return *(volatile u32 *)pa; }
static u32 rd16(u32 pa) { return *(volatile u16 *)pa; }
static u32 rd8(u32 pa) { return *(volatile u8 *)pa; }

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("unassigned: begin\n");
    static const u32 addrs[] = {0x04000000, 0x04001000, 0x10000000, 0x40000000, 0x80000000, 0xBFFFFFF0};
    for (u32 i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
        u32 a = addrs[i];
        kprintf("read %08x: dword=%08x word=%04x byte=%02x\n", a, rd32(a), rd16(a + 2), rd8(a + 1));
        *(volatile u32 *)a = 0x12345678;
        *(volatile u8 *)(a + 4) = 0x9A;
        kprintf("  after writes: %08x %08x\n", rd32(a), rd32(a + 4));
    }
    /* a dword straddling the end of RAM: the RAM half and the unassigned half */
    *(volatile u32 *)0x03FFFFFC = 0xA1B2C3D4;
    kprintf("straddling end of RAM at 03fffffe: %08x\n", rd32(0x03FFFFFE));

    /* paging: 0-4 MiB identity (4 MiB page), 4-8 MiB through a page table above RAM */
    pd[0] = 0x00000083;                       /* P, RW, PS */
    pd[1] = 0x20000000 | 0x3;                 /* page table at 512 MiB: nothing there */
    write_cr4(read_cr4() | 0x10);             /* PSE */
    write_cr3((u32)pd);
    write_cr0(read_cr0() | 0x80000000);
    if (TRY()) {
        u32 v = *(volatile u32 *)0x00400010;
        END_TRY();
        kprintf("read through a page table above RAM: no fault, %08x\n", v);
    } else {
        kprintf("read through a page table above RAM: ");
        print_trap();
    }
    kprintf("pde[1] accessed bit: %u\n", (pd[1] >> 5) & 1);
    if (TRY()) {
        *(volatile u32 *)0x00400020 = 5;
        END_TRY();
        kprintf("write through it: no fault\n");
    } else {
        kprintf("write through it: ");
        print_trap();
    }
    write_cr0(read_cr0() & ~0x80000000u);
    kprintf("unassigned: done\n");
    exit(EXIT_OK);
}
