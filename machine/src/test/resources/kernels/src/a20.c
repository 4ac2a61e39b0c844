/* a20: the A20 gate. With A20 disabled, bit 20 of every physical address is forced to 0:
   plain accesses, page-directory and page-table reads, and the addresses translations
   produce (1-2 MiB aliases 0-1 MiB). It is switched through port 0x92 bit 1 ("fast A20")
   and through the 8042 (command 0xD1 writing the output port, bit 1; commands 0xDD/0xDF).
   A TLB entry made while A20 was on must not survive the switch. QEMU's -kernel boot
   leaves A20 enabled. Linked at 2 MiB (a20.ld) so that the kernel itself never aliases. */
#include "rt.h"

#define LO 0x00080000u            /* 512 KiB */
#define HI (LO | 0x00100000u)     /* the same address with bit 20 set */

static volatile u32 *const lo = (volatile u32 *)LO;
static volatile u32 *const hi = (volatile u32 *)HI;

static void kbc_wait_write(void) { for (u32 i = 0; i < 1000000 && (inb(0x64) & 2); i++) { } }
static u32 kbc_read(void) {
    for (u32 i = 0; i < 1000000; i++) if (inb(0x64) & 1) return inb(0x60);
    return 0x100;                 /* nothing came */
}
static void kbc_cmd(u8 c) { kbc_wait_write(); outb(0x64, c); }
static u32 kbc_outport(void) { kbc_cmd(0xD0); return kbc_read(); }
static void kbc_write_outport(u8 v) { kbc_cmd(0xD1); kbc_wait_write(); outb(0x60, v); }

static void show(const char *when) {
    kprintf("%s: lo=%08x hi=%08x\n", when, *lo, *hi);
}

static void port92(int on) { outb(0x92, (inb(0x92) & ~0x03) | (on ? 2 : 0)); }

/* Page tables, all in low memory. With A20 off, CR3 = PD_HI reads PD_LO instead. */
#define PD_HI 0x00160000u
#define PD_LO 0x00060000u
#define PT_HI 0x00170000u
#define PT_LO 0x00070000u
#define MARK_HI 0x00081000u
#define MARK_LO 0x00082000u

static void setup_paging(void) {
    u32 *pdh = (u32 *)PD_HI, *pdl = (u32 *)PD_LO, *pth = (u32 *)PT_HI, *ptl = (u32 *)PT_LO;
    memset(pdh, 0, 4096); memset(pdl, 0, 4096); memset(pth, 0, 4096); memset(ptl, 0, 4096);
    pdh[0] = pdl[0] = 0x83;                     /* 0-4 MiB identity, 4 MiB page */
    pdh[1] = PT_HI | 3;
    pdl[1] = PT_LO | 3;
    pth[0] = MARK_HI | 3;                       /* linear 4 MiB -> a page that says "HI" */
    ptl[0] = MARK_LO | 3;                       /* ... or one that says "LO" */
    pth[1] = ptl[1] = 0x00183000u | 3;          /* linear 4 MiB + 4 KiB -> a frame with bit 20 set */
    *(volatile u32 *)MARK_HI = 0x48484848;
    *(volatile u32 *)MARK_LO = 0x4C4C4C4C;
    *(volatile u32 *)0x00183000u = 0x00183000u;
    *(volatile u32 *)0x00083000u = 0x00083000u;
}

static void show_paged(const char *when) {
    kprintf("%s: [4M]=%08x [4M+4K]=%08x\n", when, *(volatile u32 *)0x400000, *(volatile u32 *)0x401000);
}

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("a20: begin\n");
    kprintf("port 92 = %02x, 8042 output port = %02x\n", inb(0x92), kbc_outport());
    *lo = 0x11111111;
    *hi = 0x22222222;
    show("A20 on (boot)");

    port92(0);
    kprintf("port 92 after clearing bit 1 = %02x, 8042 output port = %02x\n", inb(0x92), kbc_outport());
    show("A20 off (port 92)");
    *hi = 0x33333333;
    show("A20 off, wrote hi");
    *(volatile u8 *)(HI + 0xFFF) = 0x5A;       /* byte accesses too */
    kprintf("byte at lo+fff: %02x\n", *(volatile u8 *)(LO + 0xFFF));
    port92(1);
    show("A20 on (port 92)");

    kbc_write_outport(0xDD);                    /* bit 1 clear: A20 off; bit 0 set: no reset */
    kprintf("8042 output port after writing dd = %02x, port 92 = %02x\n", kbc_outport(), inb(0x92));
    show("A20 off (8042 d1)");
    kbc_write_outport(0xDF);
    kprintf("8042 output port after writing df = %02x\n", kbc_outport());
    show("A20 on (8042 d1)");
    kbc_cmd(0xDD);
    show("A20 off (8042 dd)");
    kbc_cmd(0xDF);
    show("A20 on (8042 df)");

    /* the last writer wins: 8042 off, then port 92 on */
    kbc_write_outport(0xDD);
    port92(1);
    show("8042 off then port 92 on");

    setup_paging();
    write_cr4(read_cr4() | 0x10);
    write_cr3(PD_HI);
    write_cr0(read_cr0() | 0x80000000);
    show_paged("paging, A20 on");
    port92(0);                                  /* no INVLPG, no CR3 reload */
    show_paged("paging, A20 off");
    port92(1);
    show_paged("paging, A20 on again");
    write_cr0(read_cr0() & ~0x80000000u);
    kprintf("a20: done\n");
    exit(EXIT_OK);
}
