package io.flatland.machine.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Flatland's {@code -d int} and {@code -d guest_errors} on probe kernels against QEMU 7.2's
 * logs of the same kernels (recorded in {@code kernels/dlog/}, see its README): the same
 * events, in the same order, with the same fields, once both formats are reduced to them.
 */
class GuestLogVsQemuTest {
    @TempDir
    Path dir;

    private static Path kernels() throws URISyntaxException {
        return Path.of(GuestLogVsQemuTest.class.getResource("/kernels").toURI());
    }

    private List<String> flatland(String kernel, String accel, String items) throws IOException, URISyntaxException {
        Path log = dir.resolve("d.log");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"-kernel", kernel + ".elf", "-m", "64", "-display", "none", "-serial", "null",
                "-accel", accel, "--icount", "-d", items, "-D", log.toString()}, null,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), kernels());
        assertEquals(33, status, "stderr: " + err);
        return Files.readAllLines(log);
    }

    // QEMU: "   12: v=0e e=0002 i=0 cpl=0 IP=0008:00101d3e pc=00101d3e SP=0010:00105fc8 CR2=00400020"
    // (env->regs[R_EAX]=... instead of CR2 for other vectors; e=0000 and i=1 for INT n).
    private static final Pattern QEMU_INT = Pattern.compile(
            "^ *\\d+: v=(\\w\\w) e=(\\w{4}) i=([01]) cpl=(\\d) IP=(\\w{4}:\\w{8}) pc=\\w{8} SP=(\\w{4}:\\w{8}) (?:CR2|env->regs\\[R_EAX\\])=(\\w{8})$");
    private static final Pattern FLATLAND_INT = Pattern.compile(
            "^int: \\d+ v=(\\w\\w) e=(\\w{4}|----) src=(sw|exc|hw) cpl=(\\d) IP=(\\w{4}:\\w{8}) SP=(\\w{4}:\\w{8}) (?:CR2|EAX)=(\\w{8})$");

    /** v, e, software?, cpl, CS:EIP, SS:ESP, CR2 or EAX. */
    private record Event(String v, int e, boolean software, String cpl, String ip, String sp, String last) { }

    private static Event qemu(String line) {
        Matcher m = QEMU_INT.matcher(line);
        if (!m.matches()) throw new AssertionError("QEMU line: " + line);
        return new Event(m.group(1), Integer.parseInt(m.group(2), 16), m.group(3).equals("1"), m.group(4), m.group(5), m.group(6), m.group(7));
    }

    private static Event flatland(String line) {
        Matcher m = FLATLAND_INT.matcher(line);
        if (!m.matches()) throw new AssertionError("Flatland line: " + line);
        int e = m.group(2).equals("----") ? 0 : Integer.parseInt(m.group(2), 16);
        return new Event(m.group(1), e, m.group(3).equals("sw"), m.group(4), m.group(5), m.group(6), m.group(7));
    }

    @ParameterizedTest
    @CsvSource({"rings, interp", "rings, jit", "paging, interp", "paging, jit", "gates, interp", "gates, jit"})
    void intLogsTheEventsQemuLogs(String kernel, String accel) throws IOException, URISyntaxException {
        List<Event> expected = Files.readAllLines(kernels().resolve("dlog/" + kernel + ".qemu-int")).stream()
                .map(GuestLogVsQemuTest::qemu).toList();
        List<Event> actual = flatland(kernel, accel, "int").stream().map(GuestLogVsQemuTest::flatland).toList();
        assertEquals(expected.size(), actual.size(), "events");
        for (int i = 0; i < expected.size(); i++) {
            Event q = expected.get(i), f = actual.get(i);
            // An IDT gate found faulty while delivering an exception: the SDM (and Flatland) set
            // EXT in the error code, QEMU 7.2 never does (see kernels/src/gates.c).
            if (f.e == (q.e | 1) && (q.e & 2) != 0 && !q.software && i > 0 && !expected.get(i - 1).software) {
                f = new Event(f.v, q.e, f.software, f.cpl, f.ip, f.sp, f.last);
            }
            assertEquals(q, f, kernel + " event " + i);
        }
    }

    private static final Pattern QEMU_INVALID = Pattern.compile("^Invalid (read|write) at addr 0x(\\w+), size (\\d), region '\\(null\\)', reason: rejected$");
    private static final Pattern FLATLAND_UNASSIGNED = Pattern.compile("^guest_errors: (read|write) of unassigned memory at (\\w{8}), size (\\d).*$");

    private static String access(Pattern p, String line) {
        Matcher m = p.matcher(line);
        if (!m.matches()) throw new AssertionError(line);
        return m.group(1) + " " + Long.toHexString(Long.parseLong(m.group(2), 16)) + " " + m.group(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit"})
    void guestErrorsLogTheUnassignedAccessesQemuLogs(String accel) throws IOException, URISyntaxException {
        List<String> expected = new ArrayList<>();
        for (String l : Files.readAllLines(kernels().resolve("dlog/unassigned.qemu-guest-errors"))) expected.add(access(QEMU_INVALID, l));
        // The last dword read at 0x4000000 is the kernel's read at 0x3FFFFFE, which crosses a page:
        // QEMU reads the aligned dword above RAM, Flatland reads the two bytes above RAM one by one.
        int straddle = expected.lastIndexOf("read 4000000 4");
        expected.set(straddle, "read 4000000 1");
        expected.add(straddle + 1, "read 4000001 1");
        List<String> actual = flatland("unassigned", accel, "guest_errors").stream().map(l -> access(FLATLAND_UNASSIGNED, l)).toList();
        assertEquals(expected, actual);
    }
}
