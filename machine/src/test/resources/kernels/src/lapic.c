/*
 * The local APIC and the I/O APIC of QEMU's pc (SDM Vol. 3A chapter 11; 82093AA): registers
 * as the firmware leaves them, self-IPIs through the ICR (IRR, ISR, PPR, delivery order, the
 * TPR holding a class back, EOI), an NMI sent to itself (held back by a running NMI handler
 * until its IRET), an illegal vector (ESR), the LVT timer in one-shot and periodic mode, the
 * 8254 reaching the CPU through I/O APIC pin 2 (the MADT's override of IRQ 0), and LINT0
 * masked cutting off the 8259. Only what does not depend on timing is printed.
 */
#include "rt.h"

#define APIC 0xFEE00000u
static u32 rd(u32 off) { return *(volatile u32 *)(APIC + off); }
static void wr(u32 off, u32 v) { *(volatile u32 *)(APIC + off) = v; }
static volatile u32 *const ioapic = (volatile u32 *)0xFEC00000u;
static u32 io_rd(u32 r) { ioapic[0] = r; return ioapic[4]; }
static void io_wr(u32 r, u32 v) { ioapic[0] = r; ioapic[4] = v; }

static volatile u32 seen[32];
static volatile int nseen;
static volatile int eoi_in_handler = 1;
static volatile u32 isr_in_handler;

static volatile int periodic_ticks;

static int irq_hook(struct frame *f) {
    if (nseen < 32) seen[nseen] = f->vec;
    nseen++;
    /* Timer sources are stopped by the handler itself, so that how long the CPU takes between
       interrupts (real-time mode, a slow first run) cannot add any. */
    if (f->vec == 0x61 && ++periodic_ticks == 3) wr(0x320, 0x10061);
    if (f->vec == 0x72) io_wr(0x14, 0x10072);
    if (f->vec == 0x30) { outb(0x21, 0xFF); outb(0x20, 0x20); }
    isr_in_handler = rd(0x100 + 0x10 * (f->vec >> 5));
    if (eoi_in_handler) wr(0xB0, 0);
    return 1;
}

static volatile int nmis, nested_nmi_seen_inside;
static int nmi_hook(struct frame *f) {
    (void)f;
    nmis++;
    if (nmis == 1) {
        wr(0x300, 0x4400);                 /* a second NMI to self, inside the handler */
        for (volatile int i = 0; i < 1000; i++) { }
        nested_nmi_seen_inside = nmis;     /* still 1: blocked until IRET */
    }
    return 1;
}

static void show_seen(const char *what) {
    kprintf("%s:", what);
    for (int i = 0; i < nseen && i < 32; i++) kprintf(" %02x", seen[i]);
    kprintf("\n");
    nseen = 0;
}

/* A call: QEMU's TCG takes a pending interrupt at the end of the translation block holding the
   APIC write, Flatland right after the write; both have taken it once this returns. */
static void __attribute__((noinline)) settle(void) { asm volatile("" ::: "memory"); }

