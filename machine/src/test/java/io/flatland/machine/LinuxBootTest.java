package io.flatland.machine;

import io.flatland.cpu.Cpu;
import io.flatland.machine.loader.BadImageException;
import io.flatland.machine.loader.TestImages;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A bzImage is entered by the 32-bit boot protocol (Documentation/x86/boot.rst). */
class LinuxBootTest {
    /**
     * mov eax, 0x18; mov ds, eax; mov ss, eax; jmp 0x10:0x100010 (the GDT's selectors must be
     * flat data and code); mov al, [esi + 0x210] (type_of_loader in boot_params); out 0xF4, al; hlt
     */
    private static final byte[] PROBE = {
        (byte) 0xB8, 0x18, 0, 0, 0,
        (byte) 0x8E, (byte) 0xD8,
        (byte) 0x8E, (byte) 0xD0,
        (byte) 0xEA, 0x10, 0x00, 0x10, 0x00, 0x10, 0x00,
        (byte) 0x8A, (byte) 0x86, 0x10, 0x02, 0, 0,
        (byte) 0xE6, (byte) 0xF4,
        (byte) 0xF4,
    };

    private static Machine machine(byte[] pm) throws BadImageException {
        return new Machine(MachineConfig.builder().ramMiB(32).icount(true).accel(Accel.INTERP)
                .kernel("bzImage", TestImages.bzImage(0x20F, 4, pm)).serialOutput(new ByteArrayOutputStream()).build());
    }

    @Test
    void entryStateIsThe32BitBootProtocols() throws BadImageException {
        try (Machine m = machine(PROBE)) {
            Cpu cpu = m.cpu();
            assertEquals(0x100000, cpu.eip, "code32_start");
            assertEquals(0x10000, cpu.reg[Cpu.ESI], "boot_params");
            assertEquals(0, cpu.reg[Cpu.EBX]);
            assertEquals(0, cpu.reg[Cpu.EBP]);
            assertEquals(0, cpu.reg[Cpu.EDI]);
            assertEquals(0x10, cpu.segSel[Cpu.CS]);
            for (int s : new int[] {Cpu.DS, Cpu.ES, Cpu.SS}) assertEquals(0x18, cpu.segSel[s]);
            assertEquals(0, cpu.eflags & Cpu.IF, "interrupts disabled");
            assertEquals(0, cpu.idtLimit, "the null IDT the real-mode setup leaves");
        }
    }

    @Test
    void theKernelReadsBootParamsThroughItsOwnSegmentLoads() throws BadImageException {
        try (Machine m = machine(PROBE)) {
            RunResult r = m.run(1000);
            assertEquals(RunResult.Outcome.DEBUG_EXIT, r.outcome());
            assertEquals((0xB0 << 1 | 1) & 0xFF, r.exitStatus(), "type_of_loader 0xB0 read at ESI + 0x210 (the status is 8 bits)");
        }
    }
}
