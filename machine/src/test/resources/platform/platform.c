/* platform: what QEMU's pc (i440FX + PIIX, SeaBIOS) shows a kernel besides the ISA devices:
   fw_cfg (0x510/0x511), the ACPI tables SeaBIOS installs, PCI configuration mechanism #1
   (0xCF8/0xCFC) with the functions QEMU's pc has under -nodefaults, the PIIX4 PM block at
   0x600 (PM timer, PM1a) and, if present, pc-testdev (0xE0) and pci-testdev.
   Ends by an ACPI S5 power-off (PM1a_CNT: SLP_TYP 0 | SLP_EN): QEMU exits with status 0.

   Without -append, it prints only what a faithful emulation must reproduce (QEMU's DSDT is
   several KiB of AML and QEMU adds an HPET table: those are summarized, not dumped). With
   -append "dump" it hex-dumps every table, every present function's 256 configuration
   bytes and the fw_cfg directory: the raw material the Java tests compare field by field. */
#include "rt.h"

static int dump;
static u32 inl(u16 p) { u32 v; asm volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }

/* ---- fw_cfg ---- */
static void fw_select(u16 key) { outw(0x510, key); }
static u8 fw_byte(void) { return inb(0x511); }
static u32 fw_le(int n) { u32 v = 0; for (int i = 0; i < n; i++) v |= (u32)fw_byte() << (8 * i); return v; }
static u32 fw_be(int n) { u32 v = 0; for (int i = 0; i < n; i++) v = (v << 8) | fw_byte(); return v; }

static void fwcfg(void) {
    fw_select(0);
    kprintf("fwcfg signature:");
    for (int i = 0; i < 4; i++) kprintf(" %02x", fw_byte());
    kprintf(" then %02x\n", fw_byte());
    fw_select(1);
    u32 id = fw_le(4);
    /* QEMU 7.2 sets bit 1 (the DMA interface) too; Flatland has no DMA interface */
    if (dump) kprintf("fwcfg id: %08x\n", id);
    kprintf("fwcfg id bit 0 (traditional interface): %u\n", id & 1);
    fw_select(3);
    u32 lo = fw_le(4), hi = fw_le(4);
    kprintf("fwcfg ram_size: %08x%08x\n", hi, lo);
    fw_select(4);
    kprintf("fwcfg nographic: %04x\n", fw_le(2));
    fw_select(5);
    u32 cpus = fw_le(2);
    kprintf("fwcfg nb_cpus: %04x then %02x\n", cpus, fw_byte());
    fw_select(0xf);
    kprintf("fwcfg max_cpus: %04x\n", fw_le(2));
    /* key 0x11 is kvm-unit-tests' FW_CFG_MAX_RAM but QEMU's FW_CFG_KERNEL_DATA: under
       -kernel it holds the Multiboot image, which Flatland does not put in fw_cfg */
    fw_select(0x11);
    lo = fw_le(4); hi = fw_le(4);
    if (dump) kprintf("fwcfg max_ram (0x11): %08x%08x\n", hi, lo);
    fw_select(0x7777);
    kprintf("fwcfg unknown key 0x7777: %08x\n", fw_le(4));
    fw_select(0x8002);
    kprintf("fwcfg irq0_override (0x8002): %08x\n", fw_le(4));
    fw_select(2);
    if (dump) {
        kprintf("fwcfg uuid:");
        for (int i = 0; i < 16; i++) kprintf(" %02x", fw_byte());
        kprintf("\n");
    }
    fw_select(0x19);
    u32 n = fw_be(4);
    if (n > 256) { kprintf("fwcfg dir: count %08x, no fw_cfg\n", n); n = 0; }   /* open bus (isapc) */
    if (dump) kprintf("fwcfg dir: %u files\n", n);
    u32 e820_size = 0, e820_sel = 0;
    for (u32 i = 0; i < n; i++) {
        u32 size = fw_be(4), sel = fw_be(2);
        fw_be(2);
        char name[57];
        for (int j = 0; j < 56; j++) name[j] = (char)fw_byte();
        name[56] = 0;
        if (dump) kprintf("fwcfg file %04x %08x %s\n", sel, size, name);
        if (memcmp(name, "etc/e820", 9) == 0) { e820_size = size; e820_sel = sel; }
    }
    kprintf("fwcfg etc/e820: %u bytes\n", e820_size);
    if (e820_sel) {
        fw_select((u16)e820_sel);
        for (u32 i = 0; i < e820_size / 20; i++) {
            u32 a0 = fw_le(4), a1 = fw_le(4), l0 = fw_le(4), l1 = fw_le(4), t = fw_le(4);
            kprintf("  e820 %08x%08x %08x%08x type %u\n", a1, a0, l1, l0, t);
        }
        kprintf("  past the end: %02x\n", fw_byte());
    }
}

