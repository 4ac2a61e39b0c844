package io.flatland.machine.devices;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.ExitReason;
import io.flatland.cpu.IoBus;
import io.flatland.mmu.MmioBus;
import io.flatland.mmu.Mmu;
import io.flatland.mmu.PhysicalMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** isa-debug-exit (QEMU's formula), the POST port, port 0x92 and the 8042's reset command. */
class SmallDevicesTest {
    private PhysicalMemory ram;
    private Cpu cpu;
    private IoBus io;

    @BeforeEach
    void setUp() {
        ram = new PhysicalMemory(2 << 20, new MmioBus());
        io = new IoBus();
        cpu = new Cpu(new Mmu(ram), io);
    }

    @AfterEach
    void tearDown() {
        ram.close();
    }

    @Test
    void debugExitStatusIsValueShiftedLeftOrOne() {
        assertEquals(33, DebugExit.exitStatus(0x10));
        assertEquals(35, DebugExit.exitStatus(0x11));
        assertEquals(1, DebugExit.exitStatus(0));
        DebugExit d = new DebugExit(cpu);
        d.attach(io);
        io.out(0xF4, 1, 0x12);
        assertEquals(37, d.status());
        assertEquals(ExitReason.DEVICE_EXIT, cpu.exitRequest);
    }

    @Test
    void debugExitDecodesFourPorts() {
        DebugExit d = new DebugExit(cpu);
        d.attach(io);
        io.out(0xF7, 1, 1);
        assertEquals(3, d.status());
    }

    @Test
    void postCodesAreRecordedWithTheInstructionCount() {
        PostPort p = new PostPort(cpu);
        p.attach(io);
        cpu.icount = 1234;
        io.out(0x80, 1, 0x07);
        assertEquals(1, p.milestones().size());
        assertEquals(0x07, p.milestones().get(0).code());
        assertEquals(1234, p.milestones().get(0).icount());
        assertEquals(ExitReason.NONE, cpu.exitRequest);
        p.stopAt(0x08);
        io.out(0x80, 1, 0x08);
        assertEquals(ExitReason.DEVICE_EXIT, cpu.exitRequest);
    }

    /** Linux writes port 0x80 as an I/O delay, endlessly: the record stops growing, the stop code still works. */
    @Test
    void postCodesBeyondTheRecordAreCountedOnly() {
        PostPort p = new PostPort(cpu);
        p.attach(io);
        for (int i = 0; i < PostPort.MAX_RECORDED + 500; i++) io.out(0x80, 1, 0);
        assertEquals(PostPort.MAX_RECORDED, p.milestones().size());
        assertEquals(500, p.unrecorded());
        p.stopAt(0x09);
        io.out(0x80, 1, 0x09);
        assertEquals(ExitReason.DEVICE_EXIT, cpu.exitRequest);
    }

    @Test
    void port92Bit0RisingEdgeResets() {
        SystemControlPortA p = new SystemControlPortA(cpu);
        p.attach(io);
        io.out(0x92, 1, 0x02);
        assertEquals(ExitReason.NONE, cpu.exitRequest);
        io.out(0x92, 1, 0x03);
        assertEquals(ExitReason.RESET, cpu.exitRequest);
    }

    @Test
    void keyboardControllerIsReadyAndFeResets() {
        KeyboardController k = new KeyboardController(cpu);
        k.attach(io);
        assertEquals(0, io.in(0x64, 1) & 0x02, "input buffer empty");
        assertEquals(0x10, io.in(0x64, 1) & 0x10, "keylock switch unlocked (Linux warns otherwise)");
        io.out(0x64, 1, 0xAA);
        assertEquals(1, io.in(0x64, 1) & 0x01);
        assertEquals(0x55, io.in(0x60, 1));
        io.out(0x64, 1, 0xFE);
        assertEquals(ExitReason.RESET, cpu.exitRequest);
    }

    /**
     * What Linux's i8042 probe asks: the auxiliary loop (0xD3) and interface test (0xA9) answer
     * at once, and auxiliary data raises IRQ 12 when the command byte enables it.
     */
    @Test
    void keyboardControllerLoopsBytesBackAsAuxiliaryData() {
        boolean[] irq = new boolean[13];
        KeyboardController k = new KeyboardController(cpu, level -> irq[1] = level, level -> irq[12] = level);
        k.attach(io);
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
