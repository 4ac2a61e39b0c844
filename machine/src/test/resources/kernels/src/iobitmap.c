/* iobitmap: the TSS I/O permission bitmap at CPL 3 with IOPL 0: IN/OUT of byte/word/dword
   size (immediate and DX forms) on ports whose bitmap bits are clear or set, accesses whose
   bits straddle two bitmap bytes, ports whose bitmap byte lies beyond the TSS limit, IOPL 3
   bypassing the bitmap, CPL 0 ignoring it, string I/O (REP OUTSB/OUTSW/INSB, ECX at the
   fault), and a bitmap change taking effect without reloading TR.
   Only whether an access faults is printed (with vector, error code, EIP offset and ECX),
   never the value read: the ports used (0x80-0x8F: POST/DMA page registers, 0xF8, 0x100,
   0x3F8, 0x8000) have no side effects on a read or write that matter here.
   The TSS limit is chosen so that every tested port's two bitmap bytes are either both
   inside or both beyond the limit (the SDM makes the processor read two bytes; the case
   where only the second byte is beyond the limit is not tested), nor is REP string I/O
   with ECX=0 on a denied port (whether the check precedes the ECX test is not specified). */
#include "rt.h"

#define USP ((u32)user_stack_top - 64)
#define DECL(x) extern char x[], x##_f[];
DECL(u_inb_80) DECL(u_inb_81) DECL(u_inw_80) DECL(u_inw_82) DECL(u_inl_82) DECL(u_inl_83)
DECL(u_inb_86) DECL(u_inw_87) DECL(u_inw_8f) DECL(u_inb_dx_84) DECL(u_inw_dx_85)
DECL(u_outb_80) DECL(u_outb_81) DECL(u_outw_84) DECL(u_outl_dx_82) DECL(u_inb_f8)
DECL(u_inb_dx_100) DECL(u_inb_dx_3f8) DECL(u_inb_dx_8000) DECL(u_outsb_80) DECL(u_outsb_81)
DECL(u_outsw_82) DECL(u_outsw_80) DECL(u_insb_80) DECL(u_insb_81)

/* TSS (104 bytes) + bitmap for ports 0x000..0x0FF (32 bytes) + terminating 0xFF byte */
#define IOBASE 104
#define BITMAP_BYTES 32
static u8 iotss[IOBASE + BITMAP_BYTES + 1 + 3] __attribute__((aligned(8)));
#define BM (iotss + IOBASE)

static void set_port(u32 port, int deny) {
    if (deny) BM[port >> 3] |= (u8)(1u << (port & 7));
    else BM[port >> 3] &= (u8)~(1u << (port & 7));
}

static void io(const char *name, char *fn, char *insn, u32 eflags) {
    kprintf("%s iopl=%u: ", name, (eflags >> 12) & 3);
    if (TRY()) {
        run_user((void (*)(void))fn, eflags, USP);
        END_TRY();
        kprintf("ok\n");
        return;
    }
    kprintf("vec=%02x err=%04x eip=%+d cs=%04x ecx=%u\n", trap.vec, trap.err,
            (s32)(trap.eip - (u32)insn), trap.cs & 0xFFFF, trap.ecx);
}
#define IO(fn, fl) io(#fn, fn, fn##_f, fl)

void kmain(u32 magic, u32 mbi) {
    (void)magic; (void)mbi;
    kprintf("iobitmap: begin\n");
    memset(iotss, 0, sizeof(iotss));
    u32 *t = (u32 *)iotss;
    t[1] = (u32)trap_stack_top;          /* ESP0 */
    t[2] = SEL_KDATA;                    /* SS0 */
    t[25] = (u32)IOBASE << 16;           /* I/O map base */
    memset(BM, 0xFF, BITMAP_BYTES + 1);  /* deny all; last byte is the 0xFF terminator */
    /* allowed: 0x80 0x82-0x85 0x87 0x88 0x8F 0xF8 */
    static const u16 allow[] = { 0x80, 0x82, 0x83, 0x84, 0x85, 0x87, 0x88, 0x8F, 0xF8 };
    for (u32 i = 0; i < sizeof(allow) / sizeof(allow[0]); i++) set_port(allow[i], 0);
    kprintf("bitmap bytes 0x10 0x11 0x1f: %02x %02x %02x\n", BM[0x10], BM[0x11], BM[0x1F]);
    gdt_set(GDT_FREE, (u32)iotss, IOBASE + BITMAP_BYTES, 0x89, 0x0);  /* limit covers the 0xFF byte */
    asm volatile("ltr %w0" : : "r"(GDT_FREE * 8));
    u32 tr;
    asm volatile("str %0" : "=r"(tr));
    kprintf("tr=%04x tss limit=base+%u\n", tr & 0xFFFF, IOBASE + BITMAP_BYTES);

    const u32 F0 = 0x002, F3 = 0x3002;
    IO(u_inb_80, F0);
    IO(u_inb_81, F0);
    IO(u_inw_80, F0);        /* 0x80 allowed, 0x81 denied */
    IO(u_inw_82, F0);
    IO(u_inl_82, F0);        /* 0x82..0x85 allowed */
    IO(u_inl_83, F0);        /* 0x86 denied */
    IO(u_inb_86, F0);
    IO(u_inw_87, F0);        /* bits in two bitmap bytes, both clear */
    IO(u_inw_8f, F0);        /* 0x8F clear, 0x90 (next byte) set */
    IO(u_inb_dx_84, F0);
    IO(u_inw_dx_85, F0);     /* 0x86 denied */
    IO(u_outb_80, F0);
    IO(u_outb_81, F0);
    IO(u_outw_84, F0);
    IO(u_outl_dx_82, F0);
    IO(u_inb_f8, F0);        /* last bitmap byte inside the limit, followed by the 0xFF byte */
    IO(u_inb_dx_100, F0);    /* bitmap byte 0x20 = terminator */
    IO(u_inb_dx_3f8, F0);    /* beyond the TSS limit */
    IO(u_inb_dx_8000, F0);
    IO(u_outsb_80, F0);
    IO(u_outsb_81, F0);
    IO(u_outsw_82, F0);
    IO(u_outsw_80, F0);
    IO(u_insb_80, F0);
    IO(u_insb_81, F0);
    /* IOPL 3: the bitmap is not consulted */
    IO(u_inb_81, F3);
    IO(u_inl_83, F3);
    IO(u_inb_dx_3f8, F3);
    IO(u_outsb_81, F3);
    /* the bitmap is read at each access */
    set_port(0x80, 1);
    IO(u_inb_80, F0);
    set_port(0x80, 0);
    set_port(0x81, 0);
    IO(u_inb_81, F0);
    IO(u_inw_80, F0);
    set_port(0x81, 1);
    /* CPL 0 ignores the bitmap and IOPL */
    kprintf("cpl0 inb 0x81 iopl=0: ");
    if (TRY()) { (void)inb(0x81); END_TRY(); kprintf("ok\n"); } else kprintf("vec=%02x\n", trap.vec);
    /* I/O map base beyond the TSS limit: no bitmap, everything denied at CPL3/IOPL0 */
    t[25] = 0xFFFFu << 16;
    IO(u_inb_80, F0);
    t[25] = (u32)IOBASE << 16;
    IO(u_inb_80, F0);
    kprintf("iobitmap: done\n");
    exit(EXIT_OK);
}
