package io.flatland.machine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arguments reach the guest and the file system byte for byte, whatever the locale, as in
 * QEMU: under LANG=C (where the JVM decodes every non-ASCII byte of argv to U+FFFD) a kernel,
 * module, --stats and -serial file whose names hold bytes 0xE9/0xFF (not UTF-8) are found,
 * and -append and the module's arguments arrive unchanged. The mbinfo kernel prints the
 * command lines; QEMU 7.2 run the same way under LC_ALL=C printed the same lines.
 */
class ArgumentBytesTest {
    @TempDir
    Path dir;

    /** A file whose name is the given bytes (written as a byte string: one char per byte). */
    private Path file(String byteString) {
        return ByteStrings.path(dir, byteString);
    }

    @Test
    void nonUtf8NamesAndAppendBytesPassThroughUnderLangC() throws IOException, InterruptedException, URISyntaxException {
        Path kernels = Path.of(ArgumentBytesTest.class.getResource("/kernels/mbinfo.elf").toURI());
        Files.copy(kernels, file("k\u00E9.elf"));
        Files.writeString(file("m\u00FF.txt"), "module ok");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // printf turns the octal escapes into the raw bytes; the script itself is ASCII.
        String script = "exec \"$JAVA\" -cp \"$CP\" io.flatland.machine.cli.Main -kernel \"$(printf 'k\\351.elf')\""
                + " -append \"$(printf 'caf\\351 \\377 ok')\" -initrd \"$(printf 'm\\377.txt arg\\351')\""
                + " -serial \"file:$(printf 'out\\351.txt')\" --stats \"$(printf 'st\\351.json')\" -m 64 -no-reboot --icount";
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", script)).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("console.txt").toFile());
        pb.environment().put("JAVA", java);
        pb.environment().put("CP", System.getProperty("java.class.path"));
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("LANG", "C");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ends");
        String console = Files.readString(dir.resolve("console.txt"), StandardCharsets.ISO_8859_1);
        assertEquals(33, p.exitValue(), "status; console: " + console);
        String serial = Files.readString(file("out\u00E9.txt"), StandardCharsets.ISO_8859_1);
        assertTrue(serial.contains("cmdline=\"k\\xe9.elf caf\\xe9 \\xff ok\"\n"), serial);
        assertTrue(serial.contains("string=\"m\\xff.txt arg\\xe9\"\n  content=\"module ok\"\n"), serial);
        assertTrue(Files.readString(file("st\u00E9.json")).contains("\"retired_instructions\""), "--stats written");
    }

    /** Without the raw bytes (no /proc, or arguments given as strings), a name that lost bytes is a clean error. */
    @Test
    void aNameTheLocaleCouldNotDecodeIsAOneLineError() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(), err = new java.io.ByteArrayOutputStream();
        int st = Main.run(new String[] {"-kernel", "k\uFFFD.elf", "--stats", "s\uD800.json"}, null,
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8), dir);
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, st, e);
        assertTrue(e.startsWith("flatland: cannot read kernel 'k") && e.endsWith("': no such file\n"), e);
        assertEquals(1, e.lines().count(), e);
    }

    @Test
    void bytesBecomeTheSamePathAndBack() throws IOException {
        String name = "a b%\u00E9\u00FF,x";
        Files.writeString(file(name), "x");
        try (var s = Files.list(dir)) {
            Path listed = s.findFirst().orElseThrow();
            assertEquals(file(name), listed, "same bytes, same path");
        }
        assertEquals(dir.resolve("sub").resolve("f"), ByteStrings.path(dir, "sub/f"));
        assertEquals(Path.of("/dev/null"), ByteStrings.path(dir, "/dev/null"));
    }
}
