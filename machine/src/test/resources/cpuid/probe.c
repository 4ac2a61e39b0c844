/* Prints CPUID leaves 0, 1, 0x80000000-0x80000004 and then 7 (ECX=0) on COM1, one line each. */
static inline void outb(unsigned short p, unsigned char v) { __asm__ volatile("outb %0,%1" :: "a"(v), "Nd"(p)); }
static inline unsigned char inb(unsigned short p) { unsigned char v; __asm__ volatile("inb %1,%0" : "=a"(v) : "Nd"(p)); return v; }

static void putc(char c) { while (!(inb(0x3fd) & 0x20)) { } outb(0x3f8, c); }
static void puts(const char *s) { while (*s) putc(*s++); }
static void hex(unsigned v) { for (int i = 28; i >= 0; i -= 4) putc("0123456789abcdef"[(v >> i) & 15]); }

static void leaf(unsigned l) {
    unsigned a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(l), "c"(0));
    puts("leaf "); hex(l);
    puts(" eax="); hex(a); puts(" ebx="); hex(b); puts(" ecx="); hex(c); puts(" edx="); hex(d);
    puts("\n");
}

void probe_main(void) {
    leaf(0);
    leaf(1);
    for (unsigned l = 0x80000000u; l <= 0x80000004u; l++) leaf(l);
    leaf(7);                    /* last, so that the lines above keep their places */
}
