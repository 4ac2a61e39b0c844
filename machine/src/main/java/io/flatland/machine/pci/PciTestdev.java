package io.flatland.machine.pci;

import io.flatland.cpu.IoBus;
import io.flatland.cpu.IoDevice;

import java.nio.charset.StandardCharsets;

/**
 * QEMU's pci-testdev (1b36:0005, class 00ff00), which kvm-unit-tests uses to time and check
 * MMIO and port I/O exits (lib/pci-testdev.c, x86/vmexit.c). BAR0 is 4 KiB of memory, BAR1
 * 256 I/O ports; SeaBIOS puts them at 0xFEBFF000 and 0xC000 when it is 00:02.0 (-nodefaults).
 *
 * <p>Both BARs start with a test header: test number, width, pad, offset (dword), data,
 * count (dword), NUL-terminated name; reads past it return 0. Writing n (0-2) at offset 0
 * of a BAR selects that BAR's test n and zeroes its count, anything else deselects (every read
 * then returns 0). The three tests per BAR are "no-eventfd", "wildcard-eventfd" and
 * "datamatch-eventfd" (named "mmio-..." and "portio-..."), numbered 0-2 for memory and 3-5 for
 * I/O in the header; a test's offset is 0x800 + n (memory) or 0x80 + n (I/O) and its data
 * 0xFA, except wildcard's 0xCE.
 *
 * <p>Which writes count is what QEMU 7.2 under TCG does, as recorded by the platform probe:
 * a write that is not naturally aligned is dropped; the eventfd tests' writes the eventfd
 * takes never reach the device (datamatch: byte writes of the data; wildcard: byte writes of
 * any value, and on the memory BAR writes of any size); the device counts, at the test's
 * offset, writes of any value and size for wildcard, and byte writes of the data for the
 * others. The memory BAR hands the device each byte of a wider write separately. So
 * kvm-unit-tests' 16 byte writes of the data count 16 for no-eventfd and 0 for the others,
 * both of which it accepts.
 */
public final class PciTestdev extends PciFunction implements IoDevice {
    public static final int MEM_BAR_ADDRESS = 0xFEBFF000, IO_BAR_ADDRESS = 0xC000;
    public static final int MEM_SIZE = 4096, IO_SIZE = 256;
    private static final int TESTS_PER_BAR = 3, HEADER = 16;
    private static final String[] TESTS = {"no-eventfd", "wildcard-eventfd", "datamatch-eventfd"};

    /** Each test's header and name as the guest reads it; index type * 3 + n. */
    private final byte[][] headers = new byte[2 * TESTS_PER_BAR][];
    private final IoBus io;
    private int current = -1;
    private int count;
    /** Where the I/O BAR is registered on the port bus, or -1. */
    private int ioRegistered = -1;

    public PciTestdev(IoBus io) {
        super("pci-testdev", 0x1B36, 0x0005, 0x00, 0x00FF00);
        Piix.common(this);
        this.io = io;
        bar(0, MEM_SIZE, false, MEM_BAR_ADDRESS);
        bar(1, IO_SIZE, true, IO_BAR_ADDRESS);
        for (int t = 0; t < headers.length; t++) {
            String name = (t < TESTS_PER_BAR ? "mmio-" : "portio-") + TESTS[t % TESTS_PER_BAR];
            byte[] h = new byte[HEADER + name.length() + 1];
            h[0] = (byte) t;
            h[1] = 1;
            int offset = (t < TESTS_PER_BAR ? 0x800 : 0x80) + t;
            h[4] = (byte) offset;
            h[5] = (byte) (offset >> 8);
            h[8] = (byte) data(t);
            System.arraycopy(name.getBytes(StandardCharsets.US_ASCII), 0, h, HEADER, name.length());
            headers[t] = h;
        }
        mappingChanged();
    }

    private static int data(int test) { return test % TESTS_PER_BAR == 1 ? 0xCE : 0xFA; }

    private static int offset(int test) { return (test < TESTS_PER_BAR ? 0x800 : 0x80) + test; }

    @Override
    public void reset() {
        current = -1;
        count = 0;
        super.reset();
    }

    /** The I/O BAR follows its register and the command register's I/O enable. */
    @Override
    protected void mappingChanged() {
        long a = barAddress(1);
        int want = a < 0 || a + IO_SIZE > 0x10000 ? -1 : (int) a;
        if (want == ioRegistered || io == null) return;
        if (ioRegistered >= 0) io.unregister(ioRegistered, IO_SIZE);
        if (want >= 0) io.register(want, IO_SIZE, this);
        ioRegistered = want;
    }

    /** Reads {@code size} bytes at {@code offset} of a BAR's window (0 memory, 1 I/O). */
    public int barRead(int offset, int size) {
        if (current < 0) return 0;
        byte[] h = headers[current];
        int v = 0;
        for (int i = 0; i < size; i++) {
            int a = offset + i;
            int b = a >= 12 && a < 16 ? count >>> (8 * (a - 12)) : a < h.length ? h[a] : 0;
            v |= (b & 0xFF) << (8 * i);
        }
        return v;
    }

    /** A write to a BAR's window ({@code type} 0 memory, 1 I/O). */
    public void barWrite(int type, int offset, int size, int value) {
        if ((offset & (size - 1)) != 0) return;                      // unaligned: QEMU drops it
        if (current >= 0 && offset == offset(current) && eventfdTakes(type, size, value)) return;
        if (type == 1) {
            handle(type, offset, size, value);
        } else {
            for (int i = 0; i < size; i++) handle(type, offset + i, 1, (value >>> (8 * i)) & 0xFF);
        }
    }

    private boolean eventfdTakes(int type, int size, int value) {
        int n = current % TESTS_PER_BAR;
        if (n == 0) return false;
        if (n == 1) return size == 1 || type == 0;                    // wildcard: any data (any size on MMIO)
        return size == 1 && (value & 0xFF) == data(current);          // datamatch
    }

    private void handle(int type, int offset, int size, int value) {
        if (offset == 0) {
            current = value >= 0 && value < TESTS_PER_BAR ? type * TESTS_PER_BAR + value : -1;
            count = 0;
            return;
        }
        if (current < 0 || offset != offset(current)) return;
        boolean matchData = current % TESTS_PER_BAR != 1;
        if (matchData && (size != 1 || value != data(current))) return;
        count++;
    }

    @Override
    public int in(int port, int size) {
        return barRead(port - ioRegistered, size);
    }

    @Override
    public void out(int port, int size, int value) {
        barWrite(1, port - ioRegistered, size, value);
    }
}
