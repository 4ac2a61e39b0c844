package io.flatland.machine.loader;

import java.util.ArrayList;
import java.util.List;

/**
 * The physical memory map a guest sees, laid out as on QEMU 7.2's i440FX PC with SeaBIOS
 * (observed through int 15h/E820 as QEMU's Multiboot option ROM copies it):
 *
 * <pre>
 *   0x00000000  0x9FC00        usable     conventional memory below the EBDA
 *   0x0009FC00  0x400          reserved   extended BIOS data area
 *   0x000F0000  0x10000        reserved   BIOS
 *   0x00100000  low - 1M - 128K usable
 *   low - 128K  0x20000        reserved   SeaBIOS's high tables
 *   0xFFFC0000  0x40000        reserved   BIOS flash
 *   0x100000000 above          usable     only when -m reaches 3.5 GiB
 * </pre>
 *
 * where QEMU puts all of {@code -m} below 4 GiB unless it is at least 3.5 GiB, in which
 * case 3 GiB go below and the rest above 4 GiB (pc_piix's gigabyte alignment).
 */
public final class E820Map {
    public static final int USABLE = 1, RESERVED = 2;
    private static final long HIGH_TABLES = 0x20000;

    public record Entry(long base, long length, int type) { }

    private final long below4g, above4g;
    private final List<Entry> entries = new ArrayList<>();

    public E820Map(long ramSize) {
        if (ramSize >= 0xE000_0000L) {
            below4g = 0xC000_0000L;
            above4g = ramSize - below4g;
        } else {
            below4g = ramSize;
            above4g = 0;
        }
        entries.add(new Entry(0, 0x9FC00, USABLE));
        entries.add(new Entry(0x9FC00, 0x400, RESERVED));
        entries.add(new Entry(0xF0000, 0x10000, RESERVED));
        entries.add(new Entry(0x100000, below4g - 0x100000 - HIGH_TABLES, USABLE));
        entries.add(new Entry(below4g - HIGH_TABLES, HIGH_TABLES, RESERVED));
        entries.add(new Entry(0xFFFC0000L, 0x40000, RESERVED));
        if (above4g > 0) entries.add(new Entry(0x1_0000_0000L, above4g, USABLE));
    }

    public List<Entry> entries() { return entries; }

    /** RAM the guest can reach with 32-bit physical addresses (the size of Flatland's RAM block). */
    public long below4g() { return below4g; }

    public long above4g() { return above4g; }

    /** End of the usable RAM above 1 MiB and below 4 GiB: where SeaBIOS's high tables begin. */
    public long lowRamEnd() { return below4g - HIGH_TABLES; }

    /** Multiboot mem_lower in KiB: what int 12h reports under SeaBIOS (memory below the EBDA). */
    public int memLowerKiB() { return 0x9FC00 / 1024; }

    /** Multiboot mem_upper in KiB: memory from 1 MiB up to the first hole (SeaBIOS's high tables). */
    public int memUpperKiB() { return (int) ((below4g - HIGH_TABLES) / 1024 - 1024); }
}
