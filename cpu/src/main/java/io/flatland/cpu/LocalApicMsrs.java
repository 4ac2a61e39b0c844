package io.flatland.cpu;

/**
 * The MSRs a local APIC answers (SDM Vol. 3A §11.4.4, §11.12): IA32_APIC_BASE (0x1B: base
 * address, BSP flag, x2APIC and global enable), and, when the CPU model has the features, the
 * x2APIC registers (0x800-0x8FF) and IA32_TSC_DEADLINE (0x6E0). The CPU forwards RDMSR and
 * WRMSR of them to the machine's APIC, which it does not otherwise know; the APIC raises #GP
 * itself (through the CPU's fault) for accesses the SDM forbids.
 */
public interface LocalApicMsrs {
    int IA32_TSC_DEADLINE = 0x6E0, X2APIC_FIRST = 0x800, X2APIC_LAST = 0x8FF;

    long readBase();

    /** A WRMSR of IA32_APIC_BASE: #GP for reserved bits or a mode change the SDM forbids. */
    void writeBase(long value);

    /** Whether {@code msr} is one of this APIC's registers on this CPU model (besides the base). */
    boolean handles(int msr);

    long rdmsr(int msr);

    void wrmsr(int msr, long value);
}
