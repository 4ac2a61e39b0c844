package io.flatland.cpu;

/** The two architectural starting points: processor reset and a Multiboot loader's hand-over. */
final class MachineStates {
    private MachineStates() { }

    /** Real-mode segment attributes after reset (present, accessed; code is execute/read). */
    private static final int REAL_CODE_ATTR = 0x9B, REAL_DATA_ATTR = 0x93;

    /**
     * Flat 4 GiB, G=1, D/B=1, present. Data is accessed (loaded by MOV), code is not: QEMU's
     * far jump leaves the accessed bit clear (see {@link Segments#markAccessed}).
     */
    private static final int FLAT_CODE_ATTR = 0xC09A, FLAT_DATA_ATTR = 0xC093;

    /** Selectors of the GDT QEMU's Multiboot option ROM (pc-bios/optionrom/multiboot*.S) loads. */
    static final int MULTIBOOT_CS = 0x08, MULTIBOOT_DS = 0x10;

    /** SDM Vol. 3A §9.1.1, Table 9-1. */
    static void reset(Cpu cpu) {
        java.util.Arrays.fill(cpu.reg, 0);
        cpu.reg[Cpu.EDX] = cpu.cpuModel.signature();    // EDX holds the processor signature after reset
        cpu.mmu.setCr0(0x60000010);
        cpu.mmu.setCr3(0);
        cpu.mmu.setCr4(0);
        cpu.cr2 = 0;
        cpu.setCpl(0);
        Flags.set(cpu, 2);
        cpu.eip = 0xFFF0;
        for (int s = 0; s < 6; s++) Segments.setCache(cpu, s, 0, 0, 0xFFFF, REAL_DATA_ATTR);
        Segments.setCache(cpu, Cpu.CS, 0xF000, 0xFFFF0000, 0xFFFF, REAL_CODE_ATTR);
        cpu.gdtBase = 0;
        cpu.gdtLimit = 0xFFFF;
        cpu.idtBase = 0;
        cpu.idtLimit = 0xFFFF;
        cpu.ldtSel = 0;
        cpu.ldtBase = 0;
        cpu.ldtLimit = 0xFFFF;
        cpu.trSel = 0;
        cpu.trBase = 0;
        cpu.trLimit = 0xFFFF;
        cpu.trAttr = 0x8B;                          // present, busy 32-bit TSS, as QEMU's reset state
        java.util.Arrays.fill(cpu.dr, 0);
        cpu.dr[6] = ControlRegisters.DR6_FIXED;
        cpu.dr[7] = ControlRegisters.DR7_FIXED;
        cpu.sysenterCs = 0;
        cpu.sysenterEsp = 0;
        cpu.sysenterEip = 0;
        cpu.miscEnable = Msr.MISC_ENABLE_RESET;
        cpu.tscAux = 0;
        cpu.tscOffset = -Msr.timeBase(cpu);         // the TSC restarts from 0
        cpu.halted = false;
        cpu.nmiPending = false;
        cpu.nmiBlocked = false;
        cpu.interruptShadow = false;
    }

    /**
     * Multiboot hand-over (Multiboot spec §3.2) with the register values QEMU's option ROM
     * leaves (observed with a probe kernel under qemu-system-i386 7.2: CS 0x08, DS/ES/FS/GS/SS
     * 0x10, CR0 0x11, CR4 0, EFLAGS 0x002, IDTR 0/0x3FF, TR and LDTR 0). The GDTR is left as
     * it was: QEMU's (limit 0x27) points into its option ROM, which we do not have; the
     * Multiboot spec says the OS must load its own GDT before any segment load.
     */
    static void enterFlatProtectedMode(Cpu cpu) {
        enterFlatProtectedMode(cpu, MULTIBOOT_CS, MULTIBOOT_DS);
    }

    /**
     * The same state with other selectors in the segment registers (the Linux 32-bit boot
     * protocol wants CS 0x10 and data 0x18); the caller's GDT must describe them as flat.
     */
    static void enterFlatProtectedMode(Cpu cpu, int codeSelector, int dataSelector) {
        cpu.mmu.setCr0(ControlRegisters.CR0_PE | ControlRegisters.CR0_ET);
        cpu.mmu.setCr4(0);
        cpu.setCpl(0);
        Flags.set(cpu, 2);
        for (int s = 0; s < 6; s++) Segments.setCache(cpu, s, dataSelector, 0, -1, FLAT_DATA_ATTR);
        Segments.setCache(cpu, Cpu.CS, codeSelector, 0, -1, FLAT_CODE_ATTR);
        // The BIOS left its real-mode IVT in IDTR; QEMU's kernel sees base 0, limit 0x3FF.
        cpu.idtBase = 0;
        cpu.idtLimit = 0x3FF;
        cpu.halted = false;
        cpu.interruptShadow = false;
    }
}
