package io.flatland.jit;

import io.flatland.cpu.Cpu;
import io.flatland.mmu.PhysicalMemory;
import io.flatland.mmu.Tlb;

/**
 * The TLB probes translated code makes for memory operands in segments that are flat with
 * base 0 (the region's entry guard says so, {@link Block#flatSegs}): the linear address is
 * the offset, so an access is one tag compare and one off-heap access. The views and the
 * addends are the region's locals, read once on entry ({@link Cpu#readTags()}).
 *
 * <p>Each probe answers only where the interpreter's own path ({@code Cpu.readLin32} and its
 * kin) takes its fast path too, and otherwise calls that path, so page walks, statistics and
 * code-watch traps are the same either way. The tag compare covers the page crossing: the
 * page of the access's last byte must be the entry's page ({@code i} is the first byte's slot,
 * and the next page never has the same slot).
 */
public final class FastMem {
    private FastMem() { }

    private static final int PAGE = 0xFFFFF000;

    public static int read8(int[] tags, long[] addend, Cpu c, int lin) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (tags[i] == (lin & PAGE)) return PhysicalMemory.getByte(addend[i] + (lin & 0xFFFFFFFFL));
        return c.readLin8(lin);
    }

    public static int read16(int[] tags, long[] addend, Cpu c, int lin) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (tags[i] == ((lin + 1) & PAGE)) return PhysicalMemory.getShort(addend[i] + (lin & 0xFFFFFFFFL));
        return c.readLin16(lin);
    }

    public static int read32(int[] tags, long[] addend, Cpu c, int lin) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (tags[i] == ((lin + 3) & PAGE)) return PhysicalMemory.getInt(addend[i] + (lin & 0xFFFFFFFFL));
        return c.readLin32(lin);
    }

    public static void write8(int[] tags, long[] addend, Cpu c, int lin, int v) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (tags[i] == (lin & PAGE)) PhysicalMemory.putByte(addend[i] + (lin & 0xFFFFFFFFL), v);
        else c.writeLin8(lin, v);
    }

    public static void write16(int[] tags, long[] addend, Cpu c, int lin, int v) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (tags[i] == ((lin + 1) & PAGE)) PhysicalMemory.putShort(addend[i] + (lin & 0xFFFFFFFFL), v);
        else c.writeLin16(lin, v);
    }

    public static void write32(int[] tags, long[] addend, Cpu c, int lin, int v) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (tags[i] == ((lin + 3) & PAGE)) PhysicalMemory.putInt(addend[i] + (lin & 0xFFFFFFFFL), v);
        else c.writeLin32(lin, v);
    }

    /**
     * Host address of a read-modify-write operand of {@code size} bytes at {@code lin} in a flat
     * segment, or 0 when the slow path must run: the write view hits (so the page is writable,
     * dirty and holds no translated code) and the read view holds the same entry.
     */
    public static long rmwHost(int[] readTags, int[] writeTags, long[] addend, int lin, int size) {
        int i = (lin >>> 12) & Tlb.MASK;
        int page = (lin + size - 1) & PAGE;
        if (writeTags[i] != page || readTags[i] != page) return 0;
        return addend[i] + (lin & 0xFFFFFFFFL);
    }

    /** Host address of {@code size} bytes at {@code lin}, or 0 when the slow path must run (any segment). */
    public static long rmwHost(Cpu c, int lin, int size) {
        if ((lin & 0xFFF) > 0x1000 - size) return 0;        // crosses a page
        int i = c.writeSlot(lin);
        if (i < 0 || c.readSlot(lin) != i) return 0;
        return c.mmu.tlb.addend[i] + (lin & 0xFFFFFFFFL);
    }
}
