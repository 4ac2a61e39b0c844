package io.flatland.cpu;

import io.flatland.mmu.AccessWatch;

/**
 * What a debugger asks of the run loop: stop in front of an instruction at a breakpoint
 * address (linear, CS base + EIP), stop after one instruction (single-step), stop after an
 * instruction that touched a watched address (the {@link AccessWatch} of the CPU's MMU).
 *
 * <p>While a CPU has one ({@link Cpu#debug} not null) the interpreter checks it at every
 * instruction and runs no bursts, and the JIT runs no translated code: so both engines stop
 * at the same instruction with the same count. A debugger installs it only while it has
 * something set, so an attached debugger without breakpoints costs nothing.
 */
public final class DebugControl {
    /** Why the run loop last returned {@link ExitReason#DEBUG} (NONE: a requested stop, see {@link Cpu#exitRequest}). */
    public enum Stop { NONE, BREAKPOINT, STEP, WATCHPOINT }

    private static final int MAX_BREAKPOINTS = 64;
    private final int[] breakpoints = new int[MAX_BREAKPOINTS];
    private int breakpointCount;
    private final AccessWatch watch;

    /** Stop after the next instruction; while set, no external interrupt is taken (as QEMU's gdb stub steps). */
    public boolean stepping;

    /** Set with the {@link ExitReason#DEBUG} return: why, and for a watchpoint its kind and address. */
    public Stop stop = Stop.NONE;
    public int watchKind, watchAddress;

    /**
     * {@code -d exec}/{@code -d cpu}: told of every basic block the interpreter enters (null:
     * off). A control with only this set makes both engines interpret, so both log the same blocks.
     */
    public CpuLog blockLog;

    public DebugControl(Cpu cpu) { this.watch = cpu.mmu.accessWatch; }

    public boolean addBreakpoint(int lin) {
        for (int i = 0; i < breakpointCount; i++) if (breakpoints[i] == lin) return true;
        if (breakpointCount == MAX_BREAKPOINTS) return false;
        breakpoints[breakpointCount++] = lin;
        return true;
    }

    public boolean removeBreakpoint(int lin) {
        for (int i = 0; i < breakpointCount; i++) {
            if (breakpoints[i] == lin) {
                breakpoints[i] = breakpoints[--breakpointCount];
                return true;
            }
        }
        return false;
    }

    /** Removes one breakpoint, whichever; false when there is none left. */
    public boolean removeAnyBreakpoint() {
        if (breakpointCount == 0) return false;
        breakpointCount--;
        return true;
    }

    /**
     * REP string instructions run one iteration per execution (each counted as an instruction,
     * as under EFLAGS.TF): a step is one iteration, and a watchpoint stops after the iteration
     * that touched it. Breakpoints alone leave them in chunks.
     */
    public boolean singleIterations() { return stepping || watch.count() > 0; }

    /** True when nothing is set: the debugger can take the control off the CPU. */
    public boolean idle() { return breakpointCount == 0 && watch.count() == 0 && !stepping && blockLog == null; }

    /**
     * In front of the instruction at CS:{@code eip} ({@code entry}: it begins a basic block):
     * true (stop, nothing executed) at a breakpoint.
     */
    boolean breakpointAt(Cpu cpu, int eip, boolean entry) {
        if (entry && blockLog != null) blockLog.blockEntered(cpu);
        if (breakpointCount == 0) return false;
        int lin = cpu.segBase[Cpu.CS] + eip;
        for (int i = 0; i < breakpointCount; i++) {
            if (breakpoints[i] == lin) {
                stop = Stop.BREAKPOINT;
                return true;
            }
        }
        return false;
    }

    /** Just before the instruction executes: its data accesses are watched from here. */
    void beforeExecute() {
        watch.hitKind = 0;
        watch.armed = watch.count() > 0;
    }

    /** The instruction completed: true to stop after it (a step, or a watchpoint it triggered). */
    boolean afterExecute() {
        watch.armed = false;
        if (watch.hitKind != 0) {
            stop = Stop.WATCHPOINT;
            watchKind = watch.hitKind;
            watchAddress = watch.hitAddress;
            watch.hitKind = 0;
            return true;
        }
        if (stepping) {
            stop = Stop.STEP;
            return true;
        }
        return false;
    }

    /** The instruction faulted and will run again: what it touched does not count; a step ends in the handler. */
    boolean afterFault() {
        watch.armed = false;
        watch.hitKind = 0;
        if (stepping) {
            stop = Stop.STEP;
            return true;
        }
        return false;
    }
}
