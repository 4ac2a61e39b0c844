/* pit: 8259A PIC remap/mask/EOI/IRR/ISR and 8254 PIT channel 0 (mode 2, ~1000 Hz) and
   channel 2 with the port 0x61 gate. Only coarse, timing-independent facts are printed. */
#include "rt.h"

#define PIC1 0x20
#define PIC2 0xA0
#define RELOAD 1193          /* 1193182 Hz / 1193 ~= 1000 Hz */

static volatile u32 ticks, spurious7, isr_in_handler, irr_seen;
static volatile u32 bad_vec;

static int irq0_hook(struct frame *f) {
    (void)f;
    outb(PIC1, 0x0B);                 /* OCW3: read ISR */
    isr_in_handler = inb(PIC1);
    ticks++;
    outb(PIC1, 0x20);                 /* non-specific EOI */
    return 1;
}
static int irq7_hook(struct frame *f) { (void)f; spurious7++; return 1; }
static int other_irq_hook(struct frame *f) { bad_vec = f->vec; outb(PIC1, 0x20); outb(PIC2, 0x20); return 1; }

static void pic_remap(void) {
    outb(PIC1, 0x11); outb(PIC2, 0x11);     /* ICW1: edge, cascade, ICW4 */
    outb(PIC1 + 1, 0x20); outb(PIC2 + 1, 0x28);   /* ICW2: vector bases */
    outb(PIC1 + 1, 0x04); outb(PIC2 + 1, 0x02);   /* ICW3 */
    outb(PIC1 + 1, 0x01); outb(PIC2 + 1, 0x01);   /* ICW4: 8086 mode */
    outb(PIC1 + 1, 0xFF); outb(PIC2 + 1, 0xFF);   /* mask all */
}