/* ---- ACPI ---- */
static u8 sum(const u8 *p, u32 n) { u8 s = 0; while (n--) s += *p++; return s; }
static u32 rd32(const void *p) { return *(const u32 *)p; }

static void hexdump(const char *what, const u8 *p, u32 n) {
    kprintf("dump %s %08x %u\n", what, (u32)p, n);
    for (u32 i = 0; i < n; i += 16) {
        kprintf("  %04x:", i);
        for (u32 j = i; j < i + 16 && j < n; j++) kprintf(" %02x", p[j]);
        kprintf("\n");
    }
}

static void table_header(const u8 *t) {
    u32 len = rd32(t + 4);
    kprintf("table %c%c%c%c rev %u len-ok %u checksum-ok %u oem %c%c%c%c%c%c\n", t[0], t[1], t[2], t[3], t[8],
            len >= 36, sum(t, len) == 0, t[10], t[11], t[12], t[13], t[14], t[15]);
    if (dump) hexdump("table", t, len);
}

static void fadt(const u8 *f) {
    kprintf("  FADT sci %u smi_cmd %x enable %02x disable %02x s4bios %02x pstate %02x\n",
            *(u16 *)(f + 46), rd32(f + 48), f[52], f[53], f[54], f[55]);
    kprintf("  FADT pm1a_evt %x pm1b_evt %x pm1a_cnt %x pm1b_cnt %x pm2_cnt %x pm_tmr %x gpe0 %x gpe1 %x\n",
            rd32(f + 56), rd32(f + 60), rd32(f + 64), rd32(f + 68), rd32(f + 72), rd32(f + 76), rd32(f + 80), rd32(f + 84));
    kprintf("  FADT lens evt %u cnt %u pm2 %u tmr %u gpe0 %u gpe1 %u gpe1_base %u cst %u\n",
            f[88], f[89], f[90], f[91], f[92], f[93], f[94], f[95]);
    kprintf("  FADT lvl2 %u lvl3 %u flush %u %u duty %u %u alarm %u %u century %u boot_arch %04x flags %08x\n",
            *(u16 *)(f + 96), *(u16 *)(f + 98), *(u16 *)(f + 100), *(u16 *)(f + 102), f[104], f[105], f[106], f[107],
            f[108], *(u16 *)(f + 109), rd32(f + 112));
    const u8 *facs = (const u8 *)rd32(f + 36), *dsdt = (const u8 *)rd32(f + 40);
    kprintf("  FACS %c%c%c%c len %u version %u flags %x waking %x\n", facs[0], facs[1], facs[2], facs[3],
            rd32(facs + 4), facs[32], rd32(facs + 20), rd32(facs + 12));
    if (dump) hexdump("FACS", facs, rd32(facs + 4));
    table_header(dsdt);
    u32 len = rd32(dsdt + 4);
    for (u32 i = 36; i + 4 < len; i++) {
        if (memcmp(dsdt + i, "_S5_", 4) == 0) {
            kprintf("  DSDT _S5_ at name, then:");
            for (u32 j = i + 4; j < i + 11 && j < len; j++) kprintf(" %02x", dsdt[j]);
            kprintf("\n");
        }
    }
}

