/* Minimal runtime of the differential x87 fuzz kernels: COM1 output and a dump of the
 * block each generated case fills (ST0 and ST1 as 80 bits, FSW, FCW, EFLAGS, the memory
 * result). Our own code; see gen_fpu_fuzz.py. Built with -mno-80387: no x87 use here. */
typedef unsigned int u32;
typedef unsigned short u16;

static inline void outb(unsigned short port, unsigned char v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline unsigned char inb(unsigned short port) { unsigned char v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static void putc_(char c) {
    while (!(inb(0x3FD) & 0x20)) { }
    outb(0x3F8, c);
}

static void puthex(u32 v, int digits) {
    for (int i = (digits - 1) * 4; i >= 0; i -= 4) putc_("0123456789abcdef"[(v >> i) & 15]);
}

void serial_init(void) {
    outb(0x3F9, 0); outb(0x3FB, 0x80); outb(0x3F8, 1); outb(0x3F9, 0); outb(0x3FB, 3); outb(0x3FA, 0xC7); outb(0x3FC, 3);
}

/* Layout written by the generated code. */
struct fpdump {
    u32 st0lo, st0hi; u16 st0se;
    u32 st1lo __attribute__((packed)), st1hi __attribute__((packed)); u16 st1se;
    u16 fsw, fcw;
    u32 eflags;
    u32 res[3];
} __attribute__((packed));

extern struct fpdump fpdump;
static u32 counter;

void dump_fpu(void) {
    const struct fpdump *d = &fpdump;
    puthex(counter++, 8);
    putc_(':');
    putc_(' '); puthex(d->st0se, 4); putc_(':'); puthex(d->st0hi, 8); puthex(d->st0lo, 8);
    putc_(' '); puthex(d->st1se, 4); putc_(':'); puthex(d->st1hi, 8); puthex(d->st1lo, 8);
    putc_(' '); puthex(d->fsw, 4);
    putc_(' '); puthex(d->fcw, 4);
    putc_(' '); puthex(d->eflags & 0x8D5, 3);
    for (int k = 0; k < 3; k++) { putc_(' '); puthex(d->res[k], 8); }
    putc_('\n');
}

void finish(void) {
    const char *s = "done\n";
    while (*s) putc_(*s++);
    outb(0xF4, 0x10);
    for (;;) __asm__ volatile("cli; hlt");
}
