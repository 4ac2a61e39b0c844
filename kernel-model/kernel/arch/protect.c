/* prot_init: GDT, IDT, TSS and the SYSENTER MSRs (spec section 3.4). */
#include "../kernel.h"
#include "io.h"

struct segdesc { u16 limit_lo, base_lo; u8 base_mid, access, gran, base_hi; } __attribute__((packed));
struct gatedesc { u16 off_lo, sel; u8 zero, attr; u16 off_hi; } __attribute__((packed));
struct desctableptr { u16 limit; u32 base; } __attribute__((packed));

struct tss {
	u32 backlink, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap, iobase;
} __attribute__((packed));

#define GDT_SIZE 7
#define KERN_CS 0x08
#define KERN_DS 0x10
#define TSS_SEL 0x30

static struct segdesc gdt[GDT_SIZE] __attribute__((aligned(8)));
static struct gatedesc idt[256] __attribute__((aligned(8)));
static struct tss tss;

/* entry stubs in mpx.S, indexed by vector */
extern u32 exc_stubs[20];
extern u32 irq_stubs[16];
extern char ipc_entry[], kcall_entry[];

static void set_seg(int i, u32 base, u32 limit, u8 access, u8 flags)
{
	gdt[i].limit_lo = limit & 0xFFFF;
	gdt[i].base_lo = base & 0xFFFF;
	gdt[i].base_mid = (base >> 16) & 0xFF;
	gdt[i].access = access;
	gdt[i].gran = (u8)(flags | ((limit >> 16) & 0x0F));
	gdt[i].base_hi = (base >> 24) & 0xFF;
}

static void set_gate(int vec, u32 off, int dpl)
{
	idt[vec].off_lo = off & 0xFFFF;
	idt[vec].sel = KERN_CS;
	idt[vec].zero = 0;
	idt[vec].attr = (u8)(0x8E | (dpl << 5)); /* present 32-bit interrupt gate */
	idt[vec].off_hi = off >> 16;
}

void prot_set_kstack(u32 top)
{
	tss.esp0 = top;
}

void prot_init(void)
{
	struct desctableptr p;
	int i;

	set_seg(1, 0, 0xFFFFF, 0x9A, 0xC0); /* kernel code */
	set_seg(2, 0, 0xFFFFF, 0x92, 0xC0); /* kernel data */
	set_seg(3, 0, 0xFFFFF, 0xFA, 0xC0); /* user code */
	set_seg(4, 0, 0xFFFFF, 0xF2, 0xC0); /* user data */
	set_seg(5, 0, 0, 0x82, 0x00);       /* empty LDT, never loaded */
	set_seg(6, (u32)&tss, sizeof(tss) - 1, 0x89, 0x00);

	tss.ss0 = KERN_DS;
	tss.esp0 = (u32)k_stack_top;
	tss.iobase = sizeof(tss); /* beyond the limit: user port I/O faults */

	for (i = 0; i < 20; i++)
		set_gate(i, exc_stubs[i], 0);
	for (i = 0; i < 8; i++) {
		set_gate(0x50 + i, irq_stubs[i], 0);
		set_gate(0x70 + i, irq_stubs[8 + i], 0);
	}
	set_gate(KERVEC_INTR, (u32)kcall_entry, 3);
	set_gate(IPCVEC_INTR, (u32)ipc_entry, 3);

	p.limit = sizeof(gdt) - 1;
	p.base = (u32)gdt;
	__asm__ volatile("lgdt %0" : : "m"(p));
	p.limit = sizeof(idt) - 1;
	p.base = (u32)idt;
	__asm__ volatile("lidt %0" : : "m"(p));
	__asm__ volatile(
		"ljmp $0x08, $1f\n"
		"1: movw $0x10, %%ax\n"
		"movw %%ax, %%ds\n movw %%ax, %%es\n movw %%ax, %%fs\n"
		"movw %%ax, %%gs\n movw %%ax, %%ss\n"
		"movw $0x30, %%ax\n ltr %%ax\n"
		: : : "eax", "memory");

	if (kinfo.cpu_sep) {
		wrmsr(0x174, KERN_CS, 0);
		wrmsr(0x175, (u32)k_stack_top, 0);
		wrmsr(0x176, (u32)sysenter_entry, 0);
	}
}
