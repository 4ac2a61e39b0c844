/* Minimal runtime of the differential ALU fuzz kernels: COM1 output and a register dump
 * called after every generated instruction. Our own code; see gen_alu_fuzz.py. */
typedef unsigned int u32;

static inline void outb(unsigned short port, unsigned char v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline unsigned char inb(unsigned short port) { unsigned char v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static void putc_(char c) {
    while (!(inb(0x3FD) & 0x20)) { }
    outb(0x3F8, c);
}

static void puthex(u32 v) {
    for (int i = 28; i >= 0; i -= 4) putc_("0123456789abcdef"[(v >> i) & 15]);
}

void serial_init(void) {
    outb(0x3F9, 0); outb(0x3FB, 0x80); outb(0x3F8, 1); outb(0x3F9, 0); outb(0x3FB, 3); outb(0x3FA, 0xC7); outb(0x3FC, 3);
}

extern u32 scratch[4];
static u32 counter;

/* Frame laid out by PUSHFD then PUSHAD: EDI ESI EBP ESP EBX EDX ECX EAX EFLAGS. */
void dump_c(const u32 *f) {
    static const int order[8] = {7, 6, 5, 4, 3, 2, 1, 0};
    puthex(counter++);
    putc_(':');
    for (int k = 0; k < 8; k++) {
        int i = order[k];
        if (i == 3) continue;                 /* ESP is not randomised */
        putc_(' ');
        puthex(f[i]);
    }
    putc_(' ');
    puthex(f[8] & 0x8D5);                     /* OF SF ZF AF PF CF */
    for (int k = 0; k < 4; k++) { putc_(' '); puthex(scratch[k]); }
    putc_('\n');
}

void finish(void) {
    const char *s = "done\n";
    while (*s) putc_(*s++);
    outb(0xF4, 0x10);
    for (;;) __asm__ volatile("cli; hlt");
}
