package io.flatland.machine.devices;

/** An ISA interrupt request line as seen by a device: it drives the line high or low. */
@FunctionalInterface
public interface InterruptLine {
    void set(boolean level);

    /** A line that goes nowhere (a device whose IRQ is not wired, or a test). */
    InterruptLine NONE = level -> { };
}
