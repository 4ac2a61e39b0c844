/*
 * What the firmware leaves for a -kernel guest (QEMU: SeaBIOS, then its Multiboot option ROM):
 * the 8259 masks, the 8254 channels' programming (read-back status without the OUT and
 * null-count bits, which depend on the moment of the read), and which real-mode interrupt
 * vectors point into the BIOS segment. SeaBIOS's handler addresses inside F000 are its own and
 * are not printed.
 */
#include "rt.h"

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("8259 imr master %02x slave %02x\n", boot_imr_master, boot_imr_slave);
    static const u16 data[3] = {0x40, 0x41, 0x42};
    for (int ch = 0; ch < 3; ch++) {
        outb(0x43, 0xE0 | (2 << ch));          /* read-back: latch status only, channel ch */
        u8 s = inb(data[ch]);
        kprintf("8254 channel %d: access %d mode %d bcd %d\n", ch, (s >> 4) & 3, (s >> 1) & 7, s & 1);
    }
    kprintf("ivt (F = F000:xxxx, 0 = null):\n");
    const u32 *ivt = (const u32 *)0;
    for (int v = 0; v < 256; v++) {
        u32 e = ivt[v];
        putc(e == 0 ? '0' : (e >> 16) == 0xF000 ? 'F' : '?');
        if ((v & 63) == 63) putc('\n');
    }
    exit(EXIT_OK);
}
