package io.flatland.machine.devices;

import io.flatland.cpu.ExitReason;
import io.flatland.cpu.IoDevice;

/**
 * Port 0x92 ("fast A20" / PS/2 system control port A): bit 1 drives the A20 gate, and a
 * 0-to-1 transition of bit 0 resets the CPU. As in QEMU, every write drives the gate (the
 * 8042's output port drives the same line: the last writer wins) and reads return the
 * value written, which is 0x02 after the firmware enabled A20.
 */
public final class SystemControlPortA implements IoDevice, Device {
    private MachineControl control = MachineControl.NONE;
    private int value = 0x02;

    @Override
    public void attach(Wiring w) {
        w.io().register(0x92, 1, this);
        control = w.control();
    }

    @Override
    public int in(int port, int size) {
        return value & ~1;
    }

    @Override
    public void out(int port, int size, int v) {
        boolean resetEdge = (v & 1) != 0 && (value & 1) == 0;
        value = v & 0xFF;
        control.setA20((value & 2) != 0);
        if (resetEdge) control.requestExit(ExitReason.RESET);
    }

    public boolean a20() { return (value & 2) != 0; }

    @Override
    public void reset() { value = 0x02; }
}
