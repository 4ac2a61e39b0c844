package io.flatland.cpu;

/** Privilege checks of privileged and I/O-sensitive instructions (SDM Vol. 3A §5.9, Vol. 1 §19.5). */
final class Privilege {
    private Privilege() { }

    static void requireCpl0(Cpu cpu) {
        if (cpu.cpl != 0) throw cpu.fault(13, 0);
    }

    /**
     * IN/OUT/INS/OUTS: allowed in real mode, and in protected mode when CPL <= IOPL;
     * otherwise (and always in virtual-8086 mode) the TSS I/O bit map decides.
     */
    static void checkIo(Cpu cpu, int port, int size) {
        if (!cpu.protectedMode()) return;
        int iopl = (cpu.eflags & Cpu.IOPL) >>> 12;
        if ((cpu.eflags & Cpu.VM) == 0 && cpu.cpl <= iopl) return;
        if (!Tss.ioAllowed(cpu, port, size)) throw cpu.fault(13, 0);
    }
}
