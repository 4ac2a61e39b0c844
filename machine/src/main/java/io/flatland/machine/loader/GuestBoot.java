package io.flatland.machine.loader;

import io.flatland.cpu.Cpu;
import io.flatland.mmu.PhysicalMemory;

/**
 * A prepared {@code -kernel} boot (Multiboot or Linux): what the firmware writes into RAM and
 * how it leaves the CPU. Kept by the machine so that a reset boots the same kernel again, as
 * QEMU's option ROMs do.
 */
public interface GuestBoot {
    /** The memory map the guest is told about; also sizes the machine's RAM. */
    E820Map memoryMap();

    /** Writes the image into RAM (again, after a reset); {@code comBases} are the serial ports present. */
    void load(PhysicalMemory ram, int[] comBases);

    /** Leaves a freshly reset CPU in the hand-over state: registers, segments, descriptor tables. */
    void enter(Cpu cpu);

    /** Which boot protocol this is, for logs ("Multiboot", "Linux"). */
    String loaderName();

    /**
     * Whether Flatland stands in for the firmware (QEMU's SeaBIOS) before this boot: the
     * devices and tables a BIOS leaves are set up for {@code -kernel} guests, not for a ROM of
     * the user's own ({@code -bios}), which starts from the power-on state and builds its own.
     */
    default boolean standsInForFirmware() { return true; }
}
