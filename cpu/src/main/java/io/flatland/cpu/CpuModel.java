package io.flatland.cpu;

import java.util.List;

/**
 * A CPU model as QEMU's {@code -cpu NAME} defines it: vendor, family/model/stepping, brand
 * string, highest basic and extended CPUID leaves, and its feature flags. Immutable; the
 * identities and flags are what qemu-system-i386 7.2 reports under TCG (recorded with a probe
 * kernel, machine/src/test/resources/cpuid/). CPUID reports only the flags Flatland
 * implements ({@link #reported}), see {@link CpuFeature}.
 */
public final class CpuModel {
    public static final String INTEL = "GenuineIntel", AMD = "AuthenticAMD";

    public static final CpuModel QEMU32 = new CpuModel("qemu32", INTEL, 6, 6, 3, "QEMU Virtual CPU version 2.5+",
            4, 0x80000004, 0x0781abfd, 0x80000001, 0, 0, 0, 0, false);
    public static final CpuModel PENTIUM = new CpuModel("pentium", INTEL, 5, 4, 3, null,
            1, 0, 0x008003bd, 0x80000000, 0, 0, 0, 0, false);
    public static final CpuModel PENTIUM2 = new CpuModel("pentium2", INTEL, 6, 5, 2, null,
            2, 0, 0x0183fbfd, 0x80000000, 0, 0, 0, 0, false);
    public static final CpuModel PENTIUM3 = new CpuModel("pentium3", INTEL, 6, 7, 3, null,
            3, 0, 0x0383fbfd, 0x80000000, 0, 0, 0, 0, false);
    public static final CpuModel I486 = new CpuModel("486", INTEL, 4, 8, 0, null,
            1, 0, 0x00000009, 0x80000000, 0, 0, 0, 0, false);
    /**
     * QEMU's "max" under TCG: everything TCG can do, with an AMD vendor on qemu-system-i386.
     * Leaf 7 EBX has SMEP and SMAP among others, ECX UMIP, PKU, LA57 and PKS (no RDPID).
     */
    public static final CpuModel MAX = new CpuModel("max", AMD, 6, 6, 3, "QEMU TCG CPU version 2.5+",
            0xd, 0x8000000a, 0x0fcbfbfd, 0xf6d8320b, 0xcdd3f3fd, 0x75, 0x01d843a9, 0x8001020c, false);
    /**
     * QEMU's 64-bit default model; qemu-system-i386 accepts it (warning that TCG lacks its
     * lm and syscall flags) and reports it without them. Long mode is not reported here either.
     */
    public static final CpuModel QEMU64 = new CpuModel("qemu64", AMD, 15, 107, 1, "QEMU Virtual CPU version 2.5+",
            0xd, 0x8000000a, 0x078bfbfd, 0x80002001, 0x0193f3fd, 0x5, 0, 0, false);

    /** The models -cpu accepts, qemu32 (the pc machine's default) first. */
    public static final List<CpuModel> ALL = List.of(QEMU32, PENTIUM, PENTIUM2, PENTIUM3, I486, MAX, QEMU64);

    /**
     * Leaf-1 EDX bits AMD repeats in leaf 0x80000001 EDX (AMD APM Vol. 3, CPUID Fn8000_0001_EDX:
     * bits 0-9, 12-17, 23, 24); QEMU copies them for AMD vendors.
     */
    static final int AMD_MIRRORED_EDX = 0x0183F3FF;

    public final String name;
    public final String vendor;
    public final int family, model, stepping;
    /** The brand string of leaves 0x80000002-4, or null when the model has no such leaves. */
    public final String brand;
    public final int maxBasicLeaf, maxExtendedLeaf;
    /** The flags as QEMU's model has them, before Flatland's mask ({@link #reported}). */
    final int edx1, ecx1, edxExt, ecxExt, ebx7, ecx7;
    /** Whether the machine has a local APIC, which the APIC flag announces. */
    public final boolean localApic;

