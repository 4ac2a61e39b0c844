package io.flatland.jit;

import io.flatland.cpu.Cpu;

/**
 * The TLB probe translated code inlines for a read-modify-write operand: one host address
 * when the access needs no slow path, so the read and the write are plain off-heap
 * accesses. It answers only when the interpreter's own path (probeWrite, readLin, writeLin)
 * would take its fast paths too, so statistics, page walks and code-watch traps are the
 * same either way.
 */
public final class FastMem {
    private FastMem() { }

    /** Host address of {@code size} bytes at {@code lin}, or 0 when the slow path must run. */
    public static long rmwHost(Cpu c, int lin, int size) {
        if ((lin & 0xFFF) > 0x1000 - size) return 0;        // crosses a page
        int i = c.writeSlot(lin);
        if (i < 0 || c.readSlot(lin) != i) return 0;
        return c.mmu.tlb.addend[i] + (lin & 0xFFFFFFFFL);
    }
}
