package io.flatland.machine.loader;

import io.flatland.cpu.Cpu;
import io.flatland.mmu.PhysicalMemory;

/**
 * Booting a {@code -bios} ROM instead of a kernel: the CPU keeps its reset state (real mode,
 * CS:EIP F000:FFF0 with the CS base 0xFFFF0000, so the first fetch is the ROM's reset vector
 * at 0xFFFFFFF0) and the ROM does the rest. The high copy of the ROM is an MMIO region
 * ({@link BiosRom}); the isa-bios alias below 1 MiB, where the ROM's far jump lands, is the
 * ROM's end copied into RAM at each reset. Unlike QEMU's pc, whose alias is read-only, writes
 * to that copy stick until the next reset (as on QEMU's isapc, whose BIOS is RAM).
 */
public final class BiosBoot implements GuestBoot {
    private static final long ONE_MIB = 1 << 20;

    private final BiosRom rom;
    private final E820Map memoryMap;

    public BiosBoot(BiosRom rom, long ramBytes) {
        this.rom = rom;
        this.memoryMap = new E820Map(ramBytes);
    }

    public BiosRom rom() { return rom; }

    /** Only sizes the RAM: the ROM, not Flatland, tells the guest about memory. */
    @Override
    public E820Map memoryMap() { return memoryMap; }

    @Override
    public void load(PhysicalMemory ram, int[] comBases) {
        byte[] window = rom.isaWindow();
        ram.load(ONE_MIB - window.length, window, 0, window.length);
    }

    /** Nothing: the reset state is where a ROM starts. */
    @Override
    public void enter(Cpu cpu) { }

    @Override
    public String loaderName() { return "BIOS"; }

    @Override
    public boolean standsInForFirmware() { return false; }
}
