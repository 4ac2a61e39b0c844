/* Flatland test-kernel mini runtime (Multiboot v1, 32-bit protected mode). */
#ifndef RT_H
#define RT_H
#include <stdarg.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;

/* EFLAGS bits */
#define F_CF 0x001u
#define F_PF 0x004u
#define F_AF 0x010u
#define F_ZF 0x040u
#define F_SF 0x080u
#define F_TF 0x100u
#define F_IF 0x200u
#define F_DF 0x400u
#define F_OF 0x800u
#define F_ARITH (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

/* Selectors (fixed GDT layout; SYSENTER needs KCODE,KDATA,UCODE,UDATA consecutive) */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UCODE 0x1B
#define SEL_UDATA 0x23
#define SEL_TSS   0x28
#define GDT_FREE  6      /* first GDT index free for tests (0x30) */
#define GDT_SIZE  16

/* Exit codes written to port 0xF4 (QEMU exit status = (v << 1) | 1) */
#define EXIT_OK         0x10
#define EXIT_BAD_TRAP   0x11
#define EXIT_FAIL       0x12

struct frame {
    u32 gs, fs, es, ds;
    u32 edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;
    u32 vec, err;
    u32 eip, cs, eflags;
    u32 esp, ss;          /* only valid if (cs & 3) != 0 */
};

struct trapinfo {
    u32 vec, err, eip, cs, eflags, esp, ss, cr2;
    u32 eax, ecx, edx, ebx, esi, edi;
    u32 count;
};

typedef u32 jmp_buf_t[6];
int k_setjmp(jmp_buf_t jb) __attribute__((returns_twice));
void k_longjmp(jmp_buf_t jb, int v) __attribute__((noreturn));

/* A hook returns nonzero if it handled the trap (the frame is then resumed). */
typedef int (*trap_hook_t)(struct frame *f);
extern trap_hook_t trap_hooks[256];
extern volatile struct trapinfo trap;
extern volatile int catch_armed;
extern jmp_buf_t catch_buf;

/* if (TRY()) { ...code that may trap...; END_TRY(); } else { trap was taken, see 'trap' } */
#define TRY() (catch_armed = 1, k_setjmp(catch_buf) == 0)
#define END_TRY() (catch_armed = 0)

/* port I/O */
static inline void outb(u16 p, u8 v) { asm volatile("outb %0, %1" : : "a"(v), "Nd"(p)); }
static inline void outw(u16 p, u16 v) { asm volatile("outw %0, %1" : : "a"(v), "Nd"(p)); }
static inline void outl(u16 p, u32 v) { asm volatile("outl %0, %1" : : "a"(v), "Nd"(p)); }
static inline u8 inb(u16 p) { u8 v; asm volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline u16 inw(u16 p) { u16 v; asm volatile("inw %1, %0" : "=a"(v) : "Nd"(p)); return v; }

static inline u32 read_cr0(void) { u32 v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline u32 read_cr2(void) { u32 v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline u32 read_cr3(void) { u32 v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline u32 read_cr4(void) { u32 v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(u32 v) { asm volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr2(u32 v) { asm volatile("mov %0, %%cr2" : : "r"(v) : "memory"); }
static inline void write_cr3(u32 v) { asm volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(u32 v) { asm volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
static inline void invlpg(u32 a) { asm volatile("invlpg (%0)" : : "r"(a) : "memory"); }
static inline u32 read_eflags(void) { u32 v; asm volatile("pushfl; popl %0" : "=r"(v)); return v; }
static inline void wrmsr(u32 msr, u32 lo, u32 hi) { asm volatile("wrmsr" : : "c"(msr), "a"(lo), "d"(hi)); }
static inline void rdmsr(u32 msr, u32 *lo, u32 *hi) { asm volatile("rdmsr" : "=a"(*lo), "=d"(*hi) : "c"(msr)); }
static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d) {
    asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

/* runtime API */
void putc(char c);
void puts(const char *s);
void kprintf(const char *fmt, ...);
void kvprintf(const char *fmt, va_list ap);
void exit(u32 code) __attribute__((noreturn));
void *memset(void *d, int c, u32 n);
void *memcpy(void *d, const void *s, u32 n);
int memcmp(const void *a, const void *b, u32 n);
u32 strlen(const char *s);

void gdt_set(int idx, u32 base, u32 limit, u8 access, u8 flags);
void idt_set(int vec, u32 handler, u16 sel, u8 type_attr);
void idt_set_stub(int vec, u8 dpl);     /* point vec at the runtime's stub with given DPL */
extern u32 isr_stubs[];                 /* 256 stubs, 16 bytes apart */
void reload_segments(void);
extern u8 trap_stack_top[];             /* TSS.ESP0 */
extern u8 user_stack_top[];             /* default ring 3 stack */
extern u32 tss[26];

/* Run fn in ring 3 (CS=0x1B, SS=DS=ES=0x23) with the given EFLAGS and ESP.
   fn must end with user_exit(). Returns when user_exit() is executed. Faults from
   ring 3 go to the normal trap handling (use TRY() around run_user to catch them). */
void run_user(void (*fn)(void), u32 eflags, u32 esp);
static inline __attribute__((noreturn)) void user_exit(void) {
    asm volatile("int $0x81"); __builtin_unreachable();
}

void print_trap(void);    /* one line: vector, error code, cs, cr2 (not eip) */
void kmain(u32 magic, u32 mbi);
/* The 8259 masks the firmware left, read before rt_init masked every line. */
extern u8 boot_imr_master, boot_imr_slave;
#endif
