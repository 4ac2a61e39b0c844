package io.flatland.cpu;

import io.flatland.mmu.Mmu;

/**
 * MOV to/from CR0, CR2, CR3, CR4 and the debug registers, LMSW, CLTS and INVLPG
 * (SDM Vol. 3A §2.5, §17.2; Vol. 2B "MOV—Move to/from Control Registers"). Paging-related
 * writes go through {@link Mmu} so the TLB is flushed as the SDM requires.
 */
final class ControlRegisters {
    private ControlRegisters() { }

    private static final int GP = 13, UD = 6;

    static final int CR0_PE = 1, CR0_MP = 2, CR0_EM = 4, CR0_TS = 8, CR0_ET = 0x10, CR0_NE = 0x20,
            CR0_WP = 1 << 16, CR0_AM = 1 << 18, CR0_NW = 1 << 29, CR0_CD = 1 << 30, CR0_PG = 1 << 31;
    private static final int CR0_DEFINED = CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | CR0_AM
            | CR0_NW | CR0_CD | CR0_PG;

    static final int CR4_TSD = 1 << 2, CR4_DE = 1 << 3, CR4_PSE = 1 << 4, CR4_PGE = 1 << 7, CR4_PCE = 1 << 8,
            CR4_UMIP = 1 << 11, CR4_LA57 = 1 << 12, CR4_SMEP = Mmu.CR4_SMEP, CR4_SMAP = Mmu.CR4_SMAP;
    /** CR4 bits every model here may set. */
    private static final int CR4_BASE = CR4_TSD | CR4_DE | CR4_PSE | CR4_PGE | CR4_PCE;

    /**
     * CR4 bits of features this CPU has and reports in CPUID; setting any other bit is #GP(0)
     * (QEMU reserves the bits of the features its model lacks the same way).
     */
    static int cr4Supported(CpuModel m) {
        int s = CR4_BASE;
        if (m.reports(CpuFeature.UMIP)) s |= CR4_UMIP;
        if (m.reports(CpuFeature.LA57)) s |= CR4_LA57;
        if (m.reports(CpuFeature.SMEP)) s |= CR4_SMEP;
        if (m.reports(CpuFeature.SMAP)) s |= CR4_SMAP;
        return s;
    }

    static final int DR6_FIXED = 0xFFFF0FF0, DR7_FIXED = 0x400;

    static void movToCr(Cpu cpu, int n, int value) {
        Privilege.requireCpl0(cpu);
        switch (n) {
            case 0 -> writeCr0(cpu, value);
            case 2 -> cpu.cr2 = value;
            case 3 -> cpu.mmu.setCr3(value);
            case 4 -> {
                if ((value & ~cr4Supported(cpu.cpuModel)) != 0) throw cpu.fault(GP, 0);
                cpu.mmu.setCr4(value);
                cpu.updateViews();   // SMAP and SMEP choose the TLB views
            }
            default -> throw cpu.fault(UD, -1);
        }
    }

    static int movFromCr(Cpu cpu, int n) {
        Privilege.requireCpl0(cpu);
        return switch (n) {
            case 0 -> cpu.mmu.cr0();
            case 2 -> cpu.cr2;
            case 3 -> cpu.mmu.cr3();
            case 4 -> cpu.mmu.cr4();
            default -> throw cpu.fault(UD, -1);
        };
    }

    /** ET is hard-wired to 1 on every processor since the i486; reserved bits are ignored. */
    static void writeCr0(Cpu cpu, int value) {
        if ((value & CR0_PG) != 0 && (value & CR0_PE) == 0) throw cpu.fault(GP, 0);
        if ((value & CR0_NW) != 0 && (value & CR0_CD) == 0) throw cpu.fault(GP, 0);
        value = (value & CR0_DEFINED) | CR0_ET;
        boolean peChanged = ((cpu.mmu.cr0() ^ value) & CR0_PE) != 0;
        cpu.mmu.setCr0(value);
        if (peChanged) {
            // Real mode runs at privilege 0 and checks no segment types: the fast-path flags change meaning.
            if ((value & CR0_PE) == 0) cpu.setCpl(0);
            Segments.updateAllFlat(cpu);
        }
    }

    /** LMSW loads only PE, MP, EM and TS, and cannot clear PE (SDM Vol. 2A "LMSW"). */
    static void lmsw(Cpu cpu, int value) {
        Privilege.requireCpl0(cpu);
        int cr0 = cpu.mmu.cr0();
        writeCr0(cpu, (cr0 & ~0xF) | (value & 0xF) | (cr0 & CR0_PE));
    }

    static void clts(Cpu cpu) {
        Privilege.requireCpl0(cpu);
        cpu.mmu.setCr0(cpu.mmu.cr0() & ~CR0_TS);
    }

    static void invlpg(Cpu cpu, int linear) {
        Privilege.requireCpl0(cpu);
        cpu.mmu.invlpg(linear);
    }

    /** DR4/DR5 are aliases of DR6/DR7 unless CR4.DE makes them reserved (#UD). */
    private static int debugIndex(Cpu cpu, int n) {
        if (n == 4 || n == 5) {
            if ((cpu.mmu.cr4() & CR4_DE) != 0) throw cpu.fault(UD, -1);
            return n + 2;
        }
        if (n < 0 || n > 7) throw cpu.fault(UD, -1);
        return n;
    }

    static void movToDr(Cpu cpu, int n, int value) {
        Privilege.requireCpl0(cpu);
        int i = debugIndex(cpu, n);
        if (i == 6) value |= DR6_FIXED;
        else if (i == 7) value |= DR7_FIXED;
        cpu.dr[i] = value;
    }

    static int movFromDr(Cpu cpu, int n) {
        Privilege.requireCpl0(cpu);
        return cpu.dr[debugIndex(cpu, n)];
    }
}
