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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every test kernel under src/test/resources/kernels with a recorded QEMU run
 * (NAME.expected = QEMU's serial output, NAME.status = its exit status, NAME.args = extra
 * QEMU arguments) boots in Flatland with the same arguments (-m 64, --icount) and must
 * produce the same bytes and the same status, under both engines. Kernels whose results
 * depend on time ({@link #BOTH_TIME_MODES}) also run in real-time mode. The kernels are
 * started from their own directory with a relative path, as build-and-record.sh runs QEMU,
 * because the path is part of the Multiboot command line.
 *
 * <p>Nothing is skipped quietly: the kernel directory must exist, every kernel that
 * build-and-record.sh builds must be there with its recording, and every .elf must have one.
 */
class TestKernelsTest {
    /** A guard against a kernel that never ends; the largest takes ~16M instructions. */
    private static final String MAX_INSNS = "2000000000";
    /** Kernels that also run without --icount (QEMU recorded them in real time). */
    static final Set<String> BOTH_TIME_MODES = Set.of("pit", "pitirr", "lapic");

    static Path dir() throws URISyntaxException {
        URL url = TestKernelsTest.class.getResource("/kernels");
        assertNotNull(url, "the test kernels (src/test/resources/kernels) are not on the test class path");
        return Path.of(url.toURI());
    }

    /** The kernels build-and-record.sh builds and records (its KERNELS="..." line). */
    static List<String> recordedKernels(Path dir) throws IOException {
        Matcher m = Pattern.compile("(?m)^KERNELS=\"([^\"]*)\"").matcher(Files.readString(dir.resolve("build-and-record.sh")));
        assertTrue(m.find(), "build-and-record.sh has a KERNELS=\"...\" line");
        return List.of(m.group(1).trim().split("\\s+"));
    }

    @TestFactory
    Stream<DynamicTest> kernelsBehaveAsUnderQemu() throws IOException, URISyntaxException {
        Path dir = dir();
        List<String> names = recordedKernels(dir);
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path elf : files.filter(p -> p.toString().endsWith(".elf")).toList()) {
                String name = elf.getFileName().toString().replaceFirst("\\.elf$", "");
                if (!names.contains(name)) {
                    tests.add(DynamicTest.dynamicTest(name, () -> fail(name + ".elf is not in build-and-record.sh's KERNELS")));
                }
            }
        }
        for (String name : names) {
            Path expected = dir.resolve(name + ".expected"), status = dir.resolve(name + ".status");
            if (!Files.exists(dir.resolve(name + ".elf")) || !Files.exists(expected) || !Files.exists(status)) {
                tests.add(DynamicTest.dynamicTest(name, () -> fail(name + ": .elf, .expected or .status missing; run build-and-record.sh " + name)));
                continue;
            }
            for (String accel : List.of("interp", "jit")) {
                tests.add(DynamicTest.dynamicTest(name + " [" + accel + ", icount]", () -> check(dir, name, accel, true, expected, status)));
                if (BOTH_TIME_MODES.contains(name)) {
                    tests.add(DynamicTest.dynamicTest(name + " [" + accel + ", real time]", () -> check(dir, name, accel, false, expected, status)));
                }
            }
        }
        return tests.stream();
    }

    static void check(Path dir, String name, String accel, boolean icount, Path expected, Path status) throws IOException {
        List<String> args = new ArrayList<>(List.of("-accel", accel, "-kernel", name + ".elf", "-serial", "stdio", "-display", "none",
                "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-m", "64", "--max-insns", MAX_INSNS));
        if (icount) args.add("--icount");
        Path extra = dir.resolve(name + ".args");
        if (Files.exists(extra)) args.addAll(ShellWords.split(Files.readString(extra).trim()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int st = Main.run(args.toArray(String[]::new), null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir);
        String want = Files.readString(expected, StandardCharsets.ISO_8859_1);
        String got = out.toString(StandardCharsets.ISO_8859_1);
        assertEquals(want, got, name + ": serial output differs from QEMU's (stderr: " + err + ")");
        assertEquals(Integer.parseInt(Files.readString(status).trim()), st, name + ": exit status (stderr: " + err + ")");
        assertFalse(err.toString().contains("failed to translate"), "translator failures: " + err);
    }
}
