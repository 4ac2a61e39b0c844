#include "rt.h"
void kmain(u32 magic, u32 mbi) { kprintf("hello %08x %d %s\n", magic, -42, "x"); asm volatile("ud2"); }
