package io.flatland.cpu;

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
 * <p>This class is the interpreter's single entry point; each job lives in a helper class
 * ({@link Segments}, {@link ControlTransfer}, {@link InterruptDelivery}, {@link DescriptorTables},
 * {@link SelectorQueries}, {@link ControlRegisters}, {@link Msr}, {@link CpuidModel},
 * {@link FastSystemCall}, {@link Privilege}, {@link MachineStates}).
 *
 * <p>Not handled here: the interrupt shadow after MOV SS/POP SS (the interpreter sets
 * {@code cpu.interruptShadow}), the single-step trap of EFLAGS.TF (the run loop calls
 * {@link SingleStep} around each instruction) and instruction counting. Task switches
 * ({@link TaskSwitch}) are reached through far JMP/CALL, IRET with NT=1 and IDT task gates.
 */
public final class SystemOps {
    private SystemOps() { }

    // ---- machine states ----

    /** Power-on/reset state (SDM Vol. 3A §9.1.1): real mode, CS:EIP = F000:FFF0 with base FFFF0000. */
    public static void reset(Cpu cpu) { MachineStates.reset(cpu); }

    /**
     * The state a Multiboot loader leaves (Multiboot spec §3.2): protected mode, paging off,
     * flat 4 GiB 32-bit code in CS and flat data in DS/ES/FS/GS/SS, IF=0, VM=0, CPL 0.
     * EAX/EBX/EIP are set by the loader.
     */
    public static void enterFlatProtectedMode(Cpu cpu) { MachineStates.enterFlatProtectedMode(cpu); }

    /** As {@link #enterFlatProtectedMode(Cpu)} with the given CS and data selectors (flat in the caller's GDT). */
    public static void enterFlatProtectedMode(Cpu cpu, int codeSelector, int dataSelector) {
        MachineStates.enterFlatProtectedMode(cpu, codeSelector, dataSelector);
    }

    // ---- segments ----

    /** MOV Sreg, POP Sreg, LDS/LES/LFS/LGS/LSS: real-mode or protected-mode load with all checks. Not CS. */
    public static void loadSegment(Cpu cpu, int seg, int selector) { Segments.load(cpu, seg, selector); }

    /**
     * Limit and type check for an access through a segment whose {@code segFlatRead/Write}
     * flag is false. Throws #GP(0) (or #SS(0) for SS) when the access is not allowed.
     */
    public static void checkSegmentAccess(Cpu cpu, int seg, int offset, int size, boolean write) {
        Segments.checkAccess(cpu, seg, offset, size, write);
    }

    // ---- far control transfers ----

    /**
     * JMP ptr16:16/32 and JMP m16:16/32: code segments, call gates, and task switches to a TSS
     * or through a task gate; {@code nextEip} (the address after the JMP) is the outgoing
     * task's saved EIP.
     */
    public static void farJump(Cpu cpu, int selector, int offset, boolean op32, int nextEip) {
        ControlTransfer.farJump(cpu, selector, offset, op32, nextEip & 0xFFFFFFFFL);
    }

    /** As above, for callers that know the target is no task: a task switch is an internal error here. */
    public static void farJump(Cpu cpu, int selector, int offset, boolean op32) {
        ControlTransfer.farJump(cpu, selector, offset, op32, ControlTransfer.UNKNOWN_NEXT);
    }

    /** CALL ptr/m16:16/32 (code segments, call gates, task switches); {@code nextEip} is the return address and a task switch's saved EIP. */
    public static void farCall(Cpu cpu, int selector, int offset, boolean op32, int nextEip) { ControlTransfer.farCall(cpu, selector, offset, op32, nextEip); }

    /** RETF [imm16]: pops EIP, CS, and on a return to an outer ring ESP and SS. */
    public static void farReturn(Cpu cpu, boolean op32, int popBytes) { ControlTransfer.farReturn(cpu, op32, popBytes); }

    /**
     * IRET/IRETD, including returns to an outer ring and real mode, and the task return of
     * IRET with EFLAGS.NT=1, which saves {@code nextEip} in the outgoing TSS.
     */
    public static void iret(Cpu cpu, boolean op32, int nextEip) { ControlTransfer.iret(cpu, op32, nextEip & 0xFFFFFFFFL); }

    /** As above, for callers that know NT=0: a task return is an internal error here. */
    public static void iret(Cpu cpu, boolean op32) { ControlTransfer.iret(cpu, op32, ControlTransfer.UNKNOWN_NEXT); }

    // ---- exceptions and interrupts ----

    /**
     * INT n, INT3 and INTO: a software interrupt; the gate's DPL is checked against CPL.
     * {@code nextEip} is the address of the following instruction (the pushed EIP).
     */
    public static void softwareInterrupt(Cpu cpu, int vector, int nextEip) { InterruptDelivery.software(cpu, vector, nextEip); }

