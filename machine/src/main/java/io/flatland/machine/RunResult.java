package io.flatland.machine;

/**
 * Why {@link Machine#run} returned, and the process exit status the CLI uses for it.
 *
 * @param outcome    the reason
 * @param exitStatus 0 clean shutdown (ACPI power-off, reset under -no-reboot), (v&lt;&lt;1)|1 from isa-debug-exit,
 *                   3 triple fault under -no-reboot, 4 instruction budget reached, 5 emulator
 *                   limitation, 6 halted with nothing that can wake the CPU, 7 internal error
 *                   (a bug in Flatland)
 * @param message    a one-line explanation for UNIMPLEMENTED and HALTED (and where an
 *                   INTERNAL_ERROR happened, when known), otherwise null
 * @param error      the exception or error behind INTERNAL_ERROR, otherwise null
 */
public record RunResult(Outcome outcome, int exitStatus, String message, Throwable error) {
    public RunResult(Outcome outcome, int exitStatus, String message) {
        this(outcome, exitStatus, message, null);
    }

    public enum Outcome {
        /** The guest wrote to isa-debug-exit. */
        DEBUG_EXIT,
        /** The guest entered ACPI S5 (soft off) through the PIIX4 PM registers: QEMU exits 0 then. */
        POWER_OFF,
        /**
         * The guest halted with nothing left that could wake it (IF=0, or every interrupt
         * source masked or idle). QEMU waits forever there; Flatland ends with status 6.
         */
        HALTED,
        /** The guest asked for a reset under -no-reboot (QEMU exits 0 then). */
        RESET,
        /** Triple fault under -no-reboot. */
        TRIPLE_FAULT,
        /** The instruction budget ran out. */
        BUDGET,
        /** The POST code given to {@link Machine#runUntilPost} was written. */
        POST_MILESTONE,
        /** Flatland does not implement something the guest used (a named missing feature). */
        UNIMPLEMENTED,
        /**
         * A bug in Flatland: an exception or error (a stack overflow or host memory running out
         * included) escaped the engine or a device. The machine's state is left as it was then,
         * for {@link CrashReport}.
         */
        INTERNAL_ERROR,
        /** The debugger killed the machine (gdb's {@code kill}; QEMU exits 0 then). */
        KILLED
    }

    public static final int STATUS_TRIPLE_FAULT = 3, STATUS_BUDGET = 4, STATUS_UNIMPLEMENTED = 5, STATUS_HALTED = 6,
            STATUS_INTERNAL_ERROR = 7;

    /** {@link Outcome#HALTED}'s messages: HLT with IF=0, and HLT with IF=1 that nothing can end. */
    public static final String HALTED_IF_CLEAR = "guest halted with interrupts disabled (nothing can wake it)",
            HALTED_NO_WAKEUP = "guest halted with every interrupt source masked or idle (nothing can wake it)";
}
