package io.flatland.machine;

import io.flatland.machine.devices.PostPort;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The deterministic half of the performance gate, run on every build: the kernel model's
 * {@code workload=boot} under --icount must retire exactly the instruction counts recorded
 * at each POST milestone in every perf-results/baseline/*.json (their "icounts" section).
 * A change that alters the guest's path (or how instructions are counted) must update the
 * baseline in the same commit.
 */
class BaselineIcountTest {
    static final String UPDATE = "./flatland bench baseline --update-icounts";
    private static final Pattern APPEND = Pattern.compile("\"append\":\\s*\"([^\"]*)\"");
    private static final Pattern RETIRED = Pattern.compile("\"retired_instructions\":\\s*(\\d+)");
    private static final Pattern MILESTONE = Pattern.compile(
            "\"code\":\\s*(\\d+),\\s*\"label\":\\s*\"([^\"]*)\",\\s*\"icount\":\\s*(\\d+)");

    static Path baselineDir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("perf-results/baseline"))) p = p.getParent();
        if (p == null) fail("no perf-results/baseline directory above " + Path.of("").toAbsolutePath());
        return p.resolve("perf-results/baseline");
    }

    /** The "icounts" object of a baseline file, as text (up to the next top-level section). */
    static String icountsSection(String json) {
        int at = json.indexOf("\"icounts\"");
        if (at < 0) return null;
        int open = json.indexOf('{', at), depth = 0;
        for (int i = open; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return json.substring(open, i + 1);
        }
        return null;
    }

    @Test
    void bootMilestoneInstructionCountsMatchTheCommittedBaseline() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(baselineDir())) {
            files = s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no baseline file in perf-results/baseline: create one with ./flatland bench baseline");
        Map<String, Map<String, Long>> actualByAppend = new LinkedHashMap<>();
        for (Path f : files) {
            String section = icountsSection(Files.readString(f));
            if (section == null) fail(f + " has no \"icounts\" section; rewrite it with " + UPDATE);
            Matcher am = APPEND.matcher(section);
            if (!am.find()) fail(f + ": icounts without \"append\"");
            String append = am.group(1);
            Map<String, Long> expected = new LinkedHashMap<>();
            Matcher mm = MILESTONE.matcher(section);
            while (mm.find()) expected.put(mm.group(2), Long.parseLong(mm.group(3)));
            Matcher rm = RETIRED.matcher(section);
            if (rm.find()) expected.put("exit", Long.parseLong(rm.group(1)));
            Map<String, Long> actual = actualByAppend.computeIfAbsent(append, BaselineIcountTest::bootCounts);
            if (!expected.equals(actual)) {
                fail("the boot's instruction counts differ from the committed baseline " + f.getFileName()
                        + "\n  expected (label=icount): " + expected
                        + "\n  actual:                  " + actual
                        + "\nIf the change is intended, rewrite the baselines in the same commit with:\n  " + UPDATE);
            }
        }
    }

    static Map<String, Long> bootCounts(String append) {
        MachineConfig.Builder b = MachineConfig.builder().ramMiB(128).icount(true).accel(Accel.INTERP).serialOutput(null);
        try (Machine m = new Machine(KernelModel.configure(b, append).build())) {
            RunResult r = m.run(100_000_000L);
            assertEquals(RunResult.Outcome.DEBUG_EXIT, r.outcome(), "boot ended with " + r);
            Map<String, Long> counts = new LinkedHashMap<>();
            Map<Integer, Integer> seen = new LinkedHashMap<>();
            for (PostPort.Milestone p : m.milestones()) {
                int k = seen.merge(p.code(), 1, Integer::sum);
                counts.put(String.format("%02x", p.code()) + (k == 1 ? "" : "#" + k), p.icount());
            }
            counts.put("exit", m.cpu().icount);
            return counts;
        } catch (io.flatland.machine.loader.BadImageException e) {
            throw new IllegalStateException(e);
        }
    }
}
