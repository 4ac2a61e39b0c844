package io.flatland.cpu;

/**
 * The last few places the CPU ran, for a crash report: a ring of (EIP, instruction count,
 * kind). It is not a full trace: recording every instruction would slow the hot loops, so
 * the interpreter records each instruction its outer loop starts (which includes the first
 * instruction of every burst of simple instructions, but not the rest of the burst) and the
 * JIT's dispatcher records each translated region it enters. Between two entries the CPU
 * ran straight-line or translated code from the earlier one; the counts tell how much.
 */
public final class RecentEips {
    /** Entries kept; a power of two so that the index wraps with a mask. */
    public static final int SIZE = 32;
    /** What an entry's EIP is: an instruction the interpreter started, or a region the JIT entered. */
    public static final byte INTERPRETED = 0, REGION = 1;

    private final int[] eips = new int[SIZE];
    private final long[] counts = new long[SIZE];
    private final byte[] kinds = new byte[SIZE];
    private long recorded;

    /** Called on the engines' paths: three array stores, no allocation. */
    public void record(int eip, long icount, byte kind) {
        int i = (int) recorded & (SIZE - 1);
        eips[i] = eip;
        counts[i] = icount;
        kinds[i] = kind;
        recorded++;
    }

    /** Entries held now (at most {@link #SIZE}). */
    public int size() { return (int) Math.min(recorded, SIZE); }

    /** Index {@code k} counts from the oldest entry held (0) to the newest ({@code size() - 1}). */
    private int slot(int k) { return (int) (recorded - size() + k) & (SIZE - 1); }

    public int eip(int k) { return eips[slot(k)]; }

    public long icount(int k) { return counts[slot(k)]; }

    public byte kind(int k) { return kinds[slot(k)]; }
}
