package io.flatland.machine.devices;

import io.flatland.cpu.ExitReason;
import io.flatland.cpu.IoDevice;

/**
 * The minimum of an 8042 keyboard controller (0x60 data, 0x64 status/command) that
 * guests without a keyboard still touch: the status register reports an empty input
 * buffer (so "wait until the controller is ready" loops end), the system flag and the
 * keylock switch unlocked; command
 * 0xFE pulses the reset line; 0xD1 writes the output port (bit 0 low = reset, bit 1 drives
 * the A20 gate); 0xDD/0xDF disable/enable A20; 0x20/0x60 read and write the command byte;
 * 0xA7/0xA8 and 0xAD/0xAE disable and enable the auxiliary and keyboard ports (command byte
 * bits 5 and 4); 0xAA (self test) answers 0x55; 0xA9/0xAB (interface tests) answer 0; 0xD0
 * reads the output port (0xCF after power-on, as QEMU's); 0xD2/0xD3 loop a byte back as
 * keyboard/auxiliary data; 0xD4 sends a byte to the auxiliary device. No keyboard or mouse
 * is attached: bytes sent to them are dropped and never answered. IRQ 1 and 12 follow the
 * output buffer (see {@link #updateIrq}).
 */
public final class KeyboardController implements IoDevice, Device {
    /**
     * Bit 4 is the keyboard inhibit (keylock) switch, 1 = not inhibited, as on a PC with the
     * key unlocked and in QEMU's 8042; with it clear Linux warns "i8042: Warning: Keylock active".
     */
    static final int STATUS_OBF = 0x01, STATUS_SYS = 0x04, STATUS_CMD = 0x08, STATUS_UNLOCKED = 0x10,
            STATUS_AUX = 0x20;
    /** Command byte bits: keyboard and auxiliary (mouse) clocks disabled. */
    static final int CB_KBD_DISABLED = 0x10, CB_AUX_DISABLED = 0x20;

    private MachineControl control = MachineControl.NONE;
    private int output = -1;        // byte waiting in the output buffer, or -1
    private boolean outputFromAux;  // that byte came from the auxiliary port (status bit 5)
    private int pendingCommand;     // command waiting for its data byte on 0x60
    private int commandByte = 0x45; // translate, system flag, keyboard interrupt (a BIOS leaves this)
    /** Reset line high (bit 0), A20 on (bit 1), the rest as QEMU reports it. */
    private static final int OUTPUT_PORT_RESET = 0xCF;
    private int outputPort = OUTPUT_PORT_RESET;
    private boolean lastWasCommand;

    /** Command byte bits: interrupt on keyboard / auxiliary data in the output buffer. */
    static final int CB_KBD_INT = 0x01, CB_AUX_INT = 0x02;
    /** The keyboard's and the auxiliary device's ISA interrupt lines. */
    public static final int IRQ_KBD = 1, IRQ_AUX = 12;
    private static final int[] LINES = {IRQ_KBD, IRQ_AUX};
    private InterruptLine kbdIrq = InterruptLine.NONE, auxIrq = InterruptLine.NONE;

    /**
     * The controller drives IRQ 1 (IRQ 12) high while keyboard (auxiliary) data waits in the
     * output buffer and the command byte enables that interrupt; reading the data drops it.
     * Linux checks that the auxiliary loop command raises IRQ 12 before it uses the port.
     */
    private void updateIrq() {
        boolean full = output >= 0;
        kbdIrq.set(full && !outputFromAux && (commandByte & CB_KBD_INT) != 0);
        auxIrq.set(full && outputFromAux && (commandByte & CB_AUX_INT) != 0);
    }

    @Override
    public void attach(Wiring w) {
        w.io().register(0x60, 1, this);
        w.io().register(0x64, 1, this);
        control = w.control();
        kbdIrq = w.irq().apply(IRQ_KBD);
        auxIrq = w.irq().apply(IRQ_AUX);
    }

    @Override
    public int[] irqLines() { return LINES; }

    @Override
    public int in(int port, int size) {
        if (port == 0x64) {
            return (output >= 0 ? STATUS_OBF : 0) | STATUS_SYS | (lastWasCommand ? STATUS_CMD : 0) | STATUS_UNLOCKED
                    | (output >= 0 && outputFromAux ? STATUS_AUX : 0);
        }
        int v = output >= 0 ? output : 0;
        output = -1;
        outputFromAux = false;
        updateIrq();
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
            case 0x60 -> {
                commandByte = value;
                updateIrq();
            }
            case 0xD1 -> writeOutputPort(value);
            case 0xD2 -> put(value, false);
            case 0xD3 -> put(value, true);
            default -> { }              // data for the (absent) keyboard or mouse (0xD4) is dropped
        }
        pendingCommand = 0;
    }

    private void command(int cmd) {
        switch (cmd) {
            case 0x20 -> put(commandByte, false);
            case 0x60, 0xD1, 0xD2, 0xD3, 0xD4 -> pendingCommand = cmd;
            case 0xA7 -> commandByte |= CB_AUX_DISABLED;
            case 0xA8 -> commandByte &= ~CB_AUX_DISABLED;
            case 0xAD -> commandByte |= CB_KBD_DISABLED;
            case 0xAE -> commandByte &= ~CB_KBD_DISABLED;
            // Self test passed; the keyboard and auxiliary interface tests find no fault (0x00):
            // the lines are fine even with nothing plugged in, as on QEMU's 8042.
            case 0xAA -> put(0x55, false);
            case 0xA9, 0xAB -> put(0x00, false);
            case 0xD0 -> put(outputPort, false);
            case 0xDD -> setA20(false);
            case 0xDF -> setA20(true);
            case 0xFE -> control.requestExit(ExitReason.RESET);
            default -> {
                // 0xF0-0xFF pulse output-port lines; bit 0 is the reset line.
                if (cmd >= 0xF0 && (cmd & 1) == 0) control.requestExit(ExitReason.RESET);
                else if (cmd < 0xF0) control.guestError(String.format("8042: command %02x is not implemented, ignored", cmd));
            }
        }
    }

    /**
     * A byte into the output buffer. 0xD2/0xD3 echo their data byte as if the keyboard or the
     * auxiliary device had sent it, which is how Linux's probe finds the auxiliary port; without
     * them it waits twice for its 0.5 s timeout (1 s of the boot under QEMU's icount).
     */
    private void put(int value, boolean fromAux) {
        output = value;
        outputFromAux = fromAux;
        updateIrq();
    }

    private void writeOutputPort(int value) {
        outputPort = value;
        control.setA20((value & 2) != 0);
        if ((value & 1) == 0) control.requestExit(ExitReason.RESET);
    }

    private void setA20(boolean on) {
        outputPort = on ? outputPort | 2 : outputPort & ~2;
        control.setA20(on);
    }

    @Override
    public void reset() {
        output = -1;
        outputFromAux = false;
        pendingCommand = 0;
        commandByte = 0x45;
        outputPort = OUTPUT_PORT_RESET;
        lastWasCommand = false;
        updateIrq();
    }
}
