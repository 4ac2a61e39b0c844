package io.flatland.machine.cli;

import io.flatland.machine.DemoKernel;
import io.flatland.machine.RunResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a run ends: a guest that can never wake up, and a guest exit on the budget's last instruction. */
class GuestEndingsTest {
    @TempDir
    Path dir;

    private String out, err;

    private int run(InputStream in, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int status = Main.run(args, in, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), dir);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    private void kernel(byte[] code) throws IOException {
        Files.write(dir.resolve("k.bin"), DemoKernel.aout(code));
    }

    private void assertHalted(String accel, InputStream in, String message) {
        int st = run(in, "-kernel", "k.bin", "-accel", accel, "--icount", "-no-reboot");
        assertEquals(RunResult.STATUS_HALTED, st, "stderr: " + err);
        assertEquals("flatland: " + message + "\n", err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit"})
    void cliHltEndsWithStatus6AndSaysWhy(String accel) throws IOException {
        kernel(new byte[] {(byte) 0xFA, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD});        // cli; hlt; jmp hlt
        assertHalted(accel, null, RunResult.HALTED_IF_CLEAR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit"})
    void hltWithNoInterruptSourceEndsWithStatus6(String accel) throws IOException {
        // Every 8259 line masked (the BIOS tick included), sti; hlt, no serial input: nothing can raise an interrupt.
        kernel(new byte[] {
            (byte) 0xB0, (byte) 0xFF,               // mov al, 0xFF
            (byte) 0xE6, 0x21,                      // out 0x21, al
            (byte) 0xE6, (byte) 0xA1,               // out 0xA1, al
            (byte) 0xFB, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD,   // sti; hlt; jmp hlt
        });
        assertHalted(accel, null, RunResult.HALTED_NO_WAKEUP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit"})
    void hltWaitingForSerialInputAfterItsEndEndsWithStatus6(String accel) throws IOException {
        // COM1 receive interrupt on (IER=1), only IRQ4 unmasked, sti; hlt.
        kernel(new byte[] {
            (byte) 0xB0, (byte) 0xEF,               // mov al, 0xEF
            (byte) 0xE6, 0x21,                      // out 0x21, al
            (byte) 0xB0, (byte) 0xFF,               // mov al, 0xFF
            (byte) 0xE6, (byte) 0xA1,               // out 0xA1, al
            0x66, (byte) 0xBA, (byte) 0xF9, 0x03,   // mov dx, 0x3F9
            (byte) 0xB0, 0x01,                      // mov al, 1
            (byte) 0xEE,                            // out dx, al
            (byte) 0xFB, (byte) 0xF4,               // sti; hlt
            (byte) 0xEB, (byte) 0xFD,               // jmp hlt
        });
        assertHalted(accel, new ByteArrayInputStream(new byte[0]), RunResult.HALTED_NO_WAKEUP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit"})
    void guestExitOnTheBudgetsLastInstructionWins(String accel) throws IOException {
        Files.write(dir.resolve("demo.bin"), DemoKernel.image());
        Path stats = dir.resolve("s.json");
        assertEquals(33, run(null, "-kernel", "demo.bin", "-accel", accel, "--icount", "-serial", "none",
                "--stats", stats.toString()), err);
        Matcher m = Pattern.compile("\"retired_instructions\":\\s*(\\d+)").matcher(Files.readString(stats));
        assertTrue(m.find(), "retired_instructions in --stats");
        long n = Long.parseLong(m.group(1));       // the OUT to isa-debug-exit is the n-th instruction
        assertEquals(33, run(null, "-kernel", "demo.bin", "-accel", accel, "--icount", "-serial", "none",
                "--max-insns", Long.toString(n)), "exit on instruction n with --max-insns n; stderr: " + err);
        assertEquals(4, run(null, "-kernel", "demo.bin", "-accel", accel, "--icount", "-serial", "none",
                "--max-insns", Long.toString(n - 1)), "one instruction short");
    }
}
