package io.flatland.cpu;

/** LGDT, LIDT, LLDT and LTR (SDM Vol. 2A/2B). */
final class DescriptorTables {
    private DescriptorTables() { }

    private static final int GP = 13, NP = 11, UD = 6;

    /** With a 16-bit operand size only 24 bits of the base are loaded (the 80286 format). */
    static void lgdt(Cpu cpu, int base, int limit, boolean op32) {
        Privilege.requireCpl0(cpu);
        cpu.gdtBase = op32 ? base : base & 0xFFFFFF;
        cpu.gdtLimit = limit & 0xFFFF;
    }

    static void lidt(Cpu cpu, int base, int limit, boolean op32) {
        Privilege.requireCpl0(cpu);
        cpu.idtBase = op32 ? base : base & 0xFFFFFF;
        cpu.idtLimit = limit & 0xFFFF;
    }

    static void requireProtectedMode(Cpu cpu) {
        if (!cpu.protectedMode() || (cpu.eflags & Cpu.VM) != 0) throw cpu.fault(UD, -1);
    }

    static void lldt(Cpu cpu, int selector) {
        requireProtectedMode(cpu);
        Privilege.requireCpl0(cpu);
        selector &= 0xFFFF;
        if ((selector & 0xFFFC) == 0) {
            // A null LDTR makes every later LDT reference fault.
            cpu.ldtSel = selector;
            cpu.ldtBase = 0;
            cpu.ldtLimit = 0;
            return;
        }
        if ((selector & 4) != 0) throw cpu.fault(GP, selector & 0xFFFC);
        int addr = Segments.checkedAddress(cpu, selector, GP, 0);
        int lo = cpu.readSys32(addr);
        int hi = cpu.readSys32(addr + 4);
        int attr = Descriptor.attr(hi);
        if ((attr & 0x1F) != Descriptor.LDT) throw cpu.fault(GP, selector & 0xFFFC);
        if (!Descriptor.present(attr)) throw cpu.fault(NP, selector & 0xFFFC);
        cpu.ldtSel = selector;
        cpu.ldtBase = Descriptor.base(lo, hi);
        cpu.ldtLimit = Descriptor.limit(lo, hi);
    }

    static void ltr(Cpu cpu, int selector) {
        requireProtectedMode(cpu);
        Privilege.requireCpl0(cpu);
        selector &= 0xFFFF;
        if ((selector & 0xFFFC) == 0) throw cpu.fault(GP, 0);
        if ((selector & 4) != 0) throw cpu.fault(GP, selector & 0xFFFC);
        int addr = Segments.checkedAddress(cpu, selector, GP, 0);
        int lo = cpu.readSys32(addr);
        int hi = cpu.readSys32(addr + 4);
        int attr = Descriptor.attr(hi);
        int type = attr & 0x1F;
        if (type != Descriptor.TSS16_AVAIL && type != Descriptor.TSS32_AVAIL) throw cpu.fault(GP, selector & 0xFFFC);
        if (!Descriptor.present(attr)) throw cpu.fault(NP, selector & 0xFFFC);
        hi |= 0x200;                                    // busy: a second LTR of it now faults
        cpu.writeSys32(addr + 4, hi);
        cpu.trSel = selector;
        cpu.trBase = Descriptor.base(lo, hi);
        cpu.trLimit = Descriptor.limit(lo, hi);
        cpu.trAttr = Descriptor.attr(hi);
    }
}
