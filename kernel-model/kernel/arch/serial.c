/* COM1 polled output. Compiled twice: as unpaged_serial.o for pre_init and
 * normally for the paged kernel. */
#include <model/types.h>
#include "io.h"

#define COM1 0x3F8

void ser_init(void)
{
	outb(COM1 + 1, 0x00);	/* IER: no interrupts */
	outb(COM1 + 3, 0x80);	/* LCR: DLAB */
	outb(COM1 + 0, 0x01);	/* divisor 1: 115200 */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);	/* 8N1 */
	outb(COM1 + 2, 0xC7);	/* FIFO on, cleared */
	outb(COM1 + 4, 0x03);	/* DTR, RTS */
}

void ser_putc(int c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (u8)c);
}

void ser_puts(const char *s)
{
	while (*s)
		ser_putc(*s++);
}
