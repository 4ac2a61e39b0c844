package io.flatland.machine.kernelmodel;

import io.flatland.machine.cli.Main;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * docs/kernel-model-spec.md §9 on Flatland: every case of kernel-model/tests/golden/INDEX (a QEMU
 * transcript with its '@' lines removed, and QEMU's exit status) is booted from the shipped
 * images in kernel-model/prebuilt with the spec's invocation, and must give the same
 * transcript and status. Every {@code result:} line of the goldens is also recomputed here
 * from the workload formulas, so a wrong answer that both machines agree on still fails.
 */
class KernelModelTest {
    static final Path MODEL = Path.of("..", "kernel-model");
    static final Path GOLDEN = MODEL.resolve("tests/golden");
    static final Pattern RESULT = Pattern.compile("^result: (\\w+) n=(\\d+) value=(\\d+) checksum=([0-9a-f]{8})$", Pattern.MULTILINE);

    record Case(String name, String append, int status) { }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(GOLDEN.resolve("INDEX"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\\|");
            cases.add(new Case(f[0], f[1], Integer.parseInt(f[2].trim())));
        }
        return cases;
    }

    /** Both engines: the interpreter is the reference, the JIT is the default. */
    @TestFactory
    Stream<DynamicTest> everyGoldenTranscriptIsReproduced() throws IOException {
        return cases().stream().flatMap(c -> Stream.of("interp", "jit")
                .map(accel -> DynamicTest.dynamicTest(c.name() + " (" + accel + ")", () -> boot(c, accel))));
    }

    private static void boot(Case c, String accel) throws IOException {
        String[] args = {"-accel", accel, "-m", "128M", "-kernel", "prebuilt/kernel",
                "-initrd", "prebuilt/pm,prebuilt/rs,prebuilt/vm,prebuilt/echo,prebuilt/init",
                "-append", c.append(), "-serial", "stdio", "-display", "none", "-no-reboot",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "--icount", "--max-insns", "20000000000"};
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(args, null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), MODEL);
        String transcript = withoutInformationalLines(out.toString(StandardCharsets.ISO_8859_1));
        String golden = Files.readString(GOLDEN.resolve(c.name() + ".txt"), StandardCharsets.ISO_8859_1);
        assertEquals(golden, transcript, c.name() + ": transcript differs from QEMU's (stderr: " + err + ")");
        assertEquals(c.status(), status, c.name() + ": exit status (stderr: " + err + ")");
        assertFalse(err.toString().contains("failed to translate"), "translator failures: " + err);
        if (golden.contains("\npost: ")) {
            assertTrue(golden.contains("post: 01\npost: 02\npost: 03\n"), "boot milestones in order");
        }
    }

    static String withoutInformationalLines(String s) {
        StringBuilder b = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            if (line.startsWith("@")) continue;
            b.append(line).append('\n');
        }
        b.setLength(b.length() - 1);
        return b.toString();
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenResultMatchesTheReferenceFormulas() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            String golden = Files.readString(GOLDEN.resolve(c.name() + ".txt"));
            Matcher m = RESULT.matcher(golden);
            while (m.find()) {
                String w = m.group(1);
                long n = Long.parseLong(m.group(2)), value = Long.parseLong(m.group(3)), sum = Long.parseLong(m.group(4), 16);
                tests.add(DynamicTest.dynamicTest(c.name() + ": " + w + " n=" + n, () -> {
                    WorkloadReference.Result r = WorkloadReference.of(w, n);
                    assertEquals(r.value(), value, "value");
                    assertEquals(r.checksum(), sum, "checksum");
                }));
            }
        }
        assertFalse(tests.isEmpty(), "the goldens contain result lines");
        return tests.stream();
    }

    @Test
    void syscallPathsGiveTheSameTranscript() throws IOException {
        // §9 check 4: int and sysenter differ only in the cmdline and syscall lines.
        for (Case c : cases()) {
            if (!c.name().endsWith(".int")) continue;
            String base = c.name().substring(0, c.name().length() - 4);
            List<String> a = comparable(Files.readString(GOLDEN.resolve(base + ".txt")));
            List<String> b = comparable(Files.readString(GOLDEN.resolve(c.name() + ".txt")));
            assertEquals(a, b, base + " vs " + c.name());
        }
    }

    private static List<String> comparable(String t) {
        return Stream.of(t.split("\n")).filter(l -> !l.startsWith("kernel: cmdline") && !l.startsWith("kernel: syscall")).toList();
    }
}
