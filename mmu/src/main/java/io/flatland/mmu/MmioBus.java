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
        accesses++;
        long a = pa & 0xFFFFFFFFL;
        for (int i = 0; i < regions.length; i++) {
            if (a >= starts[i] && a < ends[i]) return regions[i].read(pa, size);
        }
        if (log != null) log.line(String.format("guest_errors: read of unassigned memory at %08x, size %d (reads 0)", pa, size));
        return 0;
    }

    public void write(int pa, int size, int value) {
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

    public long accesses() { return accesses; }
}
