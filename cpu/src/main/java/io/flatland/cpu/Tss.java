package io.flatland.cpu;

/**
 * The parts of the task-state segment the processor reads without a task switch: the
 * inner-ring stack pointers (SDM Vol. 3A §7.2.1, Figures 7-2 and 7-11) and the I/O
 * permission bit map (Vol. 1 §19.5.2). TSS reads are implicit supervisor accesses.
 */
final class Tss {
    private Tss() { }

    static boolean is32(Cpu cpu) { return (cpu.trAttr & 8) != 0; }

    /**
     * SS:ESP for ring {@code dpl}, as {@code (long) ss << 32 | esp}. A TSS too short to hold
     * them is #TS(TR selector | ext).
     */
    static long innerStack(Cpu cpu, int dpl, int ext) {
        int trErr = (cpu.trSel & 0xFFFC) | ext;
        if (!Descriptor.present(cpu.trAttr)) throw cpu.fault(Segments.TS, trErr);
        long limit = cpu.trLimit & 0xFFFFFFFFL;
        if (is32(cpu)) {
            int off = 4 + 8 * dpl;                 // ESPn at 4+8n, SSn at 8+8n
            if (off + 7L > limit) throw cpu.fault(Segments.TS, trErr);
            int esp = cpu.readSys32(cpu.trBase + off);
            int ss = cpu.readSys16(cpu.trBase + off + 4) & 0xFFFF;
            return (long) ss << 32 | (esp & 0xFFFFFFFFL);
        }
        int off = 2 + 4 * dpl;                     // SPn at 2+4n, SSn at 4+4n
        if (off + 3L > limit) throw cpu.fault(Segments.TS, trErr);
        int sp = cpu.readSys16(cpu.trBase + off) & 0xFFFF;
        int ss = cpu.readSys16(cpu.trBase + off + 2) & 0xFFFF;
        return (long) ss << 32 | sp;
    }

    /**
     * True when every bit for ports {@code port .. port+size-1} in the I/O bit map is clear.
     * The processor always reads two bytes of the map, so both must be inside the TSS limit
     * (which is why the map is followed by a 0xFF byte). A 16-bit TSS has no bit map.
     */
    static boolean ioAllowed(Cpu cpu, int port, int size) {
        if (!Descriptor.present(cpu.trAttr) || !is32(cpu)) return false;
        long limit = cpu.trLimit & 0xFFFFFFFFL;
        if (0x67 > limit) return false;
        int mapBase = cpu.readSys16(cpu.trBase + 0x66) & 0xFFFF;
        long byteOff = mapBase + ((port & 0xFFFF) >>> 3);
        if (byteOff + 1 > limit) return false;
        int bits = cpu.readSys16(cpu.trBase + (int) byteOff) & 0xFFFF;
        int mask = (1 << size) - 1;
        return ((bits >>> (port & 7)) & mask) == 0;
    }
}
