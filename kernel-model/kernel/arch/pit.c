/* 8254 channel 0 in mode 2 (rate generator) at hz. */
#include "../kernel.h"
#include "io.h"

void pit_init(u32 rate)
{
	u32 div = (1193182 + rate / 2) / rate;
	if (div > 0xFFFF)
		div = 0xFFFF;
	outb(0x43, 0x34);
	outb(0x40, div & 0xFF);
	outb(0x40, (div >> 8) & 0xFF);
}
