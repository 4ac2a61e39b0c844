/* 8259A pair: remap to 0x50/0x70 (MINIX IRQ0_VECTOR/IRQ8_VECTOR), unmask IRQ0. */
#include "../kernel.h"
#include "io.h"

void intr_init(void)
{
	outb(0x20, 0x11); outb(0xA0, 0x11);   /* ICW1: edge, cascade, ICW4 */
	outb(0x21, 0x50); outb(0xA1, 0x70);   /* ICW2: vector bases */
	outb(0x21, 0x04); outb(0xA1, 0x02);   /* ICW3: slave on IRQ2 */
	outb(0x21, 0x01); outb(0xA1, 0x01);   /* ICW4: 8086 mode */
	outb(0x21, 0xFE); outb(0xA1, 0xFF);   /* OCW1: only IRQ0 */
}