    /**
     * Delivers a fault/trap raised by the instruction at {@code cpu.eip} (already rolled back
     * to the faulting instruction for faults). {@code errorCode} is -1 when the vector has
     * none; {@code address} is the #PF linear address (becomes CR2). Handles #DF and, on a
     * fault while delivering #DF, requests {@link ExitReason#TRIPLE_FAULT}.
     */
    public static void deliverException(Cpu cpu, int vector, int errorCode, int address) { InterruptDelivery.exception(cpu, vector, errorCode, address); }

    /** Delivers an external (hardware) interrupt; {@code cpu.eip} is the next instruction. Clears {@code halted}. */
    public static void deliverExternalInterrupt(Cpu cpu, int vector) { InterruptDelivery.external(cpu, vector); }

    // ---- system instructions ----

    /** LGDT/LIDT with a 32-bit operand size (the caller masks the base to 24 bits for a 16-bit one, or uses the overloads below). */
    public static void lgdt(Cpu cpu, int base, int limit) { DescriptorTables.lgdt(cpu, base, limit, true); }
    public static void lidt(Cpu cpu, int base, int limit) { DescriptorTables.lidt(cpu, base, limit, true); }
    /** LGDT/LIDT with a 16-bit operand size load only 24 bits of the base. */
    public static void lgdt(Cpu cpu, int base, int limit, boolean op32) { DescriptorTables.lgdt(cpu, base, limit, op32); }
    public static void lidt(Cpu cpu, int base, int limit, boolean op32) { DescriptorTables.lidt(cpu, base, limit, op32); }
    public static void lldt(Cpu cpu, int selector) { DescriptorTables.lldt(cpu, selector); }
    public static void ltr(Cpu cpu, int selector) { DescriptorTables.ltr(cpu, selector); }
    public static void lmsw(Cpu cpu, int value) { ControlRegisters.lmsw(cpu, value); }
    public static void clts(Cpu cpu) { ControlRegisters.clts(cpu); }

    /**
     * LAR/LSL/VERR/VERW: returns the access rights (LAR), limit (LSL) or 1 (VERR/VERW) in the
     * low 32 bits when the selector passes the checks, or -1L when it does not (then ZF=0;
     * the caller sets ZF).
     */
    public static long lar(Cpu cpu, int selector) { return SelectorQueries.lar(cpu, selector); }
    public static long lsl(Cpu cpu, int selector) { return SelectorQueries.lsl(cpu, selector); }
    public static long verr(Cpu cpu, int selector) { return SelectorQueries.verr(cpu, selector); }
    public static long verw(Cpu cpu, int selector) { return SelectorQueries.verw(cpu, selector); }

    public static void movToCr(Cpu cpu, int n, int value) { ControlRegisters.movToCr(cpu, n, value); }
    public static int movFromCr(Cpu cpu, int n) { return ControlRegisters.movFromCr(cpu, n); }
    public static void movToDr(Cpu cpu, int n, int value) { ControlRegisters.movToDr(cpu, n, value); }
    public static int movFromDr(Cpu cpu, int n) { return ControlRegisters.movFromDr(cpu, n); }

    /** INVLPG m (privilege checked). */
    public static void invlpg(Cpu cpu, int linear) { ControlRegisters.invlpg(cpu, linear); }

    /** RDMSR/WRMSR with ECX = MSR index, EDX:EAX = value. */
    public static void rdmsr(Cpu cpu) { Msr.rdmsr(cpu); }
    public static void wrmsr(Cpu cpu) { Msr.wrmsr(cpu); }

    /** CPUID with EAX (and ECX) as input. */
    public static void cpuid(Cpu cpu) { CpuidModel.cpuid(cpu); }

    /** RDTSC (CR4.TSD honoured). */
    public static void rdtsc(Cpu cpu) {
        // CR4.TSD restricts the time-stamp counter to ring 0 in protected mode.
        if ((cpu.mmu.cr4() & ControlRegisters.CR4_TSD) != 0 && cpu.cpl != 0 && cpu.protectedMode()) {
            throw cpu.fault(13, 0);
        }
        long tsc = Msr.tsc(cpu);
        cpu.reg[Cpu.EAX] = (int) tsc;
        cpu.reg[Cpu.EDX] = (int) (tsc >>> 32);
    }

    /** SYSENTER/SYSEXIT (SDM Vol. 2B). {@code cpu.eip} is the instruction's own address. */
    public static void sysenter(Cpu cpu) { FastSystemCall.sysenter(cpu); }
    public static void sysexit(Cpu cpu) { FastSystemCall.sysexit(cpu); }

    /** IN/OUT/INS/OUTS permission: CPL vs IOPL, then the TSS I/O bitmap; #GP(0) when denied. */
    public static void checkIoPermission(Cpu cpu, int port, int size) { Privilege.checkIo(cpu, port, size); }

    /** Throws #GP(0) unless CPL is 0 (privileged instructions). */
}
