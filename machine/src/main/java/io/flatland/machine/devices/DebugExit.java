package io.flatland.machine.devices;

import io.flatland.cpu.ExitReason;
import io.flatland.cpu.IoDevice;

/**
 * QEMU's isa-debug-exit device (iobase 0xF4, iosize 4): a write of v makes the machine
 * exit with status {@code (v << 1) | 1}, so a guest can report success or failure and can
 * never produce 0. Reads return open bus.
 */
public final class DebugExit implements IoDevice, Device {
    public static final int IOBASE = 0xF4, IOSIZE = 4;
    private MachineControl control = MachineControl.NONE;
    private int status = -1;

    @Override
    public void attach(Wiring w) {
        w.io().register(IOBASE, IOSIZE, this);
        control = w.control();
    }

    /** Nothing: a write ends the run at once, so no reset can come between it and its status being read. */
    @Override
    public void reset() { }

    /** QEMU's formula for the process exit status (the host keeps its low 8 bits). */
    public static int exitStatus(int value) {
        return (value << 1) | 1;
    }

    /** The status requested by the guest, or -1 if it never wrote the port. */
    public int status() { return status; }

    public void clear() { status = -1; }

    @Override
    public int in(int port, int size) {
        return size == 4 ? -1 : (1 << (8 * size)) - 1;
    }

    @Override
    public void out(int port, int size, int value) {
        status = exitStatus(value) & 0xFF;
        control.requestExit(ExitReason.DEVICE_EXIT);
    }
}
