package io.flatland.machine.cli;

import io.flatland.machine.DemoKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The `flatland` launcher itself, on the jar Maven just packaged (a surefire execution in
 * the integration-test phase; FLATLAND_NO_BUILD keeps it from rebuilding). With standard
 * input closed ({@code <&-}) the guest's COM1 must receive nothing: the JVM's first opened
 * file would otherwise become descriptor 0 and feed the guest its bytes. Under LANG=C,
 * non-ASCII file names and -append bytes pass through unchanged.
 */
class LauncherIT {
    @TempDir
    Path dir;

    /** Echoes what COM1 receives back to COM1; exits (v = 0x10) after three bytes. */
    private static byte[] echoThree() {
        byte[] code = {
            0x31, (byte) 0xDB,                           // 0  xor ebx, ebx
            0x66, (byte) 0xBA, (byte) 0xFD, 0x03,        // 2  poll: mov dx, 0x3FD (LSR)
            (byte) 0xEC,                                 // 6  in al, dx
            (byte) 0xA8, 0x01,                           // 7  test al, 1 (data ready)
            0x74, (byte) 0xF7,                           // 9  jz poll
            0x66, (byte) 0xBA, (byte) 0xF8, 0x03,        // 11 mov dx, 0x3F8
            (byte) 0xEC,                                 // 15 in al, dx
            (byte) 0xEE,                                 // 16 out dx, al
            0x43,                                        // 17 inc ebx
            (byte) 0x80, (byte) 0xFB, 0x03,              // 18 cmp bl, 3
            0x75, (byte) 0xEB,                           // 21 jne poll (back to 2: -21)
            (byte) 0xB0, 0x10, (byte) 0xE6, (byte) 0xF4, // 23 mov al, 0x10; out 0xF4, al
            (byte) 0xFA, (byte) 0xF4,                    // 27 cli; hlt
        };
        return DemoKernel.aout(code);
    }

    static Path launcher() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("flatland"))) p = p.getParent();
        assertNotNull(p, "the flatland launcher above " + Path.of("").toAbsolutePath());
        return p.resolve("flatland");
    }

    private record Run(int status, String out) { }

    private Run sh(String script) throws IOException, InterruptedException {
        Files.write(dir.resolve("echo.bin"), echoThree());
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/bash", "-c", script)).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("FLATLAND", launcher().toString());
        pb.environment().put("FLATLAND_NO_BUILD", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ends");
        String err = Files.readString(dir.resolve("err.txt"));
        assertTrue(!err.contains("building"), "the launcher used the packaged jar: " + err);
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void nonAsciiArgumentsPassThroughUnderLangC() throws Exception {
        Path mbinfo = Path.of(LauncherIT.class.getResource("/kernels/mbinfo.elf").toURI());
        Files.copy(mbinfo, ByteStrings.path(dir, "k\u00E9.elf"));
        Run r = sh("export LC_ALL=C LANG=C; \"$FLATLAND\" -kernel \"$(printf 'k\\351.elf')\" -append \"$(printf 'caf\\351 \\377')\""
                + " -serial \"file:$(printf 'out\\351.txt')\" --icount -no-reboot");
        assertEquals(33, r.status(), Files.readString(dir.resolve("err.txt")));
        String serial = Files.readString(ByteStrings.path(dir, "out\u00E9.txt"), StandardCharsets.ISO_8859_1);
        assertTrue(serial.contains("cmdline=\"k\\xe9.elf caf\\xe9 \\xff\"\n"), serial);
    }

    @Test
    void theGuestReadsWhatStdinHolds() throws Exception {
        Run r = sh("printf abc | \"$FLATLAND\" -kernel echo.bin --icount -no-reboot");
        assertEquals("abc", r.out());
        assertEquals(33, r.status());
    }

    @Test
    void withStdinClosedTheGuestReceivesNothing() throws Exception {
        Run r = sh("\"$FLATLAND\" -kernel echo.bin --icount -no-reboot --max-insns 3000000 <&-");
        assertEquals("", r.out(), "no byte reached COM1");
        assertEquals(4, r.status(), "the guest was still waiting when the budget ran out");
    }
}
