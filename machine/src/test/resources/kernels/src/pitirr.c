/* pitirr: timer edges that happen while the CPU cannot take them are latched in the 8259's
   IRR and delivered later: with IF=0 (cli, then polling the PIT until its counter has
   wrapped five times), and with IRQ0 masked in the IMR. Run in real time and under
   -icount; only facts that do not depend on how fast the host is are printed. */
#include "rt.h"

#define PIC1 0x20
#define RELOAD 1193          /* ~1 kHz */

static volatile u32 ticks;
static volatile int mask_in_handler;

static int irq0_hook(struct frame *f) {
    (void)f;
    ticks++;
    if (mask_in_handler) { outb(PIC1 + 1, 0xFF); mask_in_handler = 0; }
    outb(PIC1, 0x20);
    return 1;
}

static u32 pit_count(void) {
    outb(0x43, 0x00);
    u32 lo = inb(0x40);
    return lo | (u32)inb(0x40) << 8;
}

/* Polls the PIT (IF is 0) until its counter has wrapped (reloaded) n times. */
static u32 wait_wraps(u32 n) {
    u32 wraps = 0, last = pit_count(), polls = 0;
    while (wraps < n && polls < 100000000) {
        u32 c = pit_count();
        if (c > last) wraps++;
        last = c;
        polls++;
    }
    return wraps;
}

static u32 irr(void) { outb(PIC1, 0x0A); return inb(PIC1); }

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("pitirr: begin\n");
    outb(PIC1, 0x11); outb(0xA0, 0x11);
    outb(PIC1 + 1, 0x20); outb(0xA1, 0x28);
    outb(PIC1 + 1, 0x04); outb(0xA1, 0x02);
    outb(PIC1 + 1, 0x01); outb(0xA1, 0x01);
    outb(PIC1 + 1, 0xFF); outb(0xA1, 0xFF);
    trap_hooks[0x20] = irq0_hook;

    outb(0x43, 0x34);                          /* channel 0, lobyte/hibyte, mode 2 */
    outb(0x40, RELOAD & 0xFF);
    outb(0x40, RELOAD >> 8);

    /* IRQ0 unmasked, IF=0: edges are latched, not delivered */
    outb(PIC1 + 1, 0xFE);
    asm volatile("cli");
    u32 w = wait_wraps(5);
    kprintf("IF=0: counter wrapped %u times, irr bit0=%u, ticks=%u\n", w, irr() & 1, ticks);
    u32 t0 = ticks;
    asm volatile("sti; nop; nop; cli");
    kprintf("after sti: delivered=%u\n", ticks - t0 >= 1);

    /* IRQ0 masked in the IMR (by the handler, right after a tick), IF=1 */
    mask_in_handler = 1;
    asm volatile("sti");
    while (mask_in_handler) asm volatile("hlt");
    asm volatile("cli");
    t0 = ticks;
    w = wait_wraps(5);
    kprintf("masked: counter wrapped %u times, irr bit0=%u\n", w, irr() & 1);
    asm volatile("sti; nop; nop; cli");
    kprintf("masked, after sti: delivered=%u\n", ticks - t0);
    /* Unmask with IF=1: delivered. (Not checked: that it comes right after the OUT. QEMU
       without -icount takes it only at the end of its translation block, a few
       instructions later, so the check spins a little.) */
    asm volatile("sti");
    outb(PIC1 + 1, 0xFE);
    for (volatile int i = 0; i < 100; i++) { }
    asm volatile("cli");
    kprintf("after unmask: delivered=%u\n", ticks - t0 >= 1);
    outb(PIC1 + 1, 0xFF);
    kprintf("pitirr: done\n");
    exit(EXIT_OK);
}
