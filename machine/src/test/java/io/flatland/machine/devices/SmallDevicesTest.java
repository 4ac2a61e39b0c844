package io.flatland.machine.devices;

import io.flatland.cpu.ExitReason;
import io.flatland.cpu.IoBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * isa-debug-exit (QEMU's formula), the POST port, port 0x92 and the 8042's reset command, with
 * a machine control that records what the devices ask of the machine.
 */
class SmallDevicesTest {
    private IoBus io;
    /** What the devices asked for: the last exit request, the A20 gate, and the count they read. */
    private ExitReason exitRequest;
    private Boolean a20;
    private long icount;
    private Wiring wiring;
    private final java.util.List<String> guestErrors = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() {
        io = new IoBus();
        exitRequest = ExitReason.NONE;
        a20 = null;
        wiring = new Wiring(io, line -> InterruptLine.NONE, new MachineControl() {
            @Override public void requestExit(ExitReason why) { exitRequest = why; }
            @Override public void setA20(boolean enabled) { a20 = enabled; }
            @Override public long instructionCount() { return icount; }
            @Override public void guestError(String what) { guestErrors.add(what); }
        });
    }

    @Test
    void debugExitStatusIsValueShiftedLeftOrOne() {
        assertEquals(33, DebugExit.exitStatus(0x10));
        assertEquals(35, DebugExit.exitStatus(0x11));
        assertEquals(1, DebugExit.exitStatus(0));
        DebugExit d = new DebugExit();
        d.attach(wiring);
        io.out(0xF4, 1, 0x12);
        assertEquals(37, d.status());
        assertEquals(ExitReason.DEVICE_EXIT, exitRequest);
    }

    @Test
    void debugExitDecodesFourPorts() {
        DebugExit d = new DebugExit();
        d.attach(wiring);
        io.out(0xF7, 1, 1);
        assertEquals(3, d.status());
    }

    @Test
    void postCodesAreRecordedWithTheInstructionCount() {
        PostPort p = new PostPort();
        p.attach(wiring);
        icount = 1234;
        io.out(0x80, 1, 0x07);
        assertEquals(1, p.milestones().size());
        assertEquals(0x07, p.milestones().get(0).code());
        assertEquals(1234, p.milestones().get(0).icount());
        assertEquals(ExitReason.NONE, exitRequest);
        p.stopAt(0x08);
        io.out(0x80, 1, 0x08);
        assertEquals(ExitReason.DEVICE_EXIT, exitRequest);
    }

    /** Linux writes port 0x80 as an I/O delay, endlessly: the record stops growing, the stop code still works. */
    @Test
    void postCodesBeyondTheRecordAreCountedOnly() {
        PostPort p = new PostPort();
        p.attach(wiring);
        for (int i = 0; i < PostPort.MAX_RECORDED + 500; i++) io.out(0x80, 1, 0);
        assertEquals(PostPort.MAX_RECORDED, p.milestones().size());
        assertEquals(500, p.unrecorded());
        p.stopAt(0x09);
        io.out(0x80, 1, 0x09);
        assertEquals(ExitReason.DEVICE_EXIT, exitRequest);
    }

    @Test
    void port92Bit0RisingEdgeResets() {
        SystemControlPortA p = new SystemControlPortA();
        p.attach(wiring);
        io.out(0x92, 1, 0x02);
        assertEquals(ExitReason.NONE, exitRequest);
        assertEquals(Boolean.TRUE, a20, "bit 1 drives the A20 gate");
        io.out(0x92, 1, 0x03);
        assertEquals(ExitReason.RESET, exitRequest);
        io.out(0x92, 1, 0x00);
        assertEquals(Boolean.FALSE, a20);
    }

    @Test
    void keyboardControllerIsReadyAndFeResets() {
        KeyboardController k = new KeyboardController();
        k.attach(wiring);
        assertEquals(0, io.in(0x64, 1) & 0x02, "input buffer empty");
        assertEquals(0x10, io.in(0x64, 1) & 0x10, "keylock switch unlocked (Linux warns otherwise)");
        io.out(0x64, 1, 0xAA);
        assertEquals(1, io.in(0x64, 1) & 0x01);
        assertEquals(0x55, io.in(0x60, 1));
        io.out(0x64, 1, 0xDD);
        assertEquals(Boolean.FALSE, a20, "0xDD disables A20");
        assertEquals(java.util.List.of(), guestErrors);
        io.out(0x64, 1, 0xC0);                       // read the input port: not modelled
        assertEquals(java.util.List.of("8042: command c0 is not implemented, ignored"), guestErrors);
        io.out(0x64, 1, 0xFE);
        assertEquals(ExitReason.RESET, exitRequest);
        assertEquals(1, guestErrors.size(), "a reset pulse is no error");
    }

    /**
     * What Linux's i8042 probe asks: the auxiliary loop (0xD3) and interface test (0xA9) answer
     * at once, and auxiliary data raises IRQ 12 when the command byte enables it.
     */
    @Test
    void keyboardControllerLoopsBytesBackAsAuxiliaryData() {
        boolean[] irq = new boolean[13];
        KeyboardController k = new KeyboardController();
        InterruptLine kbd = level -> irq[1] = level, aux = level -> irq[12] = level;
        k.attach(new Wiring(io, line -> line == KeyboardController.IRQ_KBD ? kbd
                : line == KeyboardController.IRQ_AUX ? aux : InterruptLine.NONE, wiring.control()));
        io.out(0x64, 1, 0x60);
        io.out(0x60, 1, 0x47);                          // command byte: both interrupts enabled
        io.out(0x64, 1, 0xD3);
        io.out(0x60, 1, 0x5A);
        assertEquals(0x21, io.in(0x64, 1) & 0x21, "output full, from the auxiliary port");
        assertTrue(irq[12] && !irq[1]);
        assertEquals(0x5A, io.in(0x60, 1));
        assertFalse(irq[12], "reading the data drops the line");
        assertEquals(0, io.in(0x64, 1) & 0x21);
        io.out(0x64, 1, 0x60);
        io.out(0x60, 1, 0x45);                          // auxiliary interrupt disabled
        io.out(0x64, 1, 0xD3);
        io.out(0x60, 1, 0x11);
        assertFalse(irq[12]);
        assertEquals(0x11, io.in(0x60, 1));
        io.out(0x64, 1, 0xD2);
        io.out(0x60, 1, 0xA5);
        assertEquals(0x01, io.in(0x64, 1) & 0x21, "keyboard data: bit 5 clear");
        assertEquals(0xA5, io.in(0x60, 1));
        io.out(0x64, 1, 0xA9);
        assertEquals(0x01, io.in(0x64, 1) & 0x01);
        assertEquals(0x00, io.in(0x60, 1));
        io.out(0x64, 1, 0xA7);
        io.out(0x64, 1, 0x20);
        assertEquals(0x20, io.in(0x60, 1) & 0x20, "auxiliary port disabled in the command byte");
        io.out(0x64, 1, 0xA8);
        io.out(0x64, 1, 0x20);
        assertEquals(0, io.in(0x60, 1) & 0x20);
    }
}
