package io.flatland.mmu;

import org.agrona.UnsafeAccess;
import sun.misc.Unsafe;

import java.nio.ByteOrder;

/**
 * Guest RAM as one off-heap block. Every access through this class is bounds-checked:
 * a physical address below {@link #size()} hits RAM, anything above goes to the
 * {@link MmioBus} (which reads 0 and drops writes where nothing is mapped, as QEMU does).
 *
 * <p>The software TLB hands out host addresses inside this block ({@link #hostAddress});
 * those are produced only for whole 4 KiB pages that lie inside RAM, so an access of at
 * most 4 bytes that does not cross a page stays inside the block by construction.
 *
 * <p>RAM is reserved, not committed: the block is never cleared as a whole (3.5 GiB took
 * seconds and all of it became resident). Each 64 KiB chunk is zeroed the first time this
 * class touches it or hands out a host address inside it, which a small bitmap records, so
 * the host commits only what the guest uses and the guest sees zeros without relying on
 * the allocator. The TLB fast path needs no check: its host addresses all come from
 * {@link #hostAddress}, which materializes the chunk first.
 */
public final class PhysicalMemory implements AutoCloseable {
    public static final long MIN_SIZE = 1L << 20;          // 1 MiB: below that nothing boots
    public static final long MAX_SIZE = 3584L << 20;        // 3.5 GiB, the rest of 4 GiB is MMIO space
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    static final Unsafe U = UnsafeAccess.UNSAFE;

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("Flatland needs a little-endian host");
        }
    }

    /** log2 of the materialization unit: 64 KiB, sixteen pages zeroed at once. */
    static final int CHUNK_SHIFT = 16;
    static final long CHUNK_SIZE = 1L << CHUNK_SHIFT;

    private final long base;
    private final long size;
    private final MmioBus mmio;
    /** Bit c set: chunk c has been zeroed (or wholly overwritten) and may be used as is. */
    private final long[] materialized;
    private int materializedChunks;
    private boolean closed;

    public PhysicalMemory(long size, MmioBus mmio) {
        this(size, mmio, false);
    }

    /**
     * @param dirty fill the block with garbage first (tests: what a non-zeroing allocator
     *              may return must never be visible to the guest)
     */
    PhysicalMemory(long size, MmioBus mmio, boolean dirty) {
        if (size < MIN_SIZE || size > MAX_SIZE || (size & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("RAM size must be a multiple of 4 KiB between 1 MiB and 3584 MiB: " + size);
        }
        this.size = size;
        this.mmio = mmio;
        long chunks = (size + CHUNK_SIZE - 1) >>> CHUNK_SHIFT;
        this.materialized = new long[(int) ((chunks + 63) >>> 6)];
        try {
            this.base = U.allocateMemory(size);
        } catch (OutOfMemoryError e) {
            throw new OutOfMemoryError("cannot reserve " + (size >> 20) + " MiB of host memory for guest RAM");
        }
        if (dirty) U.setMemory(base, size, (byte) 0xA5);
    }

    /** Zeroes the chunks of [a, a + len) that were never used (len > 0, inside RAM). */
    private void touch(long a, long len) {
        int first = (int) (a >>> CHUNK_SHIFT), last = (int) ((a + len - 1) >>> CHUNK_SHIFT);
        for (int c = first; c <= last; c++) {
            if ((materialized[c >>> 6] & (1L << c)) == 0) materialize(c, true);
        }
    }

    private void materialize(int c, boolean zero) {
        if (zero) {
            long start = (long) c << CHUNK_SHIFT;
            U.setMemory(base + start, Math.min(CHUNK_SIZE, size - start), (byte) 0);
        }
        materialized[c >>> 6] |= 1L << c;
        materializedChunks++;
    }

    /**
     * Before [a, a + len) is overwritten entirely: chunks the range covers completely are
     * marked as used without being zeroed (the write fills them), partial ones are zeroed.
     */
    private void touchForOverwrite(long a, long len) {
        int first = (int) (a >>> CHUNK_SHIFT), last = (int) ((a + len - 1) >>> CHUNK_SHIFT);
        for (int c = first; c <= last; c++) {
            if ((materialized[c >>> 6] & (1L << c)) != 0) continue;
            long start = (long) c << CHUNK_SHIFT, end = Math.min(start + CHUNK_SIZE, size);
            materialize(c, start < a || end > a + len);
        }
    }

    /** 64 KiB chunks of RAM in use so far (the rest is reserved address space only). */
    public int materializedChunks() { return materializedChunks; }

    public long size() { return size; }

    public int pages() { return (int) (size >>> PAGE_SHIFT); }

    public MmioBus mmio() { return mmio; }

    /** True if the whole 4 KiB page holding {@code pa} is RAM. */
    public boolean isRamPage(int pa) {
        return (pa & 0xFFFFFFFFL) < size;
    }

    /**
     * Host address of a RAM page. Callers (the TLB) must have checked {@link #isRamPage};
     * the check is repeated because a wrong host address would corrupt the JVM.
     */
    public long hostAddress(int paPage) {
        long a = paPage & 0xFFFFF000L;
        if (a >= size) throw new IllegalStateException("not a RAM page: " + Integer.toHexString(paPage));
        touch(a, PAGE_SIZE);
        return base + a;
    }

    /** Base of the block, for host-address arithmetic done by the TLB. */
    long base() { return base; }

    public int read8(int pa) {
        long a = pa & 0xFFFFFFFFL;
        if (a < size) {
            touch(a, 1);
            return U.getByte(base + a) & 0xFF;
        }
        return mmio.read(pa, 1) & 0xFF;
    }

    public int read16(int pa) {
        long a = pa & 0xFFFFFFFFL;
        if (a <= size - 2) {
            touch(a, 2);
            return U.getShort(base + a) & 0xFFFF;
        }
        if (a >= size) return mmio.read(pa, 2) & 0xFFFF;
        return read8(pa) | read8(pa + 1) << 8;
    }

    public int read32(int pa) {
        long a = pa & 0xFFFFFFFFL;
        if (a <= size - 4) {
            touch(a, 4);
            return U.getInt(base + a);
        }
        if (a >= size) return mmio.read(pa, 4);
        return read16(pa) | read16(pa + 2) << 16;
    }

    public void write8(int pa, int v) {
        long a = pa & 0xFFFFFFFFL;
        if (a < size) {
            touch(a, 1);
            U.putByte(base + a, (byte) v);
        } else {
            mmio.write(pa, 1, v & 0xFF);
        }
    }

    public void write16(int pa, int v) {
        long a = pa & 0xFFFFFFFFL;
        if (a <= size - 2) {
            touch(a, 2);
            U.putShort(base + a, (short) v);
        } else if (a >= size) mmio.write(pa, 2, v & 0xFFFF);
        else { write8(pa, v); write8(pa + 1, v >>> 8); }
    }

    public void write32(int pa, int v) {
        long a = pa & 0xFFFFFFFFL;
        if (a <= size - 4) {
            touch(a, 4);
            U.putInt(base + a, v);
        } else if (a >= size) mmio.write(pa, 4, v);
        else { write16(pa, v); write16(pa + 2, v >>> 16); }
    }

    /** Copies host bytes into guest RAM (loaders); fails instead of wrapping or touching MMIO. */
    public void load(long pa, byte[] data, int off, int len) {
        if (pa < 0 || len < 0 || pa + len > size) {
            throw new IndexOutOfBoundsException("does not fit in RAM: " + Long.toHexString(pa) + "+" + len);
        }
        if (len == 0) return;
        touchForOverwrite(pa, len);
        U.copyMemory(data, Unsafe.ARRAY_BYTE_BASE_OFFSET + off, null, base + pa, len);
    }

    /** Copies guest RAM into a host array (tests, stats, dumps). */
    public void store(long pa, byte[] data, int off, int len) {
        if (pa < 0 || len < 0 || pa + len > size) {
            throw new IndexOutOfBoundsException("outside RAM: " + Long.toHexString(pa) + "+" + len);
        }
        if (len == 0) return;
        touch(pa, len);
        U.copyMemory(null, base + pa, data, Unsafe.ARRAY_BYTE_BASE_OFFSET + off, len);
    }

    public void fill(long pa, long len, int value) {
        if (pa < 0 || len < 0 || pa + len > size) {
            throw new IndexOutOfBoundsException("outside RAM: " + Long.toHexString(pa) + "+" + len);
        }
        if (len == 0) return;
        touchForOverwrite(pa, len);
        U.setMemory(base + pa, len, (byte) value);
    }

    /** Bulk copy inside RAM (REP MOVS fast path); both ranges must lie inside RAM. */
    public void copy(long src, long dst, long len) {
        if (src < 0 || dst < 0 || len < 0 || src + len > size || dst + len > size) {
            throw new IndexOutOfBoundsException("outside RAM");
        }
        if (len == 0) return;
        touch(src, len);
        touchForOverwrite(dst, len);
        U.copyMemory(base + src, base + dst, len);
    }

    // Raw accessors for host addresses produced by the TLB. They are only valid for
    // addresses returned by hostAddress(...) plus an in-page offset.
    public static int getByte(long host) { return U.getByte(host) & 0xFF; }
    public static int getShort(long host) { return U.getShort(host) & 0xFFFF; }
    public static int getInt(long host) { return U.getInt(host); }
    public static void putByte(long host, int v) { U.putByte(host, (byte) v); }
    public static void putShort(long host, int v) { U.putShort(host, (short) v); }
    public static void putInt(long host, int v) { U.putInt(host, v); }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            U.freeMemory(base);
        }
    }
}
