/* mbinfo: prints the Multiboot v1 information structure passed by the loader.
   Run with the extra QEMU arguments in mbinfo.args (-append, -initrd with two modules).
   Note: QEMU's command line is "<kernel path as given to -kernel> <-append string>", so the
   kernel must be started as "mbinfo.elf" from this directory. Module addresses are printed
   relative to the first module's start, not as absolute addresses. */
#include "rt.h"

struct mb_info {
    u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    u32 syms[4];
    u32 mmap_length, mmap_addr;
    u32 drives_length, drives_addr, config_table, boot_loader_name, apm_table;
};
struct mb_mod { u32 start, end, string, reserved; };
struct mb_mmap { u32 size, base_lo, base_hi, len_lo, len_hi, type; } __attribute__((packed));

static void print_str(const char *s) {
    putc('"');
    for (; *s; s++) {
        if (*s >= 0x20 && *s < 0x7F) putc(*s); else kprintf("\\x%02x", (u8)*s);
    }
    putc('"');
}

void kmain(u32 magic, u32 mbi_addr) {
    kprintf("mbinfo: begin\n");
    kprintf("magic=%08x\n", magic);
    struct mb_info *mbi = (struct mb_info *)mbi_addr;
    u32 fl = mbi->flags;
    kprintf("flags=%08x\n", fl);
    if (fl & 1) kprintf("mem_lower=%u mem_upper=%u\n", mbi->mem_lower, mbi->mem_upper);
    if (fl & 2) kprintf("boot_device=%08x\n", mbi->boot_device);
    if (fl & 4) { kprintf("cmdline="); print_str((const char *)mbi->cmdline); kprintf("\n"); }
    if (fl & 8) {
        kprintf("mods_count=%u\n", mbi->mods_count);
        struct mb_mod *m = (struct mb_mod *)mbi->mods_addr;
        u32 base = mbi->mods_count ? m[0].start : 0;
        for (u32 i = 0; i < mbi->mods_count; i++) {
            kprintf("mod[%u] start=first%+d end=first%+d size=%u page_aligned=%u string=", i,
                    (s32)(m[i].start - base), (s32)(m[i].end - base), m[i].end - m[i].start,
                    (m[i].start & 0xFFF) == 0);
            print_str((const char *)m[i].string);
            kprintf("\n  content=");
            char tmp[65];
            u32 n = m[i].end - m[i].start;
            if (n > 64) n = 64;
            memcpy(tmp, (void *)m[i].start, n);
            tmp[n] = 0;
            print_str(tmp);
            kprintf("\n");
        }
        kprintf("first module above kernel end: %d\n", mbi->mods_count ? base >= 0x100000 : -1);
    }
    if (fl & 64) {
        kprintf("mmap_length=%u\n", mbi->mmap_length);
        u32 p = mbi->mmap_addr, end = p + mbi->mmap_length;
        while (p < end) {
            struct mb_mmap *e = (struct mb_mmap *)p;
            kprintf("mmap size=%u base=%08x%08x len=%08x%08x type=%u\n", e->size, e->base_hi, e->base_lo,
                    e->len_hi, e->len_lo, e->type);
            p += e->size + 4;
        }
    }
    if (fl & 512) { kprintf("boot_loader_name="); print_str((const char *)mbi->boot_loader_name); kprintf("\n"); }
    kprintf("mbinfo: done\n");
    exit(EXIT_OK);
}
