package io.flatland.machine;

import io.flatland.machine.cli.Main;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every test kernel under src/test/resources/kernels with a recorded QEMU run
 * (NAME.expected = QEMU's serial output, NAME.status = its exit status, NAME.args = extra
 * QEMU arguments) boots in Flatland with the same arguments (-m 64, --icount) and must
 * produce the same bytes and the same status. The kernels are started from their own
 * directory with a relative path, as build-and-record.sh runs QEMU, because the path is
 * part of the Multiboot command line.
 */
class TestKernelsTest {
    /** A guard against a kernel that never ends; the largest takes ~16M instructions. */
    private static final String MAX_INSNS = "2000000000";

    @TestFactory
    Stream<DynamicTest> kernelsBehaveAsUnderQemu() throws IOException, URISyntaxException {
        URL url = TestKernelsTest.class.getResource("/kernels");
        if (url == null) return Stream.empty();
        Path dir = Path.of(url.toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path elf : files.filter(p -> p.toString().endsWith(".elf")).sorted().toList()) {
                String name = elf.getFileName().toString().replaceFirst("\\.elf$", "");
                Path expected = dir.resolve(name + ".expected"), status = dir.resolve(name + ".status");
                if (!Files.exists(expected) || !Files.exists(status)) continue;
                for (String accel : List.of("interp", "jit")) {
                    tests.add(DynamicTest.dynamicTest(name + " [" + accel + "]", () -> check(dir, name, accel, expected, status)));
                }
            }
        }
        return tests.stream();
    }

    private static void check(Path dir, String name, String accel, Path expected, Path status) throws IOException {
        List<String> args = new ArrayList<>(List.of("-accel", accel, "-kernel", name + ".elf", "-serial", "stdio", "-display", "none",
                "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-m", "64", "--icount",
                "--max-insns", MAX_INSNS));
        Path extra = dir.resolve(name + ".args");
        if (Files.exists(extra)) args.addAll(ShellWords.split(Files.readString(extra).trim()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int st = Main.run(args.toArray(String[]::new), null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir);
        String want = Files.readString(expected, StandardCharsets.ISO_8859_1);
        String got = out.toString(StandardCharsets.ISO_8859_1);
        assertEquals(want, got, name + ": serial output differs from QEMU's (stderr: " + err + ")");
        assertEquals(Integer.parseInt(Files.readString(status).trim()), st, name + ": exit status (stderr: " + err + ")");
    }
}
