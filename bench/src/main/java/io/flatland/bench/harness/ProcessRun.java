package io.flatland.bench.harness;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One emulator process (Flatland or QEMU) timed from the outside, the same way for both:
 * the clock starts just before {@link ProcessBuilder#start()}, every {@code post: XX} line
 * of the guest's serial console is stamped when the harness reads it from the pipe, and
 * the run ends when the process exits. Flatland's own --stats file, when asked for, adds
 * the instruction count and in-emulator host time of each milestone.
 */
final class ProcessRun {
    private static final Path TIME = Path.of("/usr/bin/time");
    private static final Pattern POST = Pattern.compile("^post: ([0-9a-fA-F]{2})\\s*$");
    /** Console lines kept verbatim: the workload's result and how the guest ended. */
    private static final Pattern KEPT = Pattern.compile("^(result|shutdown|panic): .*");

    /** One milestone as seen on the serial line: label ("07", or "10#2" for the 2nd 0x10), ns from process start. */
    record Mark(String label, int code, long ns) { }

    /** From Flatland's --stats: instruction count and ns since machine creation, per milestone. */
    record StatsMark(int code, long icount, long hostNs) { }

    /**
     * @param cpuNs user + system CPU time of the process (all its threads) as the kernel's
     *              rusage reports it through /usr/bin/time (10 ms resolution), or -1 without it
     * @param threadCpuNs Flatland's --stats "thread_cpu_ns": CPU time of the JVM thread that ran
     *              the machine, from JVM start (ns resolution); -1 when the build does not write it
     * @param console the guest's {@code result:}, {@code shutdown:} and {@code panic:} lines, in order
     */
    record Result(int exitStatus, long wallNs, long cpuNs, long threadCpuNs, List<Mark> marks, List<StatsMark> stats, long retired,
                  String stderrTail, List<String> console) {
        /** The guest's {@code result: ...} lines (one per workload; several for workload=all). */
        List<String> resultLines() {
            return console.stream().filter(l -> l.startsWith("result: ")).toList();
        }

        Map<String, Long> markNs() {
            Map<String, Long> m = new LinkedHashMap<>();
            for (Mark k : marks) m.put(k.label(), k.ns());
            return m;
        }

        /** Instruction count per label (labels numbered as on the serial line), from --stats. */
        Map<String, Long> icounts() {
            Map<String, Long> m = new LinkedHashMap<>();
            Map<Integer, Integer> seen = new LinkedHashMap<>();
            for (StatsMark s : stats) m.put(label(s.code(), seen), s.icount());
            return m;
        }

        Map<String, Long> statsNs() {
            Map<String, Long> m = new LinkedHashMap<>();
            Map<Integer, Integer> seen = new LinkedHashMap<>();
            for (StatsMark s : stats) m.put(label(s.code(), seen), s.hostNs());
            return m;
        }
    }

    /** Added to every child's environment (bench/gate-experiment.sh's calibration uses it). */
    static final Map<String, String> EXTRA_ENV = new LinkedHashMap<>();

    private ProcessRun() { }

    static String label(int code, Map<Integer, Integer> seen) {
        int k = seen.merge(code, 1, Integer::sum);
        String hex = String.format("%02x", code);
        return k == 1 ? hex : hex + "#" + k;
    }

    static Result run(List<String> command, Path dir, Path statsFile, long timeoutSeconds) throws IOException, InterruptedException {
        if (statsFile != null) Files.deleteIfExists(statsFile);
        Path err = Files.createTempFile("flatland-run", ".err");
        Path rusage = null;
        List<String> cmd = command;
        if (Files.isExecutable(TIME)) {
            rusage = Files.createTempFile("flatland-run", ".rusage");
            cmd = new ArrayList<>(List.of(TIME.toString(), "-o", rusage.toString(), "-f", "%U %S"));
            cmd.addAll(command);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(err.toFile());
        pb.environment().putAll(EXTRA_ENV);
        List<Mark> marks = new ArrayList<>();
        List<String> console = new ArrayList<>();
        Map<Integer, Integer> seen = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Process p = pb.start();
        // The watchdog ends a run that outlives the timeout even while the guest still writes
        // (or sits silent with the pipe open), so the read loop below always finishes.
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    timedOut.set(true);
                    p.descendants().forEach(ProcessHandle::destroyForcibly);   // the emulator under /usr/bin/time
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // the run ended
            }
        }, "process-run-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.ISO_8859_1))) {
            String line;
            while ((line = r.readLine()) != null) {
                long t = System.nanoTime() - t0;
                Matcher m = POST.matcher(line);
                if (m.matches()) {
                    int code = Integer.parseInt(m.group(1), 16);
                    marks.add(new Mark(label(code, seen), code, t));
                } else if (KEPT.matcher(line).matches()) {
                    console.add(line);
                }
            }
        }
        p.waitFor();
        long wall = System.nanoTime() - t0;
        watchdog.interrupt();
        if (timedOut.get()) {
            Files.deleteIfExists(err);
            if (rusage != null) Files.deleteIfExists(rusage);
            throw new IOException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
        }
        long cpu = -1;
        if (rusage != null) {
            List<String> l = Files.readAllLines(rusage);
            Files.deleteIfExists(rusage);
            if (!l.isEmpty()) {
                String[] f = l.get(l.size() - 1).trim().split("\\s+");
                if (f.length == 2) cpu = Math.round((Double.parseDouble(f[0]) + Double.parseDouble(f[1])) * 1e9);
            }
        }
        String tail = tail(err);
        Files.deleteIfExists(err);
        List<StatsMark> stats = new ArrayList<>();
        long retired = -1, threadCpu = -1;
        if (statsFile != null && Files.exists(statsFile)) {
            JsonObject o = JsonParser.parseString(Files.readString(statsFile)).getAsJsonObject();
            retired = o.get("retired_instructions").getAsLong();
            if (o.has("thread_cpu_ns")) threadCpu = o.get("thread_cpu_ns").getAsLong();
            JsonArray a = o.getAsJsonArray("post_milestones");
            for (JsonElement e : a) {
                JsonObject s = e.getAsJsonObject();
                stats.add(new StatsMark(s.get("code").getAsInt(), s.get("icount").getAsLong(), s.get("host_ns").getAsLong()));
            }
        }
        return new Result(p.exitValue(), wall, cpu, threadCpu, marks, stats, retired, tail, List.copyOf(console));
    }

    private static String tail(Path f) throws IOException {
        List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
}
