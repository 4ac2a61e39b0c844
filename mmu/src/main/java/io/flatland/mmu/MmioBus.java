package io.flatland.mmu;

/**
 * Physical addresses that are not RAM. Nothing is mapped yet by default, so reads return
 * open bus (all ones) and writes are dropped, as on a PC with nothing decoding the address.
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
        return size == 4 ? -1 : (1 << (8 * size)) - 1;
    }

    public void write(int pa, int size, int value) {
        accesses++;
        long a = pa & 0xFFFFFFFFL;
        for (int i = 0; i < regions.length; i++) {
            if (a >= starts[i] && a < ends[i]) { regions[i].write(pa, size, value); return; }
        }
    }

    public long accesses() { return accesses; }
}