    private CpuModel(String name, String vendor, int family, int model, int stepping, String brand, int maxBasicLeaf,
                     int maxExtendedLeaf, int edx1, int ecx1, int edxExt, int ecxExt, int ebx7, int ecx7,
                     boolean localApic) {
        this.name = name;
        this.vendor = vendor;
        this.family = family;
        this.model = model;
        this.stepping = stepping;
        this.brand = brand;
        this.maxBasicLeaf = maxBasicLeaf;
        this.maxExtendedLeaf = maxExtendedLeaf;
        this.edx1 = edx1;
        this.ecx1 = ecx1;
        this.edxExt = edxExt;
        this.ecxExt = ecxExt;
        this.ebx7 = ebx7;
        this.ecx7 = ecx7;
        this.localApic = localApic;
    }

    /** The model -cpu names, or null. */
    public static CpuModel byName(String name) {
        for (CpuModel m : ALL) if (m.name.equals(name)) return m;
        return null;
    }

    /**
     * CPUID.01H:EAX and EDX after reset (SDM Vol. 2A, Figure 3-6): family above 15 goes to the
     * extended family field, model bits 7:4 to the extended model field.
     */
    public int signature() {
        int fam = Math.min(family, 0xF), extFam = family > 0xF ? family - 0xF : 0;
        return extFam << 20 | (model >> 4) << 16 | fam << 8 | (model & 0xF) << 4 | stepping;
    }

    /** The same model with feature {@code f} on or off (QEMU's +f / -f). */
    public CpuModel withFeature(CpuFeature f, boolean on) {
        int[] r = {edx1, ecx1, edxExt, ecxExt, ebx7, ecx7};
        int i = f.reg.ordinal();
        r[i] = on ? r[i] | f.mask() : r[i] & ~f.mask();
        // QEMU raises the highest basic leaf to 7 when a leaf-7 flag is turned on.
        int maxBasic = on && (f.reg == CpuFeature.Reg.EBX7 || f.reg == CpuFeature.Reg.ECX7) ? Math.max(maxBasicLeaf, 7)
                : maxBasicLeaf;
        return new CpuModel(name, vendor, family, model, stepping, brand, maxBasic, maxExtendedLeaf,
                r[0], r[1], r[2], r[3], r[4], r[5], localApic);
    }

    /**
     * The same model on a machine with or without a local APIC: the APIC flag is reported only
     * with one, whatever the model says (the machine decides, from its type).
     */
    public CpuModel withLocalApic(boolean present) {
        return new CpuModel(name, vendor, family, model, stepping, brand, maxBasicLeaf, maxExtendedLeaf,
                edx1, ecx1, edxExt, ecxExt, ebx7, ecx7, present);
    }

    /** Whether the model (before Flatland's mask) has {@code f}. */
    public boolean has(CpuFeature f) {
        return (raw(f.reg) & f.mask()) != 0;
    }

    private int raw(CpuFeature.Reg reg) {
        return switch (reg) {
            case EDX1 -> edx1;
            case ECX1 -> ecx1;
            case EDX_EXT -> edxExt;
            case ECX_EXT -> ecxExt;
            case EBX7 -> ebx7;
            case ECX7 -> ecx7;
        };
    }

    /** Whether CPUID reports {@code f} (the model has it and Flatland implements it). */
    public boolean reports(CpuFeature f) {
        return (reported(f.reg) & f.mask()) != 0;
    }

    /**
     * What CPUID reports in {@code reg}: the model's flags that Flatland implements. For AMD
     * vendors leaf 0x80000001 EDX also repeats the reported leaf-1 flags AMD mirrors there.
     */
    public int reported(CpuFeature.Reg reg) {
        int v = raw(reg) & CpuFeature.implementedMask(reg, localApic);
        if (reg == CpuFeature.Reg.EDX_EXT && vendor.equals(AMD)) v |= reported(CpuFeature.Reg.EDX1) & AMD_MIRRORED_EDX;
        return v;
    }

    @Override
    public String toString() { return name; }
}
