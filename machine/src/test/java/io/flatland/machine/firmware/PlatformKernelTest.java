package io.flatland.machine.firmware;

import io.flatland.machine.Accel;
import io.flatland.machine.Machine;
import io.flatland.machine.MachineConfig;
import io.flatland.machine.MachineType;
import io.flatland.machine.RunResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform probe (src/test/resources/platform/platform.c) on Flatland's pc against QEMU
 * 7.2's recorded answers, under both engines: fw_cfg, the ACPI tables (what must match:
 * signatures, revisions, checksums, FADT fields, MADT entries, \_S5), PCI configuration space,
 * the PM timer's rate against the PIT, pc-testdev and pci-testdev, and the S5 power-off that
 * ends the run with status 0. Run as record.sh runs QEMU: 64 MiB, -nodefaults (no VGA, no NIC).
 */
class PlatformKernelTest {
    static byte[] resource(String name) throws IOException {
        try (InputStream in = PlatformKernelTest.class.getResourceAsStream("/platform/" + name)) {
            assertNotNull(in, "/platform/" + name + " is not on the test class path (record.sh makes it)");
            return in.readAllBytes();
        }
    }

    private static void check(Accel accel, boolean testdevs, String expected) throws Exception {
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        MachineConfig cfg = MachineConfig.builder().ramMiB(64).icount(true).accel(accel).machine(MachineType.PC)
                .pcTestdev(testdevs).pciTestdev(testdevs)
                .kernel("platform.elf", resource("platform.elf")).serialOutput(serial).build();
        try (Machine m = new Machine(cfg)) {
            RunResult r = m.run(2_000_000_000L);
            String want = new String(resource(expected), StandardCharsets.ISO_8859_1), got = serial.toString(StandardCharsets.ISO_8859_1);
            if (!want.equals(got)) java.nio.file.Files.writeString(java.nio.file.Path.of("target", "platform-" + accel + (testdevs ? "-testdevs" : "") + ".out"), got);
            assertEquals(want, got, "serial output differs from QEMU's (Flatland's in target/platform-" + accel + (testdevs ? "-testdevs" : "") + ".out)");
            assertEquals(RunResult.Outcome.POWER_OFF, r.outcome(), () -> "run ended with " + r);
            assertEquals(Integer.parseInt(new String(resource("platform.status")).trim()), r.exitStatus());
        }
    }

    @ParameterizedTest
    @EnumSource(Accel.class)
    void plainPcAnswersAsQemu(Accel accel) throws Exception {
        check(accel, false, "platform.expected");
    }

    @ParameterizedTest
    @EnumSource(Accel.class)
    void testDevicesAnswerAsQemu(Accel accel) throws Exception {
        check(accel, true, "platform-testdevs.expected");
    }

    /** isapc keeps none of it: no fw_cfg signature, no ACPI tables, no PCI, no S5 (the probe ends by isa-debug-exit). */
    @ParameterizedTest
    @EnumSource(Accel.class)
    void isapcHasNoneOfIt(Accel accel) throws Exception {
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        MachineConfig cfg = MachineConfig.builder().ramMiB(64).icount(true).accel(accel).machine(MachineType.ISAPC)
                .kernel("platform.elf", resource("platform.elf")).serialOutput(serial).build();
        try (Machine m = new Machine(cfg)) {
            RunResult r = m.run(2_000_000_000L);
            String out = serial.toString(StandardCharsets.ISO_8859_1);
            assertTrue(out.contains("fwcfg signature: ff ff ff ff"), out);
            assertTrue(out.contains("acpi: no RSDP"), out);
            assertTrue(out.contains("pci absent 00:1f.0 ffffffff"), out);
            assertTrue(out.contains("platform: still running after S5"), out);
            assertEquals(RunResult.Outcome.DEBUG_EXIT, r.outcome());
        }
    }
}
