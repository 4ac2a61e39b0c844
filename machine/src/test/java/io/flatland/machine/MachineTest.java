package io.flatland.machine;

import io.flatland.cpu.Cpu;
import io.flatland.machine.loader.BadImageException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embeddable API: stopping at POST milestones, budgets, resets, the Multiboot hand-over. */
class MachineTest {
    /** inc byte [0x500]; cmp byte [0x500], 3; je +5; mov al, 0xFE; out 0x64, al; hlt; mov al, [0x500]; out 0xF4, al; hlt */
    private static final byte[] RESET_THRICE = {
        (byte) 0xFE, 0x05, 0x00, 0x05, 0x00, 0x00,
        (byte) 0x80, 0x3D, 0x00, 0x05, 0x00, 0x00, 0x03,
        0x74, 0x05,
        (byte) 0xB0, (byte) 0xFE,
        (byte) 0xE6, 0x64,
        (byte) 0xF4,
        (byte) 0xA0, 0x00, 0x05, 0x00, 0x00,
        (byte) 0xE6, (byte) 0xF4,
        (byte) 0xF4,
    };

    private static MachineConfig.Builder config(byte[] kernel) {
        return MachineConfig.builder().ramMiB(16).icount(true).kernel("k", kernel).serialOutput(new ByteArrayOutputStream());
    }

    @Test
    void registersAtEntryAreThoseOfTheMultibootHandOver() throws BadImageException {
        try (Machine m = new Machine(config(DemoKernel.image()).build())) {
            Cpu cpu = m.cpu();
            assertEquals(0x2BADB002, cpu.reg[Cpu.EAX]);
            assertEquals(0x9500, cpu.reg[Cpu.EBX]);
            assertEquals(0x100020, cpu.eip);
            assertEquals(0x08, cpu.segSel[Cpu.CS]);
            assertEquals(0x10, cpu.segSel[Cpu.DS]);
            assertEquals(0, cpu.eflags & Cpu.IF);
        }
    }

    @Test
    void runUntilPostStopsAndRunContinues() throws BadImageException {
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        try (Machine m = new Machine(config(DemoKernel.image()).serialOutput(serial).build())) {
            RunResult r = m.runUntilPost(0x01, 1_000_000);
            assertEquals(RunResult.Outcome.POST_MILESTONE, r.outcome());
            assertEquals(1, m.milestones().size());
            assertEquals("", serial.toString());
            r = m.run();
            assertEquals(RunResult.Outcome.DEBUG_EXIT, r.outcome());
            assertEquals(33, r.exitStatus());
            assertEquals(DemoKernel.MESSAGE, serial.toString());
            assertEquals(0x07, m.milestones().get(1).code());
        }
    }

    @Test
    void budgetStopsAfterExactlyThatManyInstructions() throws BadImageException {
        try (Machine m = new Machine(config(DemoKernel.image()).build())) {
            RunResult r = m.run(3);
            assertEquals(RunResult.Outcome.BUDGET, r.outcome());
            assertEquals(4, r.exitStatus());
            assertEquals(3, m.cpu().icount);
        }
    }

    @Test
    void keyboardControllerResetRebootsTheSameKernel() throws BadImageException {
        try (Machine m = new Machine(config(DemoKernel.aout(RESET_THRICE)).build())) {
            RunResult r = m.run(1_000_000);
            assertEquals(RunResult.Outcome.DEBUG_EXIT, r.outcome());
            assertEquals((3 << 1) | 1, r.exitStatus());
            assertEquals(2, m.resets());
        }
    }

    @Test
    void guestRamIsCommittedOnlyWhereTouched() throws BadImageException {
        MachineConfig.Builder b = MachineConfig.builder().ram(MachineConfig.MAX_RAM).icount(true)
                .kernel("k", DemoKernel.image()).serialOutput(new ByteArrayOutputStream());
        try (Machine m = new Machine(b.build())) {
            assertEquals(33, m.run().exitStatus());
            // Low memory (BIOS data, boot information), the option ROM's GDT, the kernel: a few 64 KiB chunks of 57,344.
            int chunks = m.ram().materializedChunks();
            assertTrue(chunks > 0 && chunks <= 8, chunks + " chunks materialized");
        }
    }

    @Test
    void resetUnderNoRebootEndsTheRunWithStatus0() throws BadImageException {
        try (Machine m = new Machine(config(DemoKernel.aout(RESET_THRICE)).noReboot(true).build())) {
            RunResult r = m.run(1_000_000);
            assertEquals(RunResult.Outcome.RESET, r.outcome());
            assertEquals(0, r.exitStatus());
        }
    }
}
