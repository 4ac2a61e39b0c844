package io.flatland.mmu;

/**
 * Physical addresses that are not RAM. Where no region is mapped, reads return 0 and writes
 * are dropped: QEMU's unassigned memory, so that, as there, a page-directory entry pointing
 * above RAM finds page-table entries that are not present (real hardware's open bus would
 * read all ones, which looks like present, writable pages).
 */
public class MmioBus {
    public interface Region {
        int read(int pa, int size);
        void write(int pa, int size, int value);
    }

    private long[] starts = new long[0];
    private long[] ends = new long[0];
    private Region[] regions = new Region[0];
    private long accesses;
    /**
     * Set by the JIT while translated code runs: an access to device memory then throws
     * {@link GuestFault#MMIO_TRAP} (the instruction has changed nothing yet) and the
     * interpreter runs the instruction again, with the instruction count and EIP exact at
     * it. A device register read (the APIC timer's current count) or write (an IPI) thus
     * happens at the same virtual time under both engines: QEMU's TCG gets the same from
     * ending its translation block at an I/O access under -icount.
     */
    public boolean trap;
    /** The machine's fault object, thrown for {@link #trap}. */
    GuestFault trapFault;
    private long traps;
    /** {@code -d guest_errors} (null: off): accesses where nothing is mapped. */
    public GuestLog log;

    public void map(long start, long length, Region region) {
        int n = regions.length;
        starts = java.util.Arrays.copyOf(starts, n + 1);
        ends = java.util.Arrays.copyOf(ends, n + 1);
        regions = java.util.Arrays.copyOf(regions, n + 1);
        starts[n] = start;
        ends[n] = start + length;
        regions[n] = region;
    }

    public int read(int pa, int size) {
        if (trap) throw trap(pa);
        accesses++;
        long a = pa & 0xFFFFFFFFL;
        for (int i = 0; i < regions.length; i++) {
            if (a >= starts[i] && a < ends[i]) return regions[i].read(pa, size);
        }
        if (log != null) log.line(String.format("guest_errors: read of unassigned memory at %08x, size %d (reads 0)", pa, size));
        return 0;
    }

    public void write(int pa, int size, int value) {
        if (trap) throw trap(pa);
        accesses++;
        long a = pa & 0xFFFFFFFFL;
        for (int i = 0; i < regions.length; i++) {
            if (a >= starts[i] && a < ends[i]) { regions[i].write(pa, size, value); return; }
        }
        if (log != null) {
            log.line(String.format("guest_errors: write of unassigned memory at %08x, size %d, value %0" + 2 * size + "x (dropped)",
                    pa, size, value));
        }
    }

    private GuestFault trap(int pa) {
        traps++;
        return trapFault.set(GuestFault.MMIO_TRAP, GuestFault.NO_ERROR_CODE, pa);
    }

    public long accesses() { return accesses; }

    /** Accesses from translated code handed to the interpreter ({@link #trap}). */
    public long traps() { return traps; }
}
