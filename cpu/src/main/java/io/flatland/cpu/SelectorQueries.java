package io.flatland.cpu;

/**
 * LAR, LSL, VERR and VERW (SDM Vol. 2A/2B): they test a selector without faulting on it.
 * Each returns the value for the destination in the low 32 bits, or -1L when the
 * selector fails (the caller then clears ZF).
 */
final class SelectorQueries {
    private SelectorQueries() { }

    private static final long FAIL = -1L;

    /** False for a null selector or one beyond the table limit. */
    private static boolean valid(Cpu cpu, int selector) {
        DescriptorTables.requireProtectedMode(cpu);
        return (selector & 0xFFFC) != 0 && Segments.inTable(cpu, selector);
    }

    private static long fetch(Cpu cpu, int selector) {
        int addr = Segments.address(cpu, selector);
        return (cpu.readSys32(addr) & 0xFFFFFFFFL) | (long) cpu.readSys32(addr + 4) << 32;
    }

    /** Conforming code is visible from any ring; everything else needs DPL >= max(CPL, RPL). */
    private static boolean visible(Cpu cpu, int selector, int attr) {
        if (Descriptor.isConformingCode(attr)) return true;
        int dpl = Descriptor.dpl(attr);
        return dpl >= cpu.cpl && dpl >= (selector & 3);
    }

    static long lar(Cpu cpu, int selector) {
        if (!valid(cpu, selector & 0xFFFF)) return FAIL;
        long d = fetch(cpu, selector & 0xFFFF);
        int hi = (int) (d >>> 32);
        int attr = Descriptor.attr(hi);
        if (Descriptor.isSystem(attr)) {
            switch (Descriptor.type(attr)) {
                case Descriptor.TSS16_AVAIL, Descriptor.LDT, Descriptor.TSS16_BUSY, Descriptor.CALL_GATE16,
                     Descriptor.TASK_GATE, Descriptor.TSS32_AVAIL, Descriptor.TSS32_BUSY, Descriptor.CALL_GATE32 -> { }
                default -> { return FAIL; }
            }
        }
        if (!visible(cpu, selector, attr)) return FAIL;
        return hi & 0x00F0FF00L;
    }

    static long lsl(Cpu cpu, int selector) {
        if (!valid(cpu, selector & 0xFFFF)) return FAIL;
        long d = fetch(cpu, selector & 0xFFFF);
        int lo = (int) d;
        int hi = (int) (d >>> 32);
        int attr = Descriptor.attr(hi);
        if (Descriptor.isSystem(attr)) {
            switch (Descriptor.type(attr)) {
                case Descriptor.TSS16_AVAIL, Descriptor.LDT, Descriptor.TSS16_BUSY,
                     Descriptor.TSS32_AVAIL, Descriptor.TSS32_BUSY -> { }
                default -> { return FAIL; }
            }
        }
        if (!visible(cpu, selector, attr)) return FAIL;
        return Descriptor.limit(lo, hi) & 0xFFFFFFFFL;
    }

    static long verr(Cpu cpu, int selector) {
        if (!valid(cpu, selector & 0xFFFF)) return FAIL;
        long d = fetch(cpu, selector & 0xFFFF);
        int attr = Descriptor.attr((int) (d >>> 32));
        if (!Descriptor.isReadable(attr) || !visible(cpu, selector, attr)) return FAIL;
        return 1;
    }

    static long verw(Cpu cpu, int selector) {
        if (!valid(cpu, selector & 0xFFFF)) return FAIL;
        long d = fetch(cpu, selector & 0xFFFF);
        int attr = Descriptor.attr((int) (d >>> 32));
        if (!Descriptor.isWritableData(attr) || !visible(cpu, selector, attr)) return FAIL;
        return 1;
    }
}
