package io.flatland.cpu;

import java.util.Locale;

/**
 * The CPUID feature flags of leaves 1, 7 (subleaf 0, EBX and ECX) and 0x80000001 (SDM Vol. 2A,
 * Tables 3-10, 3-11, 3-8 and the CPUID.80000001H description; AMD's bits as AMD's APM Vol. 3
 * names them), spelled as QEMU's {@code -cpu} option spells them.
 *
 * <p>{@link #implemented} is the one place that says which of them Flatland really
 * implements: a model reports only those, because a guest that sees, say, MMX or PAE uses
 * them and would fail on the first such instruction or page table.
 */
public enum CpuFeature {
    // CPUID.01H:EDX
    FPU(Reg.EDX1, 0, "x87 FPU (cpu/fpu)"),
    VME(Reg.EDX1, 1, null),
    DE(Reg.EDX1, 2, "CR4.DE: DR4/DR5 #UD when set"),
    PSE(Reg.EDX1, 3, "4 MiB pages"),
    TSC(Reg.EDX1, 4, "RDTSC and the TSC MSR"),
    MSR(Reg.EDX1, 5, "RDMSR/WRMSR"),
    PAE(Reg.EDX1, 6, null),
    MCE(Reg.EDX1, 7, null),
    CX8(Reg.EDX1, 8, "CMPXCHG8B"),
    /** Implemented only on machines with a local APIC: see {@link CpuModel#withLocalApic}. */
    APIC(Reg.EDX1, 9, null),
    SEP(Reg.EDX1, 11, "SYSENTER/SYSEXIT and their MSRs"),
    MTRR(Reg.EDX1, 12, null),
    PGE(Reg.EDX1, 13, "global pages (CR4.PGE)"),
    MCA(Reg.EDX1, 14, null),
    CMOV(Reg.EDX1, 15, "CMOVcc (and FCMOVcc, FCOMI with FPU)"),
    PAT(Reg.EDX1, 16, null),
    PSE36(Reg.EDX1, 17, null),
    PN(Reg.EDX1, 18, null),
    CLFLUSH(Reg.EDX1, 19, null),
    DS(Reg.EDX1, 21, null),
    ACPI(Reg.EDX1, 22, null),
    MMX(Reg.EDX1, 23, null),
    FXSR(Reg.EDX1, 24, null),
    SSE(Reg.EDX1, 25, null),
    SSE2(Reg.EDX1, 26, null),
    SS(Reg.EDX1, 27, null),
    HT(Reg.EDX1, 28, null),
    TM(Reg.EDX1, 29, null),
    IA64(Reg.EDX1, 30, null),
    PBE(Reg.EDX1, 31, null),
    // CPUID.01H:ECX
    PNI(Reg.ECX1, 0, null),
    PCLMULQDQ(Reg.ECX1, 1, null),
    DTES64(Reg.ECX1, 2, null),
    MONITOR(Reg.ECX1, 3, null),
    DS_CPL(Reg.ECX1, 4, null),
    VMX(Reg.ECX1, 5, null),
    SMX(Reg.ECX1, 6, null),
    EST(Reg.ECX1, 7, null),
    TM2(Reg.ECX1, 8, null),
    SSSE3(Reg.ECX1, 9, null),
    CID(Reg.ECX1, 10, null),
    FMA(Reg.ECX1, 12, null),
    CX16(Reg.ECX1, 13, null),
    XTPR(Reg.ECX1, 14, null),
    PDCM(Reg.ECX1, 15, null),
    PCID(Reg.ECX1, 17, null),
    DCA(Reg.ECX1, 18, null),
    SSE4_1(Reg.ECX1, 19, null),
    SSE4_2(Reg.ECX1, 20, null),
    /** With a local APIC (machine/devices/LocalApic): x2APIC mode, its MSRs 0x800-0x8FF. */
    X2APIC(Reg.ECX1, 21, null),
    MOVBE(Reg.ECX1, 22, null),
    POPCNT(Reg.ECX1, 23, null),
    /** With a local APIC: the LVT timer's TSC-deadline mode and IA32_TSC_DEADLINE. */
    TSC_DEADLINE(Reg.ECX1, 24, null),
    AES(Reg.ECX1, 25, null),
    XSAVE(Reg.ECX1, 26, null),
    OSXSAVE(Reg.ECX1, 27, null),
    AVX(Reg.ECX1, 28, null),
    F16C(Reg.ECX1, 29, null),
    RDRAND(Reg.ECX1, 30, null),
    /**
     * Not a feature but a statement ("running under a hypervisor") that QEMU makes; Flatland
     * leaves it clear so that guests do not go looking for hypervisor leaves it does not have.
     */
    HYPERVISOR(Reg.ECX1, 31, null),
    // CPUID.80000001H:EDX (the bits AMD mirrors from leaf 1 are not listed: see CpuModel)
    SYSCALL(Reg.EDX_EXT, 11, null),
    NX(Reg.EDX_EXT, 20, null),
    MMXEXT(Reg.EDX_EXT, 22, null),
    FXSR_OPT(Reg.EDX_EXT, 25, null),
    PDPE1GB(Reg.EDX_EXT, 26, null),
    RDTSCP(Reg.EDX_EXT, 27, "RDTSCP and IA32_TSC_AUX"),
    LM(Reg.EDX_EXT, 29, null),
    _3DNOWEXT(Reg.EDX_EXT, 30, null),
    _3DNOW(Reg.EDX_EXT, 31, null),
    // CPUID.80000001H:ECX
    LAHF_LM(Reg.ECX_EXT, 0, null),
    CMP_LEGACY(Reg.ECX_EXT, 1, null),
    SVM(Reg.ECX_EXT, 2, null),
    EXTAPIC(Reg.ECX_EXT, 3, null),
    CR8LEGACY(Reg.ECX_EXT, 4, null),
    ABM(Reg.ECX_EXT, 5, null),
    SSE4A(Reg.ECX_EXT, 6, null),
    MISALIGNSSE(Reg.ECX_EXT, 7, null),
    _3DNOWPREFETCH(Reg.ECX_EXT, 8, null),
    OSVW(Reg.ECX_EXT, 9, null),
    IBS(Reg.ECX_EXT, 10, null),
    XOP(Reg.ECX_EXT, 11, null),
    SKINIT(Reg.ECX_EXT, 12, null),
    WDT(Reg.ECX_EXT, 13, null),
    LWP(Reg.ECX_EXT, 15, null),
    FMA4(Reg.ECX_EXT, 16, null),
    TCE(Reg.ECX_EXT, 17, null),
    NODEID_MSR(Reg.ECX_EXT, 19, null),
    TBM(Reg.ECX_EXT, 21, null),
    TOPOEXT(Reg.ECX_EXT, 22, null),
    PERFCTR_CORE(Reg.ECX_EXT, 23, null),
    PERFCTR_NB(Reg.ECX_EXT, 24, null),
    // CPUID.(EAX=07H,ECX=0):EBX (the bits QEMU's TCG models can have, and their neighbours)
    FSGSBASE(Reg.EBX7, 0, null),
    TSC_ADJUST(Reg.EBX7, 1, null),
    BMI1(Reg.EBX7, 3, null),
    HLE(Reg.EBX7, 4, null),
    AVX2(Reg.EBX7, 5, null),
    SMEP(Reg.EBX7, 7, "CR4.SMEP: supervisor fetches from user pages fault (PageWalker, the TLB's SMAP views)"),
    BMI2(Reg.EBX7, 8, null),
    ERMS(Reg.EBX7, 9, null),
    INVPCID(Reg.EBX7, 10, null),
    RTM(Reg.EBX7, 11, null),
    MPX(Reg.EBX7, 14, null),
    RDSEED(Reg.EBX7, 18, null),
    ADX(Reg.EBX7, 19, null),
    SMAP(Reg.EBX7, 20, "CR4.SMAP, STAC/CLAC: supervisor data accesses to user pages fault unless EFLAGS.AC"),
    PCOMMIT(Reg.EBX7, 22, null),
    CLFLUSHOPT(Reg.EBX7, 23, null),
    CLWB(Reg.EBX7, 24, null),
    // CPUID.(EAX=07H,ECX=0):ECX
    UMIP(Reg.ECX7, 2, "CR4.UMIP: SGDT, SIDT, SLDT, SMSW, STR #GP(0) at CPL > 0"),
    PKU(Reg.ECX7, 3, null),
    VAES(Reg.ECX7, 9, null),
    /**
     * CR4.LA57 can be set; it changes nothing outside IA-32e mode (SDM Vol. 3A §4.1.1), which
     * Flatland lacks like qemu-system-i386, whose max model reports LA57 too.
     */
    LA57(Reg.ECX7, 16, "CR4.LA57 (no effect without IA-32e mode)"),
    RDPID(Reg.ECX7, 22, null),
    PKS(Reg.ECX7, 31, null);