static void madt(const u8 *m) {
    kprintf("  MADT lapic %08x flags %x\n", rd32(m + 36), rd32(m + 40));
    u32 len = rd32(m + 4);
    for (u32 i = 44; i < len; i += m[i + 1]) {
        kprintf("  MADT entry type %u len %u:", m[i], m[i + 1]);
        for (u32 j = 2; j < m[i + 1]; j++) kprintf(" %02x", m[i + j]);
        kprintf("\n");
        if (m[i + 1] == 0) break;
    }
}

static void acpi(void) {
    const u8 *rsdp = 0;
    for (u32 a = 0xE0000; a < 0x100000; a += 16) {
        if (memcmp((const void *)a, "RSD PTR ", 8) == 0 && sum((const u8 *)a, 20) == 0) { rsdp = (const u8 *)a; break; }
    }
    if (!rsdp) { kprintf("acpi: no RSDP\n"); return; }
    kprintf("RSDP in F-segment %u rev %u oem %c%c%c%c%c%c\n", (u32)rsdp >= 0xF0000, rsdp[15],
            rsdp[9], rsdp[10], rsdp[11], rsdp[12], rsdp[13], rsdp[14]);
    if (dump) hexdump("RSDP", rsdp, 20);
    const u8 *rsdt = (const u8 *)rd32(rsdp + 16);
    table_header(rsdt);
    u32 n = (rd32(rsdt + 4) - 36) / 4;
    for (u32 i = 0; i < n; i++) {
        const u8 *t = (const u8 *)rd32(rsdt + 36 + 4 * i);
        if (!dump && memcmp(t, "HPET", 4) == 0) continue;   /* QEMU's HPET: Flatland has none */
        table_header(t);
        if (memcmp(t, "FACP", 4) == 0) fadt(t);
        if (memcmp(t, "APIC", 4) == 0) madt(t);
    }
}

/* ---- PCI ---- */
static u32 cfg_addr(u32 bus, u32 dev, u32 fn, u32 reg) { return 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (reg & 0xFC); }
static u32 cfg_rd32(u32 d, u32 f, u32 r) { outl(0xCF8, cfg_addr(0, d, f, r)); return inl(0xCFC); }
static u32 cfg_rd16(u32 d, u32 f, u32 r) { outl(0xCF8, cfg_addr(0, d, f, r)); return inw(0xCFC + (r & 2)); }
static u32 cfg_rd8(u32 d, u32 f, u32 r) { outl(0xCF8, cfg_addr(0, d, f, r)); return inb(0xCFC + (r & 3)); }
static void cfg_wr32(u32 d, u32 f, u32 r, u32 v) { outl(0xCF8, cfg_addr(0, d, f, r)); outl(0xCFC, v); }

static u32 testdev_mem, testdev_io;

static void pci_function(u32 d, u32 f) {
    u32 id = cfg_rd32(d, f, 0);
    kprintf("pci 00:%02x.%u %04x:%04x cmd %04x status %04x rev %02x class %06x hdr %02x\n", d, f, id & 0xFFFF, id >> 16,
            cfg_rd16(d, f, 4), cfg_rd16(d, f, 6), cfg_rd8(d, f, 8), cfg_rd32(d, f, 8) >> 8, cfg_rd8(d, f, 0xE));
    kprintf("  subsys %08x int line %02x pin %02x cache %02x latency %02x\n", cfg_rd32(d, f, 0x2C), cfg_rd8(d, f, 0x3C),
            cfg_rd8(d, f, 0x3D), cfg_rd8(d, f, 0xC), cfg_rd8(d, f, 0xD));
    for (u32 b = 0; b < 6; b++) {
        u32 r = 0x10 + 4 * b, old = cfg_rd32(d, f, r);
        cfg_wr32(d, f, r, 0xFFFFFFFF);
        u32 mask = cfg_rd32(d, f, r);
        cfg_wr32(d, f, r, old);
        if (old || mask) kprintf("  bar%u %08x size mask %08x restored %08x\n", b, old, mask, cfg_rd32(d, f, r));
        if (id == 0x00051b36 && b == 0) testdev_mem = old & ~0xFu;
        if (id == 0x00051b36 && b == 1) testdev_io = old & ~0x3u;
    }
    if (id == 0x71138086) {
        kprintf("  pm base %08x pmregmisc %02x\n", cfg_rd32(d, f, 0x40), cfg_rd8(d, f, 0x80));
    }
    if (dump) {
        kprintf("dump config 00:%02x.%u\n", d, f);
        for (u32 r = 0; r < 256; r += 16) {
            kprintf("  %02x:", r);
            for (u32 j = r; j < r + 16; j += 4) kprintf(" %08x", cfg_rd32(d, f, j));
            kprintf("\n");
        }
    }
}

