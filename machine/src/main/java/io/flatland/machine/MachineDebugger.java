package io.flatland.machine;

import io.flatland.cpu.Cpu;

/**
 * A debugger attached to a {@link Machine} (the gdb stub): the machine's run loop, on the
 * CPU's thread, asks it between slices whether to stop, and hands it the stopped machine.
 * While {@link #stopped} blocks, the debugger may read and change the CPU and memory from
 * its own thread; the machine's virtual clock does not run meanwhile.
 */
public interface MachineDebugger {
    /** True when the debugger asked for a stop (an interrupt from its client, or -S at start). */
    boolean stopPending();

    /**
     * The machine is stopped: after {@link #stopPending}, or because the engine returned
     * {@link io.flatland.cpu.ExitReason#DEBUG} ({@link Cpu#debug} says why). Blocks until the
     * debugger resumes it; false ends the run (the debugger killed the machine).
     */
    boolean stopped(Cpu cpu);

    /** The run ended (the guest exited, halted for good, ...): the client may be told. */
    void ended(RunResult result);
}
