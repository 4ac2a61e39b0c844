package io.flatland.cpu;

/**
 * CPUID (SDM Vol. 2A, Table 3-8 onward). Identity as QEMU's default {@code qemu32} model
 * (GenuineIntel, family 6 model 6 stepping 3, brand "QEMU Virtual CPU version 2.5+"),
 * but the feature bits are only those this emulator really implements: no PAE, APIC,
 * MCE, PAT, MMX, SSE or FXSR, which qemu32 does report.
 */
final class CpuidModel {
    private CpuidModel() { }

    /** Highest basic leaf. Leaves 2 and 4 (cache descriptors) are not modelled, so we stop at 1. */
    static final int MAX_BASIC = 1;
    static final int MAX_EXTENDED = 0x80000004;

    /** Family 6, model 6, stepping 3 (EAX layout of leaf 1). */
    static final int SIGNATURE = 6 << 8 | 6 << 4 | 3;

    // CPUID.01H:EDX bit positions, SDM Vol. 2A Table 3-11.
    static final int FPU = 1, DE = 1 << 2, PSE = 1 << 3, TSC = 1 << 4, MSR = 1 << 5, CX8 = 1 << 8,
            APIC = 1 << 9, SEP = 1 << 11, PGE = 1 << 13, CMOV = 1 << 15;
    static final int FEATURES_EDX = FPU | DE | PSE | TSC | MSR | CX8 | SEP | PGE | CMOV;

    private static final String VENDOR = "GenuineIntel";
    private static final String BRAND = "QEMU Virtual CPU version 2.5+";

    static void cpuid(Cpu cpu) {
        int leaf = cpu.reg[Cpu.EAX];
        int a = 0, b = 0, c = 0, d = 0;
        if (Integer.compareUnsigned(leaf, 0x80000000) >= 0) {
            // Beyond the highest extended leaf Intel CPUs answer with the highest basic leaf.
            if (Integer.compareUnsigned(leaf, MAX_EXTENDED) > 0) leaf = MAX_BASIC;
        } else if (leaf > MAX_BASIC) {
            leaf = MAX_BASIC;
        }
        switch (leaf) {
            case 0 -> {
                a = MAX_BASIC;
                b = chars(VENDOR, 0);
                d = chars(VENDOR, 4);
                c = chars(VENDOR, 8);
            }
            case 1 -> {
                a = SIGNATURE;
                b = 8 << 8;                 // CLFLUSH line size field (8 x 8 bytes), APIC ID 0, as QEMU
                d = FEATURES_EDX;
                // The APIC bit follows the local APIC's global enable (absent on isapc).
                if (cpu.apicBase != null && (cpu.apicBase.read() & (1 << 11)) != 0) d |= APIC;
            }
            case 0x80000000 -> a = MAX_EXTENDED;
            case 0x80000001 -> { }
            case 0x80000002, 0x80000003, 0x80000004 -> {
                int base = (leaf - 0x80000002) * 16;
                a = chars(BRAND, base);
                b = chars(BRAND, base + 4);
                c = chars(BRAND, base + 8);
                d = chars(BRAND, base + 12);
            }
            default -> { }
        }
        cpu.reg[Cpu.EAX] = a;
        cpu.reg[Cpu.EBX] = b;
        cpu.reg[Cpu.ECX] = c;
        cpu.reg[Cpu.EDX] = d;
    }

    /** Four characters of {@code s} from {@code at}, little-endian, NUL-padded. */
    private static int chars(String s, int at) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int ch = at + i < s.length() ? s.charAt(at + i) : 0;
            v |= (ch & 0xFF) << (8 * i);
        }
        return v;
    }
}
