/* Flatland test-kernel mini runtime: serial, printf, exit, GDT/IDT/TSS, trap dispatch. */
#include "rt.h"

#define COM1 0x3F8

trap_hook_t trap_hooks[256];
volatile struct trapinfo trap;
volatile int catch_armed;
jmp_buf_t catch_buf;
static jmp_buf_t user_jb;

static u32 gdt[GDT_SIZE * 2] __attribute__((aligned(8)));
static u32 idt[256 * 2] __attribute__((aligned(8)));
u32 tss[26] __attribute__((aligned(8)));

void enter_user(u32 eip, u32 esp, u32 eflags) __attribute__((noreturn));

void *memset(void *d, int c, u32 n) { u8 *p = d; while (n--) *p++ = (u8)c; return d; }
void *memcpy(void *d, const void *s, u32 n) { u8 *p = d; const u8 *q = s; while (n--) *p++ = *q++; return d; }
int memcmp(const void *a, const void *b, u32 n) {
    const u8 *p = a, *q = b;
    for (; n; n--, p++, q++) if (*p != *q) return *p < *q ? -1 : 1;
    return 0;
}
u32 strlen(const char *s) { u32 n = 0; while (s[n]) n++; return n; }

void putc(char c) {
    while (!(inb(COM1 + 5) & 0x20)) { }
    outb(COM1, (u8)c);
}
void puts(const char *s) { while (*s) putc(*s++); }

static void put_num(u32 v, int base, int width, int zero, int upper, int neg) {
    char buf[16];
    int n = 0;
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do { buf[n++] = dig[v % (u32)base]; v /= (u32)base; } while (v);
    if (neg) { if (zero) { putc('-'); width--; } else buf[n++] = '-'; }
    while (width > n) { putc(zero ? '0' : ' '); width--; }
    while (n) putc(buf[--n]);
}

void kvprintf(const char *fmt, va_list ap) {
    for (; *fmt; fmt++) {
        if (*fmt != '%') { putc(*fmt); continue; }
        fmt++;
        int zero = 0, width = 0, plus = 0;
        if (*fmt == '+') { plus = 1; fmt++; }
        if (*fmt == '0') { zero = 1; fmt++; }
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        switch (*fmt) {
        case 'x': put_num(va_arg(ap, u32), 16, width, zero, 0, 0); break;
        case 'X': put_num(va_arg(ap, u32), 16, width, zero, 1, 0); break;
        case 'u': put_num(va_arg(ap, u32), 10, width, zero, 0, 0); break;
        case 'd': { s32 v = va_arg(ap, s32);
                    if (plus && v >= 0) putc('+');
                    put_num(v < 0 ? (u32)-(u32)v : (u32)v, 10, width, zero, 0, v < 0); break; }
        case 's': {
            const char *s = va_arg(ap, const char *);
            int l = (int)strlen(s);
            while (width-- > l) putc(' ');
            puts(s);
            break;
        }
        case 'c': putc((char)va_arg(ap, int)); break;
        case '%': putc('%'); break;
        default: putc('%'); putc(*fmt); break;
        }
    }
}

void kprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void exit(u32 code) {
    outb(0xF4, (u8)code);
    for (;;) asm volatile("cli; hlt");
}

void gdt_set(int idx, u32 base, u32 limit, u8 access, u8 flags) {
    gdt[idx * 2] = (limit & 0xFFFF) | (base << 16);
    gdt[idx * 2 + 1] = ((base >> 16) & 0xFF) | ((u32)access << 8) | (limit & 0xF0000)
                     | ((u32)(flags & 0xF) << 20) | (base & 0xFF000000);
}

void idt_set(int vec, u32 handler, u16 sel, u8 type_attr) {
    idt[vec * 2] = (handler & 0xFFFF) | ((u32)sel << 16);
    idt[vec * 2 + 1] = (handler & 0xFFFF0000) | ((u32)type_attr << 8);
}

void idt_set_stub(int vec, u8 dpl) {
    idt_set(vec, (u32)isr_stubs + 16 * (u32)vec, SEL_KCODE, (u8)(0x8E | (dpl << 5)));
}

