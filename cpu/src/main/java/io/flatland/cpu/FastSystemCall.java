package io.flatland.cpu;

/**
 * SYSENTER and SYSEXIT (SDM Vol. 2B). The segment caches are not read from the GDT: they
 * are loaded with fixed flat descriptors derived from IA32_SYSENTER_CS, so the OS must lay
 * out its GDT to match (CS, SS = CS+8, user CS = CS+16, user SS = CS+24).
 */
final class FastSystemCall {
    private FastSystemCall() { }

    /** Flat 4 GiB, G=1, D/B=1, present, accessed: execute/read code and read/write data. */
    private static final int CODE_ATTR = 0xC09B, DATA_ATTR = 0xC093;
    private static final int DPL3 = 3 << 5;

    static void sysenter(Cpu cpu) {
        int cs = cpu.sysenterCs & 0xFFFC;
        if (!cpu.protectedMode() || cs == 0) throw cpu.fault(13, 0);
        Flags.set(cpu, Flags.get(cpu) & ~(Cpu.VM | Cpu.IF | Cpu.RF));
        cpu.setCpl(0);
        Segments.setCache(cpu, Cpu.CS, cs, 0, -1, CODE_ATTR);
        Segments.setCache(cpu, Cpu.SS, (cs + 8) & 0xFFFC, 0, -1, DATA_ATTR);
        cpu.reg[Cpu.ESP] = cpu.sysenterEsp;
        cpu.eip = cpu.sysenterEip;
    }

    static void sysexit(Cpu cpu) {
        int cs = cpu.sysenterCs & 0xFFFF;
        if (!cpu.protectedMode() || (cpu.eflags & Cpu.VM) != 0 || cpu.cpl != 0 || (cs & 0xFFFC) == 0) {
            throw cpu.fault(13, 0);
        }
        cpu.setCpl(3);
        Segments.setCache(cpu, Cpu.CS, (cs + 16) | 3, 0, -1, CODE_ATTR | DPL3);
        Segments.setCache(cpu, Cpu.SS, (cs + 24) | 3, 0, -1, DATA_ATTR | DPL3);
        cpu.reg[Cpu.ESP] = cpu.reg[Cpu.ECX];
        cpu.eip = cpu.reg[Cpu.EDX];
    }
}
