package io.flatland.machine;

import io.flatland.cpu.Cpu;
import io.flatland.machine.loader.BadImageException;
import io.flatland.cpu.IoBus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Virtual time under --icount: timers, HLT skipping ahead, and when nothing can wake the CPU. */
class PcPlatformTest {
    private static Machine machine() throws BadImageException {
        return new Machine(MachineConfig.builder().ramMiB(4).icount(true).kernel("k", DemoKernel.image())
                .serialOutput(new ByteArrayOutputStream()).build());
    }

    private static void initPics(IoBus io) {
        io.out(0x20, 1, 0x11);
        io.out(0x21, 1, 0x20);
        io.out(0x21, 1, 0x04);
        io.out(0x21, 1, 0x01);
        io.out(0x21, 1, 0xFE);    // only IRQ0
    }

    @Test
    void haltWithNoTimerArmedCannotWake() throws BadImageException {
        try (Machine m = machine()) {
            // The BIOS tick (the 8254 as SeaBIOS leaves it) wakes a halted CPU until the guest masks it.
            assertTrue(m.platform().idle(m.cpu()));
            m.io().out(0x21, 1, 0xFF);
            m.io().out(0xA1, 1, 0xFF);
            m.platform().acknowledgeInterrupt();
            assertFalse(m.platform().idle(m.cpu()));
        }
    }

    @Test
    void haltSkipsVirtualTimeToTheNextPitInterruptWithoutRetiringInstructions() throws BadImageException {
        try (Machine m = machine()) {
            Cpu cpu = m.cpu();
            IoBus io = m.io();
            initPics(io);
            io.out(0x43, 1, 0x34);            // channel 0, LSB/MSB, mode 2
            io.out(0x40, 1, 1193 & 0xFF);
            io.out(0x40, 1, 1193 >> 8);
            assertFalse(m.platform().interruptPending());
            assertTrue(m.platform().idle(cpu));
            assertTrue(m.platform().interruptPending());
            assertEquals(0x20, m.platform().acknowledgeInterrupt());
            // 1193 input clocks of 1/1193182 s: the first nanosecond at or after 999,847.4 ns.
            assertEquals(999_848, m.clock().nowNs());
            assertEquals(0, cpu.icount);
            // The next deadline is one period later, expressed in instructions (1 insn = 1 ns).
            assertEquals(1_999_695 - 999_848, cpu.nextEventAt - cpu.icount);
        }
    }

    @Test
    void serviceRaisesIrq0WhenInstructionsReachTheDeadline() throws BadImageException {
        try (Machine m = machine()) {
            Cpu cpu = m.cpu();
            initPics(m.io());
            m.io().out(0x43, 1, 0x34);
            m.io().out(0x40, 1, 100);
            m.io().out(0x40, 1, 0);
            m.platform().service(cpu);
            long deadline = cpu.nextEventAt;
            assertEquals(83_810, deadline, "100 ticks = 83,809.6 ns, rounded up");
            cpu.icount = deadline - 1;
            m.platform().service(cpu);
            assertFalse(m.platform().interruptPending());
            cpu.icount = deadline;
            m.platform().service(cpu);
            assertTrue(m.platform().interruptPending());
        }
    }
}
