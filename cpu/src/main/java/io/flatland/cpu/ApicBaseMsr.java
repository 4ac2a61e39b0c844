package io.flatland.cpu;

/**
 * IA32_APIC_BASE (MSR 0x1B, SDM Vol. 3A §11.4.4) as the local APIC keeps it: the APIC's base
 * address, the global enable bit (11) and the BSP flag (8). The CPU forwards RDMSR and WRMSR
 * of the register to the machine's APIC, which it does not otherwise know.
 */
public interface ApicBaseMsr {
    long read();

    /** A WRMSR; the APIC decides which bits are writable (the guest cannot set reserved bits: #GP). */
    void write(long value);

    /** Whether {@code value} sets bits the register does not have (WRMSR then raises #GP(0)). */
    boolean reserved(long value);
}
