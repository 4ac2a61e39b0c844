package io.flatland.mmu;

import org.agrona.UnsafeAccess;
import sun.misc.Unsafe;

import java.nio.ByteOrder;

/**
 * Guest RAM as one off-heap block. Every access through this class is bounds-checked:
 * a physical address below {@link #size()} hits RAM, anything above goes to the
 * {@link MmioBus} (which answers open bus, all ones, where nothing is mapped).
 *
 * <p>The software TLB hands out host addresses inside this block ({@link #hostAddress});
 * those are produced only for whole 4 KiB pages that lie inside RAM, so an access of at
 * most 4 bytes that does not cross a page stays inside the block by construction.
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

    private final long base;
    private final long size;
    private final MmioBus mmio;
    private boolean closed;

    public PhysicalMemory(long size, MmioBus mmio) {
        if (size < MIN_SIZE || size > MAX_SIZE || (size & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("RAM size must be a multiple of 4 KiB between 1 MiB and 3584 MiB: " + size);
        }
        this.size = size;
        this.mmio = mmio;
        this.base = U.allocateMemory(size);
        U.setMemory(base, size, (byte) 0);
    }

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
        return base + a;
    }

    /** Base of the block, for host-address arithmetic done by the TLB. */
    long base() { return base; }

    public int read8(int pa) {
        long a = pa & 0xFFFFFFFFL;
        if (a < size) return U.getByte(base + a) & 0xFF;
        return mmio.read(pa, 1) & 0xFF;
    }

    public int read16(int pa) {
        long a = pa & 0xFFFFFFFFL;
        if (a <= size - 2) return U.getShort(base + a) & 0xFFFF;
        if (a >= size) return mmio.read(pa, 2) & 0xFFFF;
        return read8(pa) | read8(pa + 1) << 8;
    }

    public int read32(int pa) {
        long a = pa & 0xFFFFFFFFL;
        if (a <= size - 4) return U.getInt(base + a);
        if (a >= size) return mmio.read(pa, 4);
        return read16(pa) | read16(pa + 2) << 16;
    }

    public void write8(int pa, int v) {
        long a = pa & 0xFFFFFFFFL;
        if (a < size) U.putByte(base + a, (byte) v);
        else mmio.write(pa, 1, v & 0xFF);
    }

    public void write16(int pa, int v) {
        long a = pa & 0xFFFFFFFFL;
        if (a <= size - 2) U.putShort(base + a, (short) v);
        else if (a >= size) mmio.write(pa, 2, v & 0xFFFF);
        else { write8(pa, v); write8(pa + 1, v >>> 8); }
    }

    public void write32(int pa, int v) {
        long a = pa & 0xFFFFFFFFL;
        if (a <= size - 4) U.putInt(base + a, v);
        else if (a >= size) mmio.write(pa, 4, v);
        else { write16(pa, v); write16(pa + 2, v >>> 16); }
    }

    /** Copies host bytes into guest RAM (loaders); fails instead of wrapping or touching MMIO. */
    public void load(long pa, byte[] data, int off, int len) {
        if (pa < 0 || len < 0 || pa + len > size) {
            throw new IndexOutOfBoundsException("does not fit in RAM: " + Long.toHexString(pa) + "+" + len);
        }
        U.copyMemory(data, Unsafe.ARRAY_BYTE_BASE_OFFSET + off, null, base + pa, len);
    }

    /** Copies guest RAM into a host array (tests, stats, dumps). */
    public void store(long pa, byte[] data, int off, int len) {
        if (pa < 0 || len < 0 || pa + len > size) {
            throw new IndexOutOfBoundsException("outside RAM: " + Long.toHexString(pa) + "+" + len);
        }
        U.copyMemory(null, base + pa, data, Unsafe.ARRAY_BYTE_BASE_OFFSET + off, len);
    }

    public void fill(long pa, long len, int value) {
        if (pa < 0 || len < 0 || pa + len > size) {
            throw new IndexOutOfBoundsException("outside RAM: " + Long.toHexString(pa) + "+" + len);
        }
        U.setMemory(base + pa, len, (byte) value);
    }

    /** Bulk copy inside RAM (REP MOVS fast path); both ranges must lie inside RAM. */
    public void copy(long src, long dst, long len) {
        if (src < 0 || dst < 0 || len < 0 || src + len > size || dst + len > size) {
            throw new IndexOutOfBoundsException("outside RAM");
        }
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
