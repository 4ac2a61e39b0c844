package io.flatland.cpu;

/** Why {@link Cpu}'s execution loop returned to the machine. */
public enum ExitReason {
    /** Still running (no exit requested). */
    NONE,
    /** The instruction budget given to the run loop is used up. */
    BUDGET,
    /** A device asked the machine to stop (isa-debug-exit, shutdown). */
    DEVICE_EXIT,
    /** Triple fault (shutdown cycle). The machine resets, or exits under -no-reboot. */
    TRIPLE_FAULT,
    /** A reset was requested (port 0x92, keyboard controller 0xFE, triple fault with reboot). */
    RESET,
    /** HLT with interrupts disabled, or with nothing that could ever wake the CPU. */
    HALTED_FOREVER,
    /**
     * The guest used a feature Flatland names as missing (an {@link UnimplementedFeature}
     * or {@code InterruptDelivery.unsupported}); see {@link Cpu#exitMessage}.
     */
    UNIMPLEMENTED,
    /**
     * A bug in Flatland: any other exception or error escaped an engine (a device, a handler,
     * translated code, the JVM's stack or heap running out); {@link Cpu#internalError} holds it.
     */
    INTERNAL_ERROR,
    /**
     * Stopped for the debugger: a breakpoint, watchpoint or completed step ({@link DebugControl#stop}
     * says which), or a stop the debugger requested through {@link Cpu#exitRequest}.
     */
    DEBUG
}
