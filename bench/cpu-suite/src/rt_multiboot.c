/* Multiboot runtime: polled COM1 output. */
#include "bench.h"

#define COM1 0x3F8

static inline void outb(u16 port, u8 v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
    u8 v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static void serial_init(void)
{
    outb(COM1 + 1, 0x00);   /* no interrupts */
    outb(COM1 + 3, 0x80);   /* DLAB on */
    outb(COM1 + 0, 0x01);   /* divisor 1: 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);   /* 8N1, DLAB off */
}

void rt_write(const char *s, u32 len)
{
    u32 i;
    for (i = 0; i < len; i++) {
        while (!(inb(COM1 + 5) & 0x20))   /* LSR bit 5: transmit holding register empty */
            ;
        outb(COM1, (u8)s[i]);
    }
}

void rt_main(void);

void rt_main(void)
{
    serial_init();
    workload();
}