static void pci(void) {
    outl(0xCF8, 0x80000000u);
    kprintf("pci cf8 readback %08x, byte at cfb %02x\n", inl(0xCF8), inb(0xCFB));
    kprintf("pci absent 00:1f.0 %08x, word %04x, byte %02x\n", cfg_rd32(0x1f, 0, 0), cfg_rd16(0x1f, 0, 2), cfg_rd8(0x1f, 0, 1));
    kprintf("pci bus 1 00.0 %08x\n", (outl(0xCF8, 0x80010000u), inl(0xCFC)));
    for (u32 d = 0; d < 32; d++) {
        for (u32 f = 0; f < 8; f++) {
            u32 id = cfg_rd32(d, f, 0);
            if ((id & 0xFFFF) == 0xFFFF) { if (f == 0) break; continue; }
            /* QEMU's PIIX3 IDE (00:01.1): Flatland has no IDE controller and leaves it out, so
               the summary skips it (the dump records it) */
            if (dump || (cfg_rd32(d, f, 8) >> 16) != 0x0101) pci_function(d, f);
            if (f == 0 && !(cfg_rd8(d, 0, 0xE) & 0x80)) break;
        }
    }
    /* byte and word accesses through 0xCFC-0xCFF, and config writes that stick or do not */
    kprintf("pci 00:00.0 bytes %02x %02x %02x %02x words %04x %04x\n", cfg_rd8(0, 0, 0), cfg_rd8(0, 0, 1),
            cfg_rd8(0, 0, 2), cfg_rd8(0, 0, 3), cfg_rd16(0, 0, 0), cfg_rd16(0, 0, 2));
    cfg_wr32(1, 0, 0, 0x12345678);
    kprintf("pci write to the ID register: %08x\n", cfg_rd32(1, 0, 0));
}

/* ---- PIIX4 PM ---- */
static void pit2_wait_10ms(void) {
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);   /* gate 2 on, speaker off */
    outb(0x43, 0xB0);                          /* ch2, lo/hi, mode 0 */
    outb(0x42, 11932 & 0xFF); outb(0x42, 11932 >> 8);
    while (!(inb(0x61) & 0x20)) { }
}

static u32 pit2_count(void) {
    outb(0x43, 0x80);                          /* latch channel 2 */
    u32 lo = inb(0x42);
    return lo | (u32)inb(0x42) << 8;
}

static void pm(void) {
    kprintf("pm1a_sts %04x pm1a_en %04x pm1a_cnt %04x\n", inw(0x600), inw(0x602), inw(0x604));
    u32 t0 = inl(0x608), t1 = inl(0x608);
    kprintf("pm timer high byte %02x, 24-bit %u\n", t0 >> 24, ((t1 - t0) & 0xFFFFFF) < 0x100000);
    /* The PM timer's rate against the PIT's (3.579545 MHz / 1.193182 MHz = 3): each pair of
       readings is taken back to back, so QEMU running in real time on a busy host only adds
       the few microseconds between the two reads of a pair */
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    outb(0x43, 0xB0);
    outb(0x42, 0xFF); outb(0x42, 0xFF);
    u32 c0 = pit2_count(), p0 = inl(0x608), c, p;
    do { c = pit2_count(); p = inl(0x608); } while (c0 - c < 30000 && c <= c0);
    u32 ticks = (p - p0) & 0xFFFFFF, permille = ticks * 1000 / (c0 - c);
    kprintf("pm timer / PIT rate within 1%% of 3: %u\n", permille >= 2970 && permille <= 3030);
    if (dump) kprintf("pm timer ticks %u per %u PIT ticks\n", ticks, c0 - c);
    outw(0x602, 0x0121);
    kprintf("pm1a_en after writing 0121: %04x\n", inw(0x602));
    outw(0x602, 0);
}

