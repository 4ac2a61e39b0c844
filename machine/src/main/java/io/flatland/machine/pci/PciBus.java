package io.flatland.machine.pci;

import io.flatland.cpu.IoDevice;
import io.flatland.machine.devices.Device;
import io.flatland.machine.devices.Wiring;

/**
 * PCI configuration mechanism #1 (PCI local bus spec 3.2.2.3.2) on bus 0: a dword written
 * to 0xCF8 (enable bit 31, bus 23-16, device 15-11, function 10-8, register 7-2) chooses what
 * 0xCFC-0xCFF read and write, in bytes, words or dwords. An absent function, another bus, or
 * the enable bit clear reads all ones and drops writes. 0xCF8 reads back the last dword
 * written; narrower accesses to 0xCF8-0xCFB read 0 and are ignored (what QEMU's pc answers
 * at 0xCFB; 0xCF9 is PIIX3's reset control there, which Flatland does not have).
 */
public final class PciBus implements IoDevice, Device {
    public static final int ADDRESS = 0xCF8, DATA = 0xCFC;

    /** Functions of bus 0 by device << 3 | function. */
    private final PciFunction[] functions = new PciFunction[256];
    private int address;

    /** Puts {@code f} at 00:{@code device}.{@code function}. */
    public void add(int device, int function, PciFunction f) {
        functions[device << 3 | function] = f;
    }

    public PciFunction function(int device, int function) {
        return functions[device << 3 | function];
    }

    @Override
    public void attach(Wiring w) {
        w.io().register(ADDRESS, 8, this);
    }

    @Override
    public void reset() {
        address = 0;
        for (PciFunction f : functions) if (f != null) f.reset();
    }

    /** The function 0xCF8 selects, or null (nothing, or not enabled, or not bus 0). */
    private PciFunction selected() {
        if (address >= 0 || (address & 0x00FF_0000) != 0) return null;
        return functions[(address >>> 8) & 0xFF];
    }

    @Override
    public int in(int port, int size) {
        if (port < DATA) return port == ADDRESS && size == 4 ? address : 0;
        PciFunction f = selected();
        if (f == null || (port & 3) + size > 4) return size == 4 ? -1 : (1 << (8 * size)) - 1;
        return f.read((address & 0xFC) | (port & 3), size);
    }

    @Override
    public void out(int port, int size, int value) {
        if (port < DATA) {
            if (port == ADDRESS && size == 4) address = value;
            return;
        }
        PciFunction f = selected();
        if (f != null && (port & 3) + size <= 4) f.write((address & 0xFC) | (port & 3), size, value);
    }
}
