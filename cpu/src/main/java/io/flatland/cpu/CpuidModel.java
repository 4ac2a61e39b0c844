package io.flatland.cpu;

/**
 * CPUID (SDM Vol. 2A, Table 3-8 onward), answered from the CPU's {@link CpuModel}: its
 * identity as QEMU reports it, its feature flags masked to what Flatland implements.
 */
final class CpuidModel {
    private CpuidModel() { }

    /**
     * Leaf 2 of QEMU's Intel models: one call (AL=1), descriptors 0x4D (L3), 0x2C (L1d), 0x30
     * (L1i), 0x7D (L2), as recorded from qemu-system-i386 7.2 (SDM Vol. 2A, Table 3-12).
     * AMD models answer leaf 2 with zeros.
     */
    private static final int[] INTEL_LEAF2 = {0x00000001, 0, 0x0000004d, 0x002c307d};

    /**
     * Leaf 0x80000008 EAX: physical and linear address widths. Without PAE (or long mode)
     * Flatland has 32 of each; QEMU's max and qemu64 say 36 physical bits.
     */
    private static final int ADDRESS_SIZES = 32 << 8 | 32;

    static void cpuid(Cpu cpu) {
        CpuModel m = cpu.cpuModel;
        int leaf = cpu.reg[Cpu.EAX];
        int a = 0, b = 0, c = 0, d = 0;
        // Beyond the highest leaf of its range Intel CPUs (and QEMU) answer with the highest basic leaf.
        if (Integer.compareUnsigned(leaf, 0x80000000) >= 0) {
            if (Integer.compareUnsigned(leaf, m.maxExtendedLeaf) > 0) leaf = m.maxBasicLeaf;
        } else if (leaf > m.maxBasicLeaf) {
            leaf = m.maxBasicLeaf;
        }
        switch (leaf) {
            case 0, 0x80000000 -> {
                // QEMU puts the vendor in both (AMD's layout for 0x80000000; real Intel CPUs leave it zero).
                a = leaf == 0 ? m.maxBasicLeaf : m.maxExtendedLeaf;
                b = chars(m.vendor, 0);
                d = chars(m.vendor, 4);
                c = chars(m.vendor, 8);
            }
            case 1 -> {
                a = m.signature();
                b = 8 << 8;                 // CLFLUSH line size field (8 x 8 bytes), APIC ID 0, as QEMU
                c = m.reported(CpuFeature.Reg.ECX1);
                d = m.reported(CpuFeature.Reg.EDX1);
                // The APIC bit also follows the local APIC's global enable (IA32_APIC_BASE bit 11).
                if (cpu.apicBase != null && (cpu.apicBase.readBase() & (1 << 11)) == 0) d &= ~CpuFeature.APIC.mask();
            }
            case 2 -> {
                if (m.vendor.equals(CpuModel.INTEL)) {
                    a = INTEL_LEAF2[0];
                    b = INTEL_LEAF2[1];
                    c = INTEL_LEAF2[2];
                    d = INTEL_LEAF2[3];
                }
            }
            case 7 -> {
                // Subleaf 0 only (EAX: the highest subleaf, 0); further subleaves are zeros, as on QEMU's models.
                if (cpu.reg[Cpu.ECX] == 0) {
                    b = m.reported(CpuFeature.Reg.EBX7);
                    c = m.reported(CpuFeature.Reg.ECX7);
                }
            }
            case 0x80000001 -> {
                a = m.signature();
                c = m.reported(CpuFeature.Reg.ECX_EXT);
                d = m.reported(CpuFeature.Reg.EDX_EXT);
            }
            case 0x80000002, 0x80000003, 0x80000004 -> {
                int base = (leaf - 0x80000002) * 16;
                String brand = m.brand == null ? "" : m.brand;
                a = chars(brand, base);
                b = chars(brand, base + 4);
                c = chars(brand, base + 8);
                d = chars(brand, base + 12);
            }
            case 0x80000008 -> a = ADDRESS_SIZES;
            // Cache parameters (leaf 4, 0x80000005/6), thermal, topology and XSAVE leaves: not
            // modelled, zeros (no such caches, no such features).
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
