package io.flatland.cpu;

/**
 * RDMSR/WRMSR (SDM Vol. 4 for the MSR indices). Only the MSRs this CPU model has are
 * backed by state. An index we do not model reads as 0 and ignores writes, which is what
 * the reference machine (QEMU 7.2 TCG, helper_rdmsr/helper_wrmsr default case) does;
 * {@link #UNKNOWN_MSR_FAULTS} switches to the SDM's #GP(0) instead.
 */
final class Msr {
    private Msr() { }

    static final int IA32_TIME_STAMP_COUNTER = 0x10, IA32_APIC_BASE = 0x1B, IA32_SYSENTER_CS = 0x174,
            IA32_SYSENTER_ESP = 0x175, IA32_SYSENTER_EIP = 0x176, IA32_MISC_ENABLE = 0x1A0,
            IA32_TSC_AUX = 0xC0000103;

    static final boolean UNKNOWN_MSR_FAULTS = false;

    /** IA32_MISC_ENABLE after reset: fast-string operations enabled (bit 0), as QEMU reports. */
    static final long MISC_ENABLE_RESET = 1;

    /** The time-stamp counter: virtual nanoseconds (see {@link Platform#nowNs}) plus the offset WRMSR set. */
    static long tsc(Cpu cpu) { return timeBase(cpu) + cpu.tscOffset; }

    /** What the TSC counts: the platform's virtual time, or retired instructions for a CPU without one (tests). */
    static long timeBase(Cpu cpu) { return cpu.platform == null ? cpu.icount : cpu.platform.nowNs(cpu); }

    static void rdmsr(Cpu cpu) {
        Privilege.requireCpl0(cpu);
        long v = switch (cpu.reg[Cpu.ECX]) {
            case IA32_TIME_STAMP_COUNTER -> tsc(cpu);
            case IA32_SYSENTER_CS -> cpu.sysenterCs & 0xFFFFFFFFL;
            case IA32_SYSENTER_ESP -> cpu.sysenterEsp & 0xFFFFFFFFL;
            case IA32_SYSENTER_EIP -> cpu.sysenterEip & 0xFFFFFFFFL;
            // Without a local APIC (isapc) the base MSR reads 0, as QEMU's CPU without one.
            case IA32_APIC_BASE -> cpu.apicBase == null ? 0 : cpu.apicBase.readBase();
            case IA32_MISC_ENABLE -> cpu.miscEnable;
            // Whatever the model: QEMU's helper_rdmsr/helper_wrmsr do not look at RDTSCP either.
            case IA32_TSC_AUX -> cpu.tscAux;
            default -> {
                int index = cpu.reg[Cpu.ECX];
                if (cpu.apicBase != null && cpu.apicBase.handles(index)) yield cpu.apicBase.rdmsr(index);
                if (UNKNOWN_MSR_FAULTS) throw cpu.fault(13, 0);
                yield 0;
            }
        };
        cpu.reg[Cpu.EAX] = (int) v;
        cpu.reg[Cpu.EDX] = (int) (v >>> 32);
    }

    static void wrmsr(Cpu cpu) {
        Privilege.requireCpl0(cpu);
        long v = (cpu.reg[Cpu.EAX] & 0xFFFFFFFFL) | (long) cpu.reg[Cpu.EDX] << 32;
        switch (cpu.reg[Cpu.ECX]) {
            case IA32_TIME_STAMP_COUNTER -> cpu.tscOffset = v - timeBase(cpu);
            case IA32_SYSENTER_CS -> cpu.sysenterCs = (int) v & 0xFFFF;
            case IA32_SYSENTER_ESP -> cpu.sysenterEsp = (int) v;
            case IA32_SYSENTER_EIP -> cpu.sysenterEip = (int) v;
            case IA32_APIC_BASE -> {
                if (cpu.apicBase != null) cpu.apicBase.writeBase(v);
            }
            case IA32_MISC_ENABLE -> cpu.miscEnable = v;
            case IA32_TSC_AUX -> cpu.tscAux = v;
            default -> {
                int index = cpu.reg[Cpu.ECX];
                if (cpu.apicBase != null && cpu.apicBase.handles(index)) cpu.apicBase.wrmsr(index, v);
                else if (UNKNOWN_MSR_FAULTS) throw cpu.fault(13, 0);
            }
        }
    }
}
