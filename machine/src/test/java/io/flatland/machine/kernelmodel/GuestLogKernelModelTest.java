package io.flatland.machine.kernelmodel;

import io.flatland.machine.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -d int,mmu -D FILE} on the kernel model's copy-on-write workload (system calls by
 * {@code int}): the log agrees with --stats line for line, the page faults carry the error codes
 * and CR2 values the workload must produce, and both engines log the same sequence.
 */
class GuestLogKernelModelTest {
    private static final Pattern INT = Pattern.compile(
            "^int: \\d+ v=([0-9a-f]{2}) e=(----|[0-9a-f]{4}) src=(sw|exc|hw) cpl=[0-3] IP=[0-9a-f]{4}:[0-9a-f]{8} "
                    + "SP=[0-9a-f]{4}:[0-9a-f]{8} (CR2|EAX)=([0-9a-f]{8})$");

    @TempDir
    Path dir;

    private record Run(List<String> log, String stats) { }

    private Run run(String accel) throws IOException {
        Path log = dir.resolve("d-" + accel + ".log"), stats = dir.resolve("s-" + accel + ".json");
        String[] args = {"-accel", accel, "-m", "128M", "-kernel", "prebuilt/kernel",
                "-initrd", "prebuilt/pm,prebuilt/rs,prebuilt/vm,prebuilt/echo,prebuilt/init",
                "-append", "workload=cow syscall=int", "-serial", "null", "-display", "none", "-no-reboot",
                "--icount", "-d", "int,mmu", "-D", log.toString(), "--stats", stats.toString()};
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), KernelModelTest.MODEL);
        assertEquals(33, status, "stderr: " + err);
        assertEquals("", err.toString(StandardCharsets.UTF_8), "-D: nothing of the log on stderr");
        return new Run(Files.readAllLines(log), Files.readString(stats));
    }

    /** The sum of a --stats per-index object ("name": {"14": 3, ...}). */
    private static long sum(String stats, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": \\{([^}]*)}").matcher(stats);
        assertTrue(m.find(), name);
        long total = 0;
        for (String kv : m.group(1).split(",")) if (!kv.isBlank()) total += Long.parseLong(kv.split(":")[1].trim());
        return total;
    }

    private static long counter(String stats, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": (\\d+)").matcher(stats);
        assertTrue(m.find(), name);
        return Long.parseLong(m.group(1));
    }

    private static long count(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    @Test
    void intAndMmuLinesMatchTheStatsAndBothEnginesLogTheSameEvents() throws IOException {
        Run interp = run("interp"), jit = run("jit");
        for (Run r : List.of(interp, jit)) {
            List<String> ints = r.log.stream().filter(l -> l.startsWith("int: ")).toList();
            for (String l : ints) assertTrue(INT.matcher(l).matches(), "format: " + l);
            assertEquals(sum(r.stats, "exceptions_by_vector") + sum(r.stats, "interrupts_by_vector"), ints.size(),
                    "one int line per exception and interrupt");
            assertEquals(counter(r.stats, "cr3_loads"), count(r.log, "mmu: CR3="), "one line per CR3 load");
            assertEquals(counter(r.stats, "page_faults"), count(r.log, "mmu: #PF "), "one line per page fault of the walker");

            // Demand paging (not present, user write: 6) and copy-on-write (protection, user write: 7),
            // each with CR2 on the page the workload touches; system calls by int 0x20/0x21 from ring 3.
            long demand = 0, cow = 0, syscalls = 0, hardware = 0;
            for (String l : ints) {
                Matcher m = INT.matcher(l);
                assertTrue(m.matches());
                if (m.group(1).equals("0e")) {
                    assertEquals("CR2", m.group(4), l);
                    assertTrue(m.group(3).equals("exc") && l.contains(" cpl=3 "), l);
                    if (m.group(2).equals("0006")) demand++;
                    if (m.group(2).equals("0007")) {
                        cow++;
                        assertTrue(m.group(5).endsWith("000"), "CR2 at the start of the copied page: " + l);
                    }
                    assertTrue(r.log.contains("mmu: #PF lin=" + m.group(5) + " e=" + m.group(2) + " ("
                            + (m.group(2).equals("0007") ? "protection" : "not-present") + " write user)"), "walker line for " + l);
                }
                if (m.group(3).equals("sw")) {
                    syscalls++;
                    assertEquals("----", m.group(2), l);
                }
                if (m.group(3).equals("hw")) hardware++;
            }
            assertTrue(demand > 100 && cow > 100 && syscalls > 100, "demand " + demand + ", cow " + cow + ", syscalls " + syscalls);
            assertEquals(sum(r.stats, "interrupts_by_line"), hardware, "hardware interrupts: one per acknowledged IRQ");
        }
        assertSame(interp.log.stream().filter(l -> l.startsWith("int: ")).toList(),
                jit.log.stream().filter(l -> l.startsWith("int: ")).toList(), "the same int sequence under --icount");
        assertSame(interp.log, jit.log, "and the same mmu lines");
    }

    /** Equal lists, or the first difference (the logs are long). */
    private static void assertSame(List<String> expected, List<String> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), what + ": line " + i);
        }
        assertEquals(expected.size(), actual.size(), what + ": lines");
    }
}