static void self_ipi(u32 vec) { wr(0x300, 0x44000 | vec); }   /* shorthand self, assert, fixed */

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    u32 lo, hi, a, b, c, d;
    rdmsr(0x1B, &lo, &hi);
    kprintf("IA32_APIC_BASE %08x%08x\n", hi, lo);
    cpuid(1, &a, &b, &c, &d);
    kprintf("CPUID.1:EDX.APIC %d, EBX[31:24] %d\n", (d >> 9) & 1, b >> 24);
    static const u32 regs[] = {0x20, 0x30, 0x80, 0xA0, 0xD0, 0xE0, 0xF0, 0x280, 0x320, 0x330, 0x340,
                               0x350, 0x360, 0x370, 0x380, 0x390, 0x3E0};
    for (unsigned i = 0; i < sizeof regs / 4; i++) kprintf("apic %03x = %08x\n", regs[i], rd(regs[i]));
    kprintf("ioapic id %08x version %08x arb %08x\n", io_rd(0), io_rd(1), io_rd(2));
    for (int p = 0; p < 24; p++) {
        u32 l = io_rd(0x10 + 2 * p), h = io_rd(0x11 + 2 * p);
        if (l != 0x10000 || h != 0) kprintf("ioapic pin %d = %08x %08x\n", p, h, l);
    }

    for (int v = 0x30; v < 0x80; v++) trap_hooks[v] = irq_hook;
    trap_hooks[2] = nmi_hook;

    /* Self-IPIs with IF=0: requested, not in service. */
    self_ipi(0x41);
    self_ipi(0x51);
    kprintf("irr 0x41/0x51: %08x %08x, isr %08x, ppr %02x\n", rd(0x220), rd(0x220), rd(0x120), rd(0xA0));
    asm volatile("sti; nop; cli");
    show_seen("taken after sti (higher class first)");
    kprintf("isr in the last handler %08x, irr now %08x\n", isr_in_handler, rd(0x220));

    /* Without EOI in the handler, the in-service vector holds back its class and the ones below. */
    eoi_in_handler = 0;
    self_ipi(0x45);
    asm volatile("sti; nop; cli");
    self_ipi(0x46);
    self_ipi(0x38);
    asm volatile("sti; nop; cli");
    show_seen("0x45 in service, then 0x46 and 0x38 sent");
    kprintf("isr %08x irr %08x %08x ppr %02x\n", rd(0x120), rd(0x210), rd(0x220), rd(0xA0));
    wr(0xB0, 0);
    asm volatile("sti; nop; cli");
    show_seen("after one EOI");
    kprintf("isr %08x ppr %02x\n", rd(0x120), rd(0xA0));
    while (rd(0x110) | rd(0x120)) wr(0xB0, 0);
    eoi_in_handler = 1;

    /* TPR: class 5 and below wait. */
    wr(0x80, 0x50);
    self_ipi(0x55);
    self_ipi(0x62);
    self_ipi(0x3A);
    asm volatile("sti; nop; cli");
    show_seen("tpr 0x50");
    kprintf("ppr %02x\n", rd(0xA0));
    wr(0x80, 0);
    asm volatile("sti; nop; cli");
    show_seen("tpr 0");

    /* NMI to itself (physical destination 0, as kvm-unit-tests sends it): the handler's own NMI waits for its IRET. */
    wr(0x310, 0);
    wr(0x300, 0x4400);
    settle();
    kprintf("nmis %d, inside the first handler %d\n", nmis, nested_nmi_seen_inside);
    wr(0x300, 0x44400);
    settle();
    kprintf("shorthand self: nmis %d\n", nmis);

    /* A vector below 16: the SDM has the APIC reject it (ESR "receive illegal vector"); QEMU accepts it. */
    trap_hooks[5] = irq_hook;
    wr(0x280, 0);
    self_ipi(0x05);
    wr(0x280, 0);
    kprintf("esr after vector 5: %08x, irr %08x\n", rd(0x280), rd(0x200));
    asm volatile("sti; nop; cli");
    show_seen("vector 5");

    /* LVT timer, one-shot: counts down to 0 and interrupts once. */
    wr(0x3E0, 0xB);                      /* divide by 1 */
    wr(0x320, 0x60);                     /* one-shot, vector 0x60 */
    wr(0x380, 200000);
    u32 c1 = rd(0x390);
    kprintf("one-shot: current <= initial %d, initial %d\n", c1 <= 200000, rd(0x380));
    asm volatile("sti; hlt; cli");
    show_seen("one-shot fired");
    kprintf("current after expiry %d\n", rd(0x390));
    asm volatile("sti; nop; nop; cli");
    show_seen("nothing more");

    /* Periodic, divide by 16: three interrupts, the count reloads. */
    wr(0x3E0, 0x3);
    wr(0x320, 0x20061);
    wr(0x380, 10000);
    while (periodic_ticks < 3) asm volatile("sti; hlt; cli");
    show_seen("periodic x3");
    kprintf("divide %x, lvt %08x, current <= initial %d\n", rd(0x3E0), rd(0x320), rd(0x390) <= 10000);
    wr(0x380, 0);
    kprintf("stopped: current %d\n", rd(0x390));

    /* The 8254 through I/O APIC pin 2 (IRQ 0), the 8259 masked. */
    outb(0x43, 0x34);
    outb(0x40, 0x00);
    outb(0x40, 0x10);                    /* 4096 input clocks */
    io_wr(0x14, 0x72);                   /* pin 2: vector 0x72, fixed, edge, unmasked */
    io_wr(0x15, 0x00000000);
    asm volatile("sti; hlt; cli");
    show_seen("8254 via ioapic pin 2");
    kprintf("pin 2 = %08x\n", io_rd(0x14));

    /* LINT0 masked: the 8259's INTR no longer reaches the CPU; unmasked again it does. */
    outb(0x20, 0x11); outb(0x21, 0x30); outb(0x21, 0x04); outb(0x21, 0x01);
    outb(0x21, 0xFE);                    /* only IRQ 0, vectors 0x30.. */
    wr(0x350, rd(0x350) | 0x10000);
    for (volatile int i = 0; i < 200000; i++) asm volatile("sti; nop; cli");
    show_seen("lint0 masked");
    wr(0x350, 0x700);
    asm volatile("sti; hlt; cli");
    show_seen("lint0 extint");
    exit(EXIT_OK);
}
