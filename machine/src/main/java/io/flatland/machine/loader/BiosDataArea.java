package io.flatland.machine.loader;

import io.flatland.mmu.PhysicalMemory;

/**
 * The few BIOS data area words SeaBIOS sets that kernels are known to read (Flatland has no
 * BIOS; see docs/qemu-differences.md): the serial ports found, listed without gaps and counted
 * in bits 9-11 of the equipment word, the EBDA segment (Linux reserves the EBDA from it) and
 * the base memory size in KiB.
 */
final class BiosDataArea {
    private BiosDataArea() { }

    static void write(PhysicalMemory ram, int[] comBases, int baseMemoryKiB) {
        for (int i = 0; i < 4; i++) ram.write16(0x400 + 2 * i, i < comBases.length ? comBases[i] : 0);
        ram.write16(0x410, ram.read16(0x410) & ~0x0E00 | Math.min(comBases.length, 4) << 9);
        ram.write16(0x40E, 0x9FC0);
        ram.write16(0x413, baseMemoryKiB);
    }
}
