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
}
