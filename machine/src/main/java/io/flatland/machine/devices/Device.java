package io.flatland.machine.devices;

import java.util.function.IntPredicate;

/**
 * A device of the PC: it decodes I/O ports, may drive ISA interrupt lines, and may keep time.
 * The machine keeps its devices in one list: it attaches each once ({@link #attach}), resets
 * them all on a machine reset, and its platform brings them up to the current virtual time
 * ({@link #advance}) and asks for the earliest {@link #nextDeadlineNs} to know when to come
 * back. Which lines a device drives is its own declaration ({@link #irqLines}), never a
 * constant of the machine.
 */
public interface Device {
    /** No timer event is armed. */
    long NO_DEADLINE = -1;

    /** Registers the device's ports, takes its interrupt lines and the machine's controls. Called once. */
    void attach(Wiring wiring);

    /** Back to the power-on state (a reset of the machine: port 0x92, the 8042, a triple fault). */
    void reset();

    /** The ISA IRQ lines (0-15) the device drives; none by default. */
    default int[] irqLines() { return NO_LINES; }

    int[] NO_LINES = {};

    /** Virtual time (ns) of the device's next timer event that raises an interrupt, or {@link #NO_DEADLINE}. */
    default long nextDeadlineNs() { return NO_DEADLINE; }

    /**
     * Brings the device up to the current virtual time: timer events that have passed latch
     * their interrupts. Called by the platform's periodic service, on its hot path: must not
     * allocate. Nothing by default.
     */
    default void advance() { }

    /**
     * Whether an event of this device could still interrupt a CPU halted with interrupts
     * enabled: an armed timer on a line that can still raise a request ({@code lineCanRaise}).
     * The machine ends a run in which nothing can.
     */
    default boolean canWake(IntPredicate lineCanRaise) {
        if (nextDeadlineNs() == NO_DEADLINE) return false;
        for (int line : irqLines()) if (lineCanRaise.test(line)) return true;
        return false;
    }
}
