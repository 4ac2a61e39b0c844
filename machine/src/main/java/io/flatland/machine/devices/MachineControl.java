package io.flatland.machine.devices;

import io.flatland.cpu.ExitReason;

/**
 * What devices may ask of the machine they are attached to, instead of holding its CPU: stop
 * the run loop (isa-debug-exit, a reset line, a POST code someone waits for), drive the A20
 * gate (port 0x92, the 8042's output port), and read the retired-instruction count.
 */
public interface MachineControl {
    /** Makes the run loop return {@code why} before the next instruction. */
    void requestExit(ExitReason why);

    /** Drives the A20 gate (true: address line 20 passes through). */
    void setA20(boolean enabled);

    /** Guest instructions retired so far. */
    long instructionCount();

    /**
     * The guest programmed the device in a way it does not accept (the device ignores it): a
     * {@code -d guest_errors} line, {@code what} naming the device and the value. Off by default.
     */
    default void guestError(String what) { }

    /** Controls that go nowhere (a device under test that does not use them). */
    MachineControl NONE = new MachineControl() {
        @Override public void requestExit(ExitReason why) { }
        @Override public void setA20(boolean enabled) { }
        @Override public long instructionCount() { return 0; }
    };
}
