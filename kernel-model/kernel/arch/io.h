/* Port I/O and control-register helpers. */
#ifndef KERNEL_IO_H
#define KERNEL_IO_H
#include <model/types.h>

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u32 read_cr0(void) { u32 v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline u32 read_cr2(void) { u32 v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline u32 read_cr3(void) { u32 v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline u32 read_cr4(void) { u32 v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(u32 v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(u32 v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(u32 v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
static inline void invlpg(u32 a) { __asm__ volatile("invlpg (%0)" : : "r"(a) : "memory"); }
static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}
static inline void wrmsr(u32 msr, u32 lo, u32 hi) { __asm__ volatile("wrmsr" : : "c"(msr), "a"(lo), "d"(hi)); }

#define CR0_PE 0x00000001
#define CR0_EM 0x00000004
#define CR0_TS 0x00000008
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000
#define CR4_PSE 0x00000010
#define CR4_PGE 0x00000080

#define CPUID1_EDX_PSE (1u << 3)
#define CPUID1_EDX_SEP (1u << 11)
#define CPUID1_EDX_PGE (1u << 13)

/* Page-table entry bits. */
#define I386_VM_PRESENT 0x001
#define I386_VM_WRITE 0x002
#define I386_VM_USER 0x004
#define I386_VM_BIGPAGE 0x080
#define I386_VM_GLOBAL 0x100
#define I386_VM_ADDR_MASK 0xFFFFF000

#endif