static int user_exit_hook(struct frame *f) {
    (void)f;
    k_longjmp(user_jb, 1);
}

void run_user(void (*fn)(void), u32 eflags, u32 esp) {
    if (k_setjmp(user_jb) == 0)
        enter_user((u32)fn, esp, eflags);
}

void print_trap(void) {
    kprintf("trap vec=%02x err=%04x cs=%04x", trap.vec, trap.err, trap.cs & 0xFFFF);
    if (trap.vec == 14) kprintf(" cr2=%08x", trap.cr2);
    kprintf("\n");
}

void trap_dispatch(struct frame *f) {
    u32 v = f->vec;
    if (trap_hooks[v] && trap_hooks[v](f)) return;
    trap.vec = v; trap.err = f->err; trap.eip = f->eip; trap.cs = f->cs;
    trap.eflags = f->eflags;
    if (f->cs & 3) { trap.esp = f->esp; trap.ss = f->ss; } else { trap.esp = 0; trap.ss = 0; }
    trap.cr2 = v == 14 ? read_cr2() : 0;
    trap.eax = f->eax; trap.ecx = f->ecx; trap.edx = f->edx; trap.ebx = f->ebx;
    trap.esi = f->esi; trap.edi = f->edi;
    trap.count++;
    if (catch_armed) {
        catch_armed = 0;
        k_longjmp(catch_buf, 1);
    }
    kprintf("UNEXPECTED TRAP vec=%02x err=%08x eip=%08x cs=%04x eflags=%08x cr2=%08x\n",
            v, f->err, f->eip, f->cs & 0xFFFF, f->eflags, trap.cr2);
    exit(EXIT_BAD_TRAP);
}

u8 boot_imr_master, boot_imr_slave;

void rt_init(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    /* mask both PICs: the BIOS may have left IRQ0 unmasked (what it left is kept for 'handoff') */
    boot_imr_master = inb(0x21);
    boot_imr_slave = inb(0xA1);
    outb(0x21, 0xFF);
    outb(0xA1, 0xFF);
    /* COM1: 115200 8N1, FIFO on */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x80);
    outb(COM1 + 0, 0x01);
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);
    outb(COM1 + 2, 0xC7);
    outb(COM1 + 4, 0x03);

    gdt_set(1, 0, 0xFFFFF, 0x9A, 0xC);   /* 0x08 ring 0 code */
    gdt_set(2, 0, 0xFFFFF, 0x92, 0xC);   /* 0x10 ring 0 data */
    gdt_set(3, 0, 0xFFFFF, 0xFA, 0xC);   /* 0x18 ring 3 code */
    gdt_set(4, 0, 0xFFFFF, 0xF2, 0xC);   /* 0x20 ring 3 data */
    tss[1] = (u32)trap_stack_top;        /* ESP0 */
    tss[2] = SEL_KDATA;                  /* SS0 */
    tss[25] = sizeof(tss) << 16;         /* I/O map base beyond limit: no I/O bitmap */
    gdt_set(5, (u32)tss, sizeof(tss) - 1, 0x89, 0x0);  /* 0x28 32-bit TSS (available) */
    struct { u16 limit; u32 base; } __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (u32)gdt };
    asm volatile("lgdt %0" : : "m"(gdtr));
    reload_segments();
    asm volatile("ltr %w0" : : "r"(SEL_TSS));

    for (int v = 0; v < 256; v++) idt_set_stub(v, 0);
    idt_set_stub(3, 3);     /* int3 from ring 3 */
    idt_set_stub(4, 3);     /* into from ring 3 */
    idt_set_stub(0x80, 3);  /* system call */
    idt_set_stub(0x81, 3);  /* return from ring 3 to the kernel */
    trap_hooks[0x81] = user_exit_hook;
    struct { u16 limit; u32 base; } __attribute__((packed)) idtr = { sizeof(idt) - 1, (u32)idt };
    asm volatile("lidt %0" : : "m"(idtr));
}
