package io.flatland.machine.devices;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.ExitReason;
import io.flatland.cpu.IoBus;
import io.flatland.cpu.IoDevice;

/**
 * Port 0x92 ("fast A20" / PS/2 system control port A): bit 1 drives the A20 gate, and a
 * 0-to-1 transition of bit 0 resets the CPU. As in QEMU, every write drives the gate (the
 * 8042's output port drives the same line: the last writer wins) and reads return the
 * value written, which is 0x02 after the firmware enabled A20.
 */
public final class SystemControlPortA implements IoDevice {
    private final Cpu cpu;
    private int value = 0x02;

    public SystemControlPortA(Cpu cpu) {
        this.cpu = cpu;
    }

    public void attach(IoBus io) {
        io.register(0x92, 1, this);
    }

    @Override
    public int in(int port, int size) {
        return value & ~1;
    }

    @Override
    public void out(int port, int size, int v) {
        boolean resetEdge = (v & 1) != 0 && (value & 1) == 0;
        value = v & 0xFF;
        cpu.mmu.setA20((value & 2) != 0);
        if (resetEdge) cpu.exitRequest = ExitReason.RESET;
    }

    public boolean a20() { return (value & 2) != 0; }

    public void reset() { value = 0x02; }
}
