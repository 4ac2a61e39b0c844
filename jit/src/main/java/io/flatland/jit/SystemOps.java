package io.flatland.jit;

/**
 * Protected-mode machinery shared by the interpreter and translated code: segment loads
 * and checks, far control transfers, exception and interrupt delivery, and the system
 * instructions. Everything here follows the Intel SDM Vol. 3A; faults are thrown as the
 * machine's {@link io.flatland.mmu.GuestFault} before any architectural state changes.
 *
 * <p>Conventions: {@code cpu.eip} holds the address of the instruction being executed
 * when a method is called unless a parameter says otherwise; methods that transfer control
 * set {@code cpu.eip} themselves. {@code op32} is the operand size of the instruction.
 *
 * <p>SKELETON: signatures agreed between the interpreter and system authors; bodies are
 * being written. Every body below must be replaced by the real semantics.
 */
public final class SystemOps {
    private SystemOps() { }

    private static UnsupportedOperationException todo(String what) {
        return new UnsupportedOperationException("not implemented yet: " + what);
    }

    // ---- machine states ----

    /** Power-on/reset state (SDM Vol. 3A §9.1.1): real mode, CS:EIP = F000:FFF0 with base FFFF0000. */
    public static void reset(Cpu cpu) { throw todo("reset"); }

    /**
     * The state a Multiboot loader leaves (Multiboot spec §3.2): protected mode, paging off,
     * flat 4 GiB 32-bit code in CS and flat data in DS/ES/FS/GS/SS, IF=0, VM=0, CPL 0.
     * EAX/EBX/EIP are set by the loader.
     */
    public static void enterFlatProtectedMode(Cpu cpu) { throw todo("enterFlatProtectedMode"); }

    // ---- segments ----

    /** MOV Sreg, POP Sreg, LDS/LES/LFS/LGS/LSS: real-mode or protected-mode load with all checks. Not CS. */
    public static void loadSegment(Cpu cpu, int seg, int selector) { throw todo("loadSegment"); }

    /**
     * Limit and type check for an access through a segment whose {@code segFlatRead/Write}
     * flag is false. Throws #GP(0) (or #SS(0) for SS) when the access is not allowed.
     */
    public static void checkSegmentAccess(Cpu cpu, int seg, int offset, int size, boolean write) {
        throw todo("checkSegmentAccess");
    }

    // ---- far control transfers ----

    /** JMP ptr16:16/32 and JMP m16:16/32 (call gates and task gates: #GP with a clear message where unsupported). */
    public static void farJump(Cpu cpu, int selector, int offset, boolean op32) { throw todo("farJump"); }

    /** CALL ptr/m16:16/32; {@code nextEip} is the return address. */
    public static void farCall(Cpu cpu, int selector, int offset, boolean op32, int nextEip) { throw todo("farCall"); }

    /** RETF [imm16]: pops EIP, CS, and on a return to an outer ring ESP and SS. */
    public static void farReturn(Cpu cpu, boolean op32, int popBytes) { throw todo("farReturn"); }

    /** IRET/IRETD, including returns to an outer ring and real mode. */
    public static void iret(Cpu cpu, boolean op32) { throw todo("iret"); }

    // ---- exceptions and interrupts ----

    /**
     * INT n, INT3 and INTO: a software interrupt; the gate's DPL is checked against CPL.
     * {@code nextEip} is the address of the following instruction (the pushed EIP).
     */
    public static void softwareInterrupt(Cpu cpu, int vector, int nextEip) { throw todo("softwareInterrupt"); }

    /**
     * Delivers a fault/trap raised by the instruction at {@code cpu.eip} (already rolled back
     * to the faulting instruction for faults). {@code errorCode} is -1 when the vector has
     * none; {@code address} is the #PF linear address (becomes CR2). Handles #DF and, on a
     * fault while delivering #DF, requests {@link ExitReason#TRIPLE_FAULT}.
     */
    public static void deliverException(Cpu cpu, int vector, int errorCode, int address) { throw todo("deliverException"); }

    /** Delivers an external (hardware) interrupt; {@code cpu.eip} is the next instruction. Clears {@code halted}. */
    public static void deliverExternalInterrupt(Cpu cpu, int vector) { throw todo("deliverExternalInterrupt"); }

    // ---- system instructions ----

    public static void lgdt(Cpu cpu, int base, int limit) { throw todo("lgdt"); }
    public static void lidt(Cpu cpu, int base, int limit) { throw todo("lidt"); }
    public static void lldt(Cpu cpu, int selector) { throw todo("lldt"); }
    public static void ltr(Cpu cpu, int selector) { throw todo("ltr"); }
    public static void lmsw(Cpu cpu, int value) { throw todo("lmsw"); }
    public static void clts(Cpu cpu) { throw todo("clts"); }

    /**
     * LAR/LSL/VERR/VERW: returns the access rights (LAR), limit (LSL) or 1 (VERR/VERW) in the
     * low 32 bits when the selector passes the checks, or -1L when it does not (then ZF=0;
     * the caller sets ZF).
     */
    public static long lar(Cpu cpu, int selector) { throw todo("lar"); }
    public static long lsl(Cpu cpu, int selector) { throw todo("lsl"); }
    public static long verr(Cpu cpu, int selector) { throw todo("verr"); }
    public static long verw(Cpu cpu, int selector) { throw todo("verw"); }

    public static void movToCr(Cpu cpu, int n, int value) { throw todo("movToCr"); }
    public static int movFromCr(Cpu cpu, int n) { throw todo("movFromCr"); }
    public static void movToDr(Cpu cpu, int n, int value) { throw todo("movToDr"); }
    public static int movFromDr(Cpu cpu, int n) { throw todo("movFromDr"); }

    /** INVLPG m (privilege checked). */
    public static void invlpg(Cpu cpu, int linear) { throw todo("invlpg"); }

    /** RDMSR/WRMSR with ECX = MSR index, EDX:EAX = value. */
    public static void rdmsr(Cpu cpu) { throw todo("rdmsr"); }
    public static void wrmsr(Cpu cpu) { throw todo("wrmsr"); }

    /** CPUID with EAX (and ECX) as input. */
    public static void cpuid(Cpu cpu) { throw todo("cpuid"); }

    /** RDTSC (CR4.TSD honoured). */
    public static void rdtsc(Cpu cpu) { throw todo("rdtsc"); }

    /** SYSENTER/SYSEXIT (SDM Vol. 2B). {@code cpu.eip} is the instruction's own address. */
    public static void sysenter(Cpu cpu) { throw todo("sysenter"); }
    public static void sysexit(Cpu cpu) { throw todo("sysexit"); }

    /** IN/OUT/INS/OUTS permission: CPL vs IOPL, then the TSS I/O bitmap; #GP(0) when denied. */
    public static void checkIoPermission(Cpu cpu, int port, int size) { throw todo("checkIoPermission"); }

    /** Throws #GP(0) unless CPL is 0 (privileged instructions). */
    public static void requireCpl0(Cpu cpu) { throw todo("requireCpl0"); }
}