    /** Which CPUID output register holds the flag (EBX7, ECX7: leaf 7 subleaf 0). */
    public enum Reg { EDX1, ECX1, EDX_EXT, ECX_EXT, EBX7, ECX7 }

    public final Reg reg;
    public final int bit;
    /** What implements it, or null: not implemented, never reported. */
    private final String implementedBy;

    CpuFeature(Reg reg, int bit, String implementedBy) {
        this.reg = reg;
        this.bit = bit;
        this.implementedBy = implementedBy;
    }

    public int mask() { return 1 << bit; }

    /** Whether Flatland implements the feature (the APIC: see {@link CpuModel#withLocalApic}). */
    public boolean implemented() { return implementedBy != null; }

    /** The name as QEMU's -cpu option spells it ("sse4.1", "tsc-deadline", "3dnow"). */
    public String qemuName() {
        String n = name().toLowerCase(Locale.ROOT);
        if (n.startsWith("_")) n = n.substring(1);
        if (n.startsWith("sse4_")) return n.replace('_', '.');
        return n.replace('_', '-');
    }

    /**
     * The feature QEMU's name denotes, or null. QEMU treats '_' and '-' alike and knows a few
     * aliases (sse3 for pni, sse4_1 for sse4.1, xd for nx, i64 for lm).
     */
    public static CpuFeature byQemuName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
        switch (n) {
            case "sse3" -> n = "pni";
            case "sse4-1" -> n = "sse4.1";
            case "sse4-2" -> n = "sse4.2";
            case "xd" -> n = "nx";
            case "i64" -> n = "lm";
            default -> { }
        }
        for (CpuFeature f : values()) if (f.qemuName().equals(n)) return f;
        return null;
    }

    /** Whether the feature is the local APIC's, implemented on machines that have one (pc). */
    public boolean ofLocalApic() { return this == APIC || this == X2APIC || this == TSC_DEADLINE; }

    /** The bits of {@code reg} that Flatland implements (the local APIC's when {@code localApic}). */
    public static int implementedMask(Reg reg, boolean localApic) {
        int m = 0;
        for (CpuFeature f : values()) {
            if (f.reg == reg && (f.implemented() || f.ofLocalApic() && localApic)) m |= f.mask();
        }
        return m;
    }
}
