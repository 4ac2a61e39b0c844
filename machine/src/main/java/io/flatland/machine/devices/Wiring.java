package io.flatland.machine.devices;

import io.flatland.cpu.IoBus;

import java.util.function.IntFunction;

/**
 * What a device is attached to: the I/O port bus, the ISA interrupt lines (by number, as the
 * device declares them) and the machine's controls.
 */
public record Wiring(IoBus io, IntFunction<InterruptLine> irq, MachineControl control) {
    /** For tests: ports on {@code io}, no interrupt lines, no machine behind the controls. */
    public static Wiring ports(IoBus io) {
        return new Wiring(io, line -> InterruptLine.NONE, MachineControl.NONE);
    }
}
