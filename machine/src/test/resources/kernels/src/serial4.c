/* serial4: the four ISA serial ports as QEMU numbers its -serial options: COM1 0x3F8 IRQ4,
   COM2 0x2F8 IRQ3, COM3 0x3E8 IRQ4, COM4 0x2E8 IRQ3; "-serial none" leaves its slot empty
   (nothing answers at that address). Run with serial4.args: COM1 stdio (this report), COM2
   null, COM3 none, COM4 null. Prints which ports answer (scratch register, reset values),
   where each one's THR-empty interrupt arrives, and what the firmware left in the BIOS data
   area (port table at 0x400, serial count in the equipment word at 0x410). */
#include "rt.h"

#define PIC1 0x20
static const u16 bases[4] = {0x3F8, 0x2F8, 0x3E8, 0x2E8};
static volatile u32 irq_seen[16];
static volatile int cur = -1;

/* low memory through a variable address: GCC refuses constant addresses below 4 KiB */
static u32 rd16(u32 a) { volatile u16 *p; asm("" : "=r"(p) : "0"(a)); return *p; }

static int irq_hook(struct frame *f) {
    irq_seen[f->vec - 0x20]++;
    if (cur >= 0) {
        (void)inb(bases[cur] + 2);          /* reading IIR clears the THR-empty interrupt */
        outb(bases[cur] + 1, 0);
    }
    outb(PIC1, 0x20);
    return 1;
}

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("serial4: begin\n");
    kprintf("bda com ports: %04x %04x %04x %04x, equipment serial count: %u\n",
            rd16(0x400), rd16(0x402), rd16(0x404), rd16(0x406), (rd16(0x410) >> 9) & 7);
    outb(PIC1, 0x11); outb(0xA0, 0x11);
    outb(PIC1 + 1, 0x20); outb(0xA1, 0x28);
    outb(PIC1 + 1, 0x04); outb(0xA1, 0x02);
    outb(PIC1 + 1, 0x01); outb(0xA1, 0x01);
    outb(PIC1 + 1, 0xE7); outb(0xA1, 0xFF);   /* IRQ3 and IRQ4 only */
    for (int v = 0x20; v < 0x30; v++) trap_hooks[v] = irq_hook;

    for (int i = 0; i < 4; i++) {
        u16 b = bases[i];
        outb(b + 7, 0x5A);
        u32 scr = inb(b + 7);
        kprintf("COM%d %03x: scratch=%02x lsr=%02x iir=%02x", i + 1, b, scr, inb(b + 5), inb(b + 2));
        if (scr == 0x5A) {
            if (i > 0) {                     /* COM1 is this report: leave its line settings alone */
                outb(b + 3, 0x03);
                const char *s = "hello from a second port\n";
                while (*s) { while (!(inb(b + 5) & 0x20)) { } outb(b, (u8)*s++); }
            }
            for (int k = 0; k < 16; k++) irq_seen[k] = 0;
            cur = i;
            asm volatile("sti");
            outb(b + 1, 0x02);               /* THR empty: the interrupt is pending at once */
            for (volatile int d = 0; d < 1000; d++) { }
            asm volatile("cli");
            cur = -1;
            outb(b + 1, 0x00);
            kprintf(", THRE interrupt on IRQ");
            for (int k = 0; k < 16; k++) if (irq_seen[k]) kprintf(" %d", k);
        }
        kprintf("\n");
    }
    kprintf("serial4: done\n");
    exit(EXIT_OK);
}
