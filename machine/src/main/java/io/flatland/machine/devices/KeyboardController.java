package io.flatland.machine.devices;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.ExitReason;
import io.flatland.cpu.IoBus;
import io.flatland.cpu.IoDevice;

/**
 * The minimum of an 8042 keyboard controller (0x60 data, 0x64 status/command) that
 * guests without a keyboard still touch: the status register reports an empty input
 * buffer (so "wait until the controller is ready" loops end), the system flag and the
 * keylock switch unlocked; command
 * 0xFE pulses the reset line; 0xD1 writes the output port (bit 0 low = reset, bit 1 drives
 * the A20 gate); 0xDD/0xDF disable/enable A20; 0x20/0x60 read and write the command byte;
 * 0xAA (self test) answers 0x55; 0xAB (interface test) answers 0; 0xD0 reads the output
 * port (0xCF after power-on, as QEMU's). No keyboard is attached.
 */
public final class KeyboardController implements IoDevice {
    /**
     * Bit 4 is the keyboard inhibit (keylock) switch, 1 = not inhibited, as on a PC with the
     * key unlocked and in QEMU's 8042; with it clear Linux warns "i8042: Warning: Keylock active".
     */
    static final int STATUS_OBF = 0x01, STATUS_SYS = 0x04, STATUS_CMD = 0x08, STATUS_UNLOCKED = 0x10;

    private final Cpu cpu;
    private int output = -1;        // byte waiting in the output buffer, or -1
    private int pendingCommand;     // command waiting for its data byte on 0x60
    private int commandByte = 0x45; // translate, system flag, keyboard interrupt (a BIOS leaves this)
    /** Reset line high (bit 0), A20 on (bit 1), the rest as QEMU reports it. */
    private static final int OUTPUT_PORT_RESET = 0xCF;
    private int outputPort = OUTPUT_PORT_RESET;
    private boolean lastWasCommand;

    public KeyboardController(Cpu cpu) {
        this.cpu = cpu;
    }

    public void attach(IoBus io) {
        io.register(0x60, 1, this);
        io.register(0x64, 1, this);
    }

    @Override
    public int in(int port, int size) {
        if (port == 0x64) {
            return (output >= 0 ? STATUS_OBF : 0) | STATUS_SYS | (lastWasCommand ? STATUS_CMD : 0) | STATUS_UNLOCKED;
        }
        int v = output >= 0 ? output : 0;
        output = -1;
        return v;
    }

    @Override
    public void out(int port, int size, int value) {
        value &= 0xFF;
        if (port == 0x64) {
            lastWasCommand = true;
            command(value);
            return;
        }
        lastWasCommand = false;
        switch (pendingCommand) {
            case 0x60 -> commandByte = value;
            case 0xD1 -> writeOutputPort(value);
            default -> { }              // data for the (absent) keyboard is dropped
        }
        pendingCommand = 0;
    }

    private void command(int cmd) {
        switch (cmd) {
            case 0x20 -> output = commandByte;
            case 0x60, 0xD1 -> pendingCommand = cmd;
            case 0xAA -> output = 0x55;
            case 0xAB -> output = 0x00;
            case 0xD0 -> output = outputPort;
            case 0xDD -> setA20(false);
            case 0xDF -> setA20(true);
            case 0xFE -> cpu.exitRequest = ExitReason.RESET;
            default -> {
                // 0xF0-0xFF pulse output-port lines; bit 0 is the reset line.
                if (cmd >= 0xF0 && (cmd & 1) == 0) cpu.exitRequest = ExitReason.RESET;
            }
        }
    }

    private void writeOutputPort(int value) {
        outputPort = value;
        cpu.mmu.setA20((value & 2) != 0);
        if ((value & 1) == 0) cpu.exitRequest = ExitReason.RESET;
    }

    private void setA20(boolean on) {
        outputPort = on ? outputPort | 2 : outputPort & ~2;
        cpu.mmu.setA20(on);
    }

    public void reset() {
        output = -1;
        pendingCommand = 0;
        commandByte = 0x45;
        outputPort = OUTPUT_PORT_RESET;
        lastWasCommand = false;
    }
}
