package io.flatland.machine.devices;

import io.flatland.cpu.IoDevice;

import java.io.IOException;
import java.io.OutputStream;

/**
 * QEMU's isa-debugcon (Bochs' port 0xE9 hack): one I/O port; each byte written to it goes
 * to the host output as it is, with no UART to program, and a read returns a fixed byte
 * (QEMU's "readback", 0xE9 by default: a guest can tell the port is there).
 */
public final class DebugCon implements IoDevice, Device {
    private final int iobase;
    private final int readback;
    private final OutputStream out;

    /** @param out where the bytes go (null: dropped) */
    public DebugCon(int iobase, int readback, OutputStream out) {
        this.iobase = iobase;
        this.readback = readback & 0xFF;
        this.out = out;
    }

    @Override
    public void attach(Wiring w) {
        w.io().register(iobase, 1, this);
    }

    /** Nothing to reset: the port has no state. */
    @Override
    public void reset() { }

    /** The readback byte; wider reads see it in the low byte and open bus above. */
    @Override
    public int in(int port, int size) {
        return size == 1 ? readback : (size == 2 ? 0xFF00 : 0xFFFFFF00) | readback;
    }

    /** The low byte goes out; a line end flushes, so that a guest's log shows up line by line. */
    @Override
    public void out(int port, int size, int value) {
        if (out == null) return;
        try {
            out.write(value & 0xFF);
            if ((value & 0xFF) == '\n') out.flush();
        } catch (IOException e) {
            // the output is lost (a closed pipe); the guest cannot be told, QEMU carries on too
        }
    }

    /** Pushes what the guest wrote to the host (the machine calls it at the end of a run). */
    public void flush() {
        if (out == null) return;
        try {
            out.flush();
        } catch (IOException e) {
            // the output is lost; the guest cannot be told
        }
    }
}