/* ---- test devices ---- */
static void pc_testdev(void) {
    outl(0xE0, 0x11223344);
    u32 l = inl(0xE0);
    outb(0xE1, 0x55);
    u32 b = inb(0xE1), w = inw(0xE2);
    kprintf("pc-testdev e0 dword %08x, e1 byte %02x, e2 word %04x, e0 after %08x\n", l, b, w, inl(0xE0));
}

static u8 td_rd8(int io, u32 off) { return io ? inb(testdev_io + off) : *(volatile u8 *)(testdev_mem + off); }
static u32 td_rd32(int io, u32 off) { return io ? inl(testdev_io + off) : *(volatile u32 *)(testdev_mem + off); }
static void td_wr8(int io, u32 off, u8 v) { if (io) outb(testdev_io + off, v); else *(volatile u8 *)(testdev_mem + off) = v; }
static void td_wr32(int io, u32 off, u32 v) { if (io) outl(testdev_io + off, v); else *(volatile u32 *)(testdev_mem + off) = v; }

static void pci_testdev(void) {
    for (int io = 0; io < 2; io++) {
        for (u32 t = 0; t < 4; t++) {
            td_wr8(io, 0, (u8)t);
            kprintf("pci-testdev %s test %u: test %02x width %02x offset %08x data %08x count %08x name '",
                    io ? "io" : "mem", t, td_rd8(io, 0), td_rd8(io, 1), td_rd32(io, 4), td_rd32(io, 8), td_rd32(io, 12));
            for (u32 i = 16; i < 48; i++) { u8 c = td_rd8(io, i); if (!c) break; kprintf("%c", c); }
            kprintf("' bytes:");
            for (u32 i = 0; i < 16; i++) kprintf(" %02x", td_rd8(io, i));
            kprintf("\n");
            u32 off = td_rd32(io, 4), width = td_rd8(io, 1), data = td_rd32(io, 8);
            if (off == 0 || off > 4000 || width != 1) continue;
            /* the count after each kind of write: byte with the data, byte with other data,
               dword with the data, word with the data, byte at the next offset */
            kprintf("  counts after writes:");
            td_wr8(io, off, (u8)data); kprintf(" byte %u", td_rd32(io, 12));
            td_wr8(io, off, (u8)(data + 1)); kprintf(" other-byte %u", td_rd32(io, 12));
            td_wr32(io, off, data); kprintf(" dword %u", td_rd32(io, 12));
            if (io) outw(testdev_io + off, (u16)data); else *(volatile u16 *)(testdev_mem + off) = (u16)data;
            kprintf(" word %u", td_rd32(io, 12));
            td_wr8(io, off + 1, (u8)data); kprintf(" next-offset %u", td_rd32(io, 12));
            kprintf("; select again: ");
            td_wr8(io, 0, (u8)t);
            kprintf("%08x\n", td_rd32(io, 12));
        }
    }
}

void kmain(u32 magic, u32 mbi) {
    (void)magic;
    const u32 *info = (const u32 *)mbi;
    if ((info[0] & 4) && info[4]) {
        const char *c = (const char *)info[4];
        for (; *c; c++) if (memcmp(c, "dump", 4) == 0) dump = 1;
    }
    kprintf("platform: begin\n");
    fwcfg();
    acpi();
    pci();
    pm();
    if (inb(0xE0) != 0xFF || inb(0xE3) != 0xFF) pc_testdev(); else kprintf("no pc-testdev\n");
    if (testdev_mem) pci_testdev(); else kprintf("no pci-testdev\n");
    kprintf("platform: S5 power-off\n");
    outw(0x604, 0x2000);
    /* QEMU powers off from its main loop, a moment after the write: wait ~200 ms */
    for (int i = 0; i < 20; i++) pit2_wait_10ms();
    kprintf("platform: still running after S5\n");
    exit(EXIT_FAIL);
}
