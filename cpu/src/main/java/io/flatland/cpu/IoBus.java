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
    /** What unclaimed ports reach: {@link #OPEN_BUS}, or a logging open bus ({@link #logUnassigned}). */
    private IoDevice unassigned = OPEN_BUS;

    public IoBus() {
        java.util.Arrays.fill(ports, OPEN_BUS);
    }

    public void register(int first, int count, IoDevice device) {
        for (int p = first; p < first + count; p++) ports[p & 0xFFFF] = device;
    }

    /** Gives ports back to the open bus (a PCI I/O BAR moved or was disabled). */
    public void unregister(int first, int count) {
        for (int p = first; p < first + count; p++) ports[p & 0xFFFF] = unassigned;
    }

    public boolean claimed(int port) { return ports[port & 0xFFFF] != unassigned; }

    /**
     * {@code -d guest_errors}: unclaimed ports (now and later) behave as before and write one
     * line per access. Nothing changes on the dispatch path: only which device the empty slots hold.
     */
    public void logUnassigned(io.flatland.mmu.GuestLog log) {
        IoDevice logging = new IoDevice() {
            @Override public int in(int port, int size) {
                int v = OPEN_BUS.in(port, size);
                log.line(String.format("guest_errors: IN from unassigned port %04x, size %d (reads %0" + 2 * size + "x)", port, size, v));
                return v;
            }

            @Override public void out(int port, int size, int value) {
                log.line(String.format("guest_errors: OUT to unassigned port %04x, size %d, value %0" + 2 * size + "x (dropped)",
                        port, size, value));
            }
        };
        for (int p = 0; p < ports.length; p++) if (ports[p] == unassigned) ports[p] = logging;
        unassigned = logging;
    }

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