static u32 pit_latch0(void) {
    outb(0x43, 0x00);                 /* counter latch, channel 0 */
    u32 lo = inb(0x40);
    u32 hi = inb(0x40);
    return lo | (hi << 8);
}

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("pit: begin\n");
    pic_remap();
    kprintf("imr after remap: master=%02x slave=%02x\n", inb(PIC1 + 1), inb(PIC2 + 1));
    outb(PIC1 + 1, 0xA5);
    kprintf("imr write/read: %02x\n", inb(PIC1 + 1));
    outb(PIC1 + 1, 0xFF);
    trap_hooks[0x20] = irq0_hook;
    trap_hooks[0x27] = irq7_hook;
    for (int v = 0x21; v < 0x30; v++) if (v != 0x27) trap_hooks[v] = other_irq_hook;

    /* PIT channel 0, lobyte/hibyte, mode 2, binary */
    outb(0x43, 0x34);
    outb(0x40, RELOAD & 0xFF);
    outb(0x40, RELOAD >> 8);
    /* read-back status: 0xE2 = read-back, don't latch count, latch status, channel 0 */
    outb(0x43, 0xE2);
    u32 st = inb(0x40);
    kprintf("ch0 status & 3f (rw=3 mode=2 bcd=0): %02x\n", st & 0x3F);
    /* wait until the counter has been loaded (null count bit clear), bounded */
    for (u32 i = 0; i < 1000000; i++) { outb(0x43, 0xE2); if (!(inb(0x40) & 0x40)) break; }
    int below = 1, nonzero = 1;
    for (int i = 0; i < 50; i++) { u32 c = pit_latch0(); if (c > RELOAD) below = 0; if (c == 0) nonzero = 0; }
    kprintf("ch0 latched count <= reload: %d, nonzero (mode 2 counts N..1): %d\n", below, nonzero);

    /* masked IRQ0 is not delivered but becomes pending in IRR */
    asm volatile("sti");
    u32 irr = 0;
    for (u32 i = 0; i < 50000000 && !(irr & 1); i++) { outb(PIC1, 0x0A); irr = inb(PIC1); }
    asm volatile("cli");
    kprintf("masked: irr bit0=%u ticks=%u\n", irr & 1, ticks);

    /* unmask IRQ0, count 10 ticks with sti; hlt */
    outb(PIC1 + 1, 0xFE);
    asm volatile("sti");
    while (ticks < 10) asm volatile("hlt");
    asm volatile("cli");
    kprintf("unmasked: ticks reached %u (>= 10: %d)\n", ticks >= 10 ? 10 : ticks, ticks >= 10);
    kprintf("isr in handler before eoi: %02x\n", isr_in_handler);
    outb(PIC1, 0x0B);
    kprintf("isr after eoi: %02x\n", inb(PIC1));
    outb(PIC1, 0x0A);

    /* masking again stops delivery */
    outb(PIC1 + 1, 0xFF);
    u32 t0 = ticks;
    asm volatile("sti");
    irr = 0;
    for (u32 i = 0; i < 50000000 && !(irr & 1); i++) { outb(PIC1, 0x0A); irr = inb(PIC1); }
    for (volatile int i = 0; i < 1000; i++) { }
    asm volatile("cli");
    kprintf("re-masked: irr bit0=%u new ticks=%u\n", irr & 1, ticks - t0);
    /* no EOI pending: in-service register clear */
    outb(PIC1, 0x0B);
    kprintf("isr=%02x\n", inb(PIC1));
    outb(PIC1, 0x0A);
    /* unmask: the pending IRQ0 is delivered right after sti */
    t0 = ticks;
    outb(PIC1 + 1, 0xFE);
    asm volatile("sti; nop; nop; nop; cli");
    kprintf("pending irq0 delivered after unmask+sti: %d\n", ticks - t0 >= 1);
    outb(PIC1 + 1, 0xFF);

    /* channel 2 + port 0x61: bit0 gate, bit1 speaker data, bit5 OUT2 */
    outb(0x61, (inb(0x61) & ~0x03) | 0x01);          /* gate on, speaker off */
    kprintf("port61 & 3 after gate=1 spk=0: %x\n", inb(0x61) & 3);
    outb(0x61, (inb(0x61) & ~0x03) | 0x03);
    kprintf("port61 & 3 after gate=1 spk=1: %x\n", inb(0x61) & 3);
    outb(0x61, inb(0x61) & ~0x02);
    outb(0x43, 0xB0);                                 /* channel 2, lobyte/hibyte, mode 0 */
    outb(0x42, 0xFF);
    outb(0x42, 0xFF);                                 /* 65535 counts (~55 ms) */
    u32 out_low = (inb(0x61) >> 5) & 1;
    kprintf("mode 0 OUT2 right after loading 0xffff: %u\n", out_low);
    u32 went_high = 0;
    for (u32 i = 0; i < 200000000; i++) if (inb(0x61) & 0x20) { went_high = 1; break; }
    kprintf("mode 0 OUT2 went high after terminal count: %u\n", went_high);
    /* not printed: OUT2 right after a new mode-0 control word (the 8254 data sheet says it
       goes low; QEMU 7.2 leaves it unchanged until the count is written) */
    outb(0x43, 0xB0);
    outb(0x42, 0x10); outb(0x42, 0x00);               /* short count: 16 */
    went_high = 0;
    for (u32 i = 0; i < 200000000; i++) if (inb(0x61) & 0x20) { went_high = 1; break; }
    kprintf("mode 0 count 16 OUT2 went high: %u\n", went_high);
    /* read-back status of channel 2 */
    outb(0x43, 0xE8);                                 /* read-back status, channel 2 */
    kprintf("ch2 status & bf (out=1 rw=3 mode=0): %02x\n", inb(0x42) & 0xBF);
    outb(0x61, inb(0x61) & ~0x03);
    kprintf("spurious irq7=%u other irq vec=%02x\n", spurious7, bad_vec);
    kprintf("pit: done\n");
    exit(EXIT_OK);
}
