package io.flatland.cpu;

import io.flatland.mmu.GuestFault;

/**
 * The single-step trap of EFLAGS.TF (SDM Vol. 3A §17.3.1.4, Table 6-2 priorities), shared
 * by the interpreter's run loop and translated code. Protocol for one instruction:
 * <pre>
 *   boolean step = SingleStep.armed(cpu);        // TF at the start of the instruction
 *   long switches = cpu.taskSwitches;
 *   ... execute it (no fault) ...
 *   if (step) SingleStep.afterInstruction(cpu, insn, startEip, switches);
 * </pre>
 * A trap is taken after every instruction that began with TF=1 and completed, with
 * DR6.BS set and the pushed EIP pointing at the next instruction, before any external
 * interrupt is recognised. So POPF/IRET that set TF trap only after the following
 * instruction, and an instruction that clears TF still traps. A REP string instruction
 * runs one iteration per execution while TF=1 ({@link StringOps}), so it traps after
 * every iteration with EIP still at the instruction until the count runs out.
 *
 * <p>No trap follows (as in the reference machine, QEMU 7.2):
 * <ul>
 * <li>an instruction that faulted (the exception is delivered instead);</li>
 * <li>INT n, INT3 and a taken INTO: the gate clears TF and the handler starts untraced;</li>
 * <li>MOV SS and POP SS: their shadow suppresses the trap (the next instruction starts
 *     with TF still set and traps normally); STI's interrupt shadow does not;</li>
 * <li>an instruction that switched tasks: the new task's TF applies from its first instruction;</li>
 * <li>HLT (QEMU halts without raising the trap).</li>
 * </ul>
 *
 * <p>DR6 is left as QEMU leaves it: B0-B3 are rewritten to say which execute breakpoints
 * (DR7 R/W = 00, enabled or not) match the next instruction's address, BS is set, and all
 * other bits keep their value (software must clear DR6).
 */
public final class SingleStep {
    private SingleStep() { }

    static final int DB = 1;
    static final int DR6_B_MASK = 0xF, DR6_BS = 1 << 14;

    /** True when the instruction about to execute would be followed by a single-step trap. */
    public static boolean armed(Cpu cpu) { return (cpu.eflags & Cpu.TF) != 0; }

    /** True when the completed instruction {@code in} at {@code startEip} takes no single-step trap. */
    public static boolean suppressedBy(Cpu cpu, Insn in, int startEip, long taskSwitchesBefore) {
        if (cpu.taskSwitches != taskSwitchesBefore) return true;
        switch (in.op) {
            case Op.MOV_SE:
                return in.reg == Cpu.SS;
            case Op.POP_SEG:
                return in.sub == Cpu.SS;
            case Op.INT, Op.INT3, Op.INT1:
                return true;
            case Op.INTO: {
                int next = startEip + in.len;
                if (!in.code32) next &= 0xFFFF;
                return cpu.eip != next;                  // #OF was delivered
            }
            case Op.HLT:
                return cpu.halted;
            default:
                return false;
        }
    }

    /**
     * Call after an instruction that began with TF=1 ({@link #armed}) completed without a
     * fault; {@code startEip} is its address. Delivers the trap unless it is suppressed.
     */
    public static void afterInstruction(Cpu cpu, Insn in, int startEip, long taskSwitchesBefore) {
        if (!suppressedBy(cpu, in, startEip, taskSwitchesBefore)) trap(cpu);
    }

    /** Raises the single-step #DB trap now: DR6 updated, EIP (the next instruction) pushed. */
    public static void trap(Cpu cpu) {
        cpu.dr[6] = (cpu.dr[6] & ~DR6_B_MASK) | executeBreakpointMatches(cpu) | DR6_BS;
        cpu.exceptionsByVector[DB]++;
        cpu.interruptShadow = false;
        try {
            SystemOps.deliverException(cpu, DB, -1, 0);
        } catch (GuestFault f) {
            cpu.exitRequest = ExitReason.TRIPLE_FAULT;
            cpu.exitMessage = "fault while delivering the single-step trap at EIP 0x" + Integer.toHexString(cpu.eip);
        }
    }

    /** B0-B3 for the breakpoints of type "instruction execution" whose address is CS:EIP. */
    static int executeBreakpointMatches(Cpu cpu) {
        int lin = cpu.segBase[Cpu.CS] + cpu.eip;
        int dr7 = cpu.dr[7];
        int bits = 0;
        for (int i = 0; i < 4; i++) {
            if (((dr7 >>> (16 + 4 * i)) & 3) == 0 && cpu.dr[i] == lin) bits |= 1 << i;
        }
        return bits;
    }
}
