package io.flatland.cpu;

/**
 * The 64 KiB x86 I/O port space. Unclaimed ports read as all ones and ignore writes,
 * as on a PC's ISA bus. Dispatch is one array read per access.
 */
public final class IoBus {
    private static final IoDevice OPEN_BUS = new IoDevice() {
        @Override public int in(int port, int size) { return size == 4 ? -1 : (1 << (8 * size)) - 1; }
        @Override public void out(int port, int size, int value) { }
    };

    private final IoDevice[] ports = new IoDevice[0x10000];
    private long operations;

    public IoBus() {
        java.util.Arrays.fill(ports, OPEN_BUS);
    }

    public void register(int first, int count, IoDevice device) {
        for (int p = first; p < first + count; p++) ports[p & 0xFFFF] = device;
    }

    public boolean claimed(int port) { return ports[port & 0xFFFF] != OPEN_BUS; }

    public int in(int port, int size) {
        operations++;
        int v = ports[port & 0xFFFF].in(port & 0xFFFF, size);
        return size == 4 ? v : v & ((1 << (8 * size)) - 1);
    }

    public void out(int port, int size, int value) {
        operations++;
        int v = size == 4 ? value : value & ((1 << (8 * size)) - 1);
        ports[port & 0xFFFF].out(port & 0xFFFF, size, v);
    }

    /** Number of IN/OUT operations so far (for --stats). */
    public long operations() { return operations; }
}
