package io.flatland.machine.devices;

import io.flatland.cpu.IoDevice;

/**
 * QEMU's pc-testdev (hw/misc/pc-testdev.c) as kvm-unit-tests uses it on pc and isapc: ports
 * 0xE0-0xE3 are four bytes of scratch storage that read back what was written, at any width
 * and offset (the emulator and realmode tests check port I/O emulation with them, e.g.
 * {@code rep insb}); a dword written to 0xE4 asks QEMU to "flush" a guest page (it
 * re-protects the page on the host so that KVM notices later accesses; eventinj uses it),
 * which changes nothing a guest can see, so here it is accepted and ignored. QEMU's other
 * pc-testdev parts (the IRQ ports at 0x2000 and the scratch MMIO at 0xFF000000) are used by
 * no kvm-unit-tests x86 test and are not provided.
 */
public final class PcTestdev implements IoDevice, Device {
    public static final int IOPORT = 0xE0, FLUSH_PAGE = 0xE4;
    private final byte[] scratch = new byte[4];

    @Override
    public void attach(Wiring w) {
        w.io().register(IOPORT, 4, this);
        w.io().register(FLUSH_PAGE, 4, this);
    }

    /** QEMU keeps the scratch bytes across a reset (the device has no reset handler). */
    @Override
    public void reset() { }

    @Override
    public int in(int port, int size) {
        if (port >= FLUSH_PAGE) return size == 4 ? -1 : (1 << (8 * size)) - 1;
        int v = 0;
        for (int i = 0; i < size && port - IOPORT + i < 4; i++) v |= (scratch[port - IOPORT + i] & 0xFF) << (8 * i);
        return v;
    }

    @Override
    public void out(int port, int size, int value) {
        if (port >= FLUSH_PAGE) return;
        for (int i = 0; i < size && port - IOPORT + i < 4; i++) scratch[port - IOPORT + i] = (byte) (value >>> (8 * i));
    }
}
