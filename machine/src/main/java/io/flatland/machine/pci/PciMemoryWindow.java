package io.flatland.machine.pci;

import io.flatland.mmu.GuestLog;
import io.flatland.mmu.MmioBus;

/**
 * The part of the 32-bit PCI hole where SeaBIOS places memory BARs on QEMU's pc, from
 * 0xE0000000 up to the I/O APIC at 0xFEC00000: an access reaches the pci-testdev's BAR0 when
 * its memory space is enabled and the address falls inside it; elsewhere it reads 0 and drops
 * writes, as unassigned memory does. Mapped only when a function has a memory BAR.
 */
public final class PciMemoryWindow implements MmioBus.Region {
    public static final long START = 0xE000_0000L, END = 0xFEC0_0000L;
    private final PciTestdev testdev;
    private final MmioBus bus;

    public PciMemoryWindow(PciTestdev testdev, MmioBus bus) {
        this.testdev = testdev;
        this.bus = bus;
    }

    public void map() {
        bus.map(START, END - START, this);
    }

    private int offset(int pa) {
        long a = testdev.barAddress(0), p = pa & 0xFFFFFFFFL;
        return a >= 0 && p >= a && p < a + PciTestdev.MEM_SIZE ? (int) (p - a) : -1;
    }

    @Override
    public int read(int pa, int size) {
        int off = offset(pa);
        if (off >= 0) return testdev.barRead(off, size);
        GuestLog log = bus.log;
        if (log != null) log.line(String.format("guest_errors: read of unassigned memory at %08x, size %d (reads 0)", pa, size));
        return 0;
    }

    @Override
    public void write(int pa, int size, int value) {
        int off = offset(pa);
        if (off >= 0) {
            testdev.barWrite(0, off, size, value);
            return;
        }
        GuestLog log = bus.log;
        if (log != null) {
            log.line(String.format("guest_errors: write of unassigned memory at %08x, size %d, value %0" + 2 * size + "x (dropped)",
                    pa, size, value));
        }
    }
}
