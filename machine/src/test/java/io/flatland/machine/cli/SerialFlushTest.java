package io.flatland.machine.cli;

import io.flatland.machine.DemoKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Serial output without a newline reaches the host: when the guest stops writing (a
 * {@code login: } prompt while it polls for input) and when the process is killed. Runs
 * the CLI in a child JVM, as a user would, and watches its standard output as it comes.
 */
class SerialFlushTest {
    @TempDir
    Path dir;

    /** out dx, al for each character of {@code text} on {@code port}. */
    private static void print(ByteArrayOutputStream code, int port, String text) {
        code.writeBytes(new byte[] {0x66, (byte) 0xBA, (byte) port, (byte) (port >> 8)});         // mov dx, port
        for (char c : text.toCharArray()) code.writeBytes(new byte[] {(byte) 0xB0, (byte) c, (byte) 0xEE});
    }

    private Process start(byte[] kernel, String... args) throws IOException {
        Files.write(dir.resolve("k.bin"), kernel);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        for (String a : args) if (a.startsWith("-D")) cmd.add(a);
        cmd.add(Main.class.getName());
        cmd.addAll(List.of("-kernel", "k.bin", "-no-reboot"));
        for (String a : args) if (!a.startsWith("-D")) cmd.add(a);
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
    }

    /** The child's standard output so far (a file: a pipe's last bytes can race with the process's exit). */
    private String stdout() throws IOException {
        return Files.readString(dir.resolve("stdout.txt"), StandardCharsets.ISO_8859_1);
    }

    private String waitFor(String want, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        String got;
        do {
            got = stdout();
            if (got.contains(want)) return got;
            Thread.sleep(20);
        } while (System.currentTimeMillis() < end);
        return got;
    }

    @ParameterizedTest
    @CsvSource({"interp, --icount", "jit, --icount", "interp, -no-reboot", "jit, -no-reboot"})
    void aPromptAppearsWhileTheGuestPollsForInput(String accel, String timeMode) throws Exception {
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        print(code, 0x3F8, "login: ");
        code.writeBytes(new byte[] {0x66, (byte) 0xBA, (byte) 0xFD, 0x03, (byte) 0xEC, (byte) 0xEB, (byte) 0xFD}); // mov dx, LSR; poll: in al, dx; jmp poll
        Process p = start(DemoKernel.aout(code.toByteArray()), "-accel", accel, timeMode);
        try {
            String got = waitFor("login: ", 30_000);
            assertEquals("login: ", got, "the prompt arrives while the guest still runs");
            assertTrue(p.isAlive(), "the guest is still polling");
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPartialLineIsFlushedWhenTheProcessIsKilled() throws Exception {
        // Idle flushing off: only a newline, the end of the run, or the kill can flush.
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        print(code, 0x3F8, "partial line");
        print(code, 0x2F8, "ready\n");                                  // COM2 -> file, flushed by its newline
        code.writeBytes(new byte[] {(byte) 0xEB, (byte) 0xFE});          // jmp $
        Process p = start(DemoKernel.aout(code.toByteArray()), "-Dflatland.serial.idleFlushMs=3600000",
                "-serial", "stdio", "-serial", "file:com2.txt", "--icount");
        Path com2 = dir.resolve("com2.txt");
        long end = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < end && !(Files.exists(com2) && Files.readString(com2).equals("ready\n"))) Thread.sleep(20);
        assertEquals("ready\n", Files.readString(com2), "the guest got past its partial line");
        Thread.sleep(200);
        assertEquals("", stdout(), "nothing flushed yet (no newline, idle flushing off)");
        p.destroy();                                                     // SIGTERM
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the process ends on SIGTERM");
        assertEquals("partial line", stdout(),
                "exit status " + p.exitValue() + ", stderr: " + Files.readString(dir.resolve("stderr.txt")));
    }
}
