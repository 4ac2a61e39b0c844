package io.flatland.bench.harness;

import io.flatland.bench.record.Environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./flatland bench exit}: how long the emulator process lives after the guest asked to
 * shut down. The kernel model writes POST code 0x7e ("post: 7e" on the serial console) right
 * before its write to isa-debug-exit; the harness takes the time it reads that line and the
 * time the process's standard output reaches its end (the process has exited: nothing else
 * holds the pipe). No --stats and no /usr/bin/time, which would add their own work after the
 * guest's exit; the JVM options are the launcher's. Both times are taken by the same reading
 * thread, so its wake-up latency applies to both.
 */
final class ExitLatency {
    private ExitLatency() { }

    static final String USAGE = "usage: flatland bench exit [WORKLOAD] [--runs N] [--vs-qemu] [--accel interp|jit]";

    /** One run: ms from reading "post: 7e" to the end of standard output, and the exit status. */
    record Run(double ms, int exitStatus) { }

    static int main(List<String> args, Path root, PrintStream out) throws IOException, InterruptedException {
        BootHarness.Spec s = new BootHarness.Spec();
        s.root = root;
        s.jar = root.resolve("machine/target/flatland.jar");
        s.runs = 10;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--runs" -> s.runs = Integer.parseInt(value(args, ++i, a));
                case "--vs-qemu" -> s.vsQemu = true;
                case "--accel" -> s.accel = value(args, ++i, a);
                default -> {
                    if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a + "; " + USAGE);
                    s.workload = a;
                }
            }
        }
        if (s.runs < 1) throw new IllegalArgumentException("--runs must be at least 1");
        if (!Files.isRegularFile(s.jar)) throw new IllegalArgumentException(s.jar + " is missing: build it first (./flatland --help builds it)");
        out.printf("bench exit: workload=%s, %d runs, -accel %s%s: ms from the guest's 'post: 7e' to process exit%n",
                s.workload, s.runs, s.accel, s.vsQemu ? ", interleaved with " + s.qemu : "");
        List<String> flatland = flatlandCommand(s);
        List<String> qemu = BootHarness.qemuCommand(s);
        List<Run> f = new ArrayList<>(), q = new ArrayList<>();
        for (int i = 0; i < s.runs; i++) {
            f.add(check(run(flatland, root, s.timeoutSeconds), 33, "flatland"));   // isa-debug-exit, as QEMU
            if (s.vsQemu) q.add(check(run(qemu, root, s.timeoutSeconds), 33, "qemu"));
        }
        Map<String, Object> rec = Environment.header("exit", "flatland bench exit " + String.join(" ", args));
        rec.put("workload", s.workload);
        rec.put("accel", s.accel);
        rec.put("runs", s.runs);
        rec.put("timing", "ms from the harness reading the guest's 'post: 7e' serial line to the end of the process's standard output");
        rec.put("flatland_command", String.join(" ", flatland));
        if (s.vsQemu) rec.put("qemu_command", String.join(" ", qemu));
        List<Object> rows = new ArrayList<>();
        rows.add(row("flatland", f, out));
        if (s.vsQemu) rows.add(row("qemu", q, out));
        rec.put("results", rows);
        Path json = ResultFile.write(root, "exit", ResultFile.stamp(), rec);
        out.println("bench exit: wrote " + root.relativize(json));
        return 0;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) throw new IllegalArgumentException(option + " needs a value; " + USAGE);
        return args.get(i);
    }

    /**
     * The launcher's JVM and QEMU's command line for the kernel-model workload (as
     * {@code bench model} runs it), with POST lines on the console and nothing after the exit.
     */
    static List<String> flatlandCommand(BootHarness.Spec s) {
        List<String> c = new ArrayList<>(List.of("java"));
        c.addAll(BootHarness.launcherJvm(s.jar));
        c.addAll(List.of("-jar", s.jar.toString(), "-accel", s.accel));
        List<String> q = BootHarness.qemuCommand(s);
        // QEMU's arguments without its binary and its isa-debug-exit device (Flatland always has it).
        c.addAll(q.subList(1, q.indexOf("-device")));
        return c;
    }

    private static Run check(Run r, int status, String who) throws IOException {
        if (r.exitStatus() != status) throw new IOException(who + " exited with " + r.exitStatus() + " instead of " + status);
        if (Double.isNaN(r.ms())) throw new IOException(who + " printed no 'post: 7e' line");
        return r;
    }

    static Run run(List<String> command, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long shutdown = -1;
        byte[] buf = new byte[8192];
        StringBuilder line = new StringBuilder();
        try (InputStream in = p.getInputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                long t = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    char ch = (char) (buf[i] & 0xFF);
                    if (ch != '\n') {
                        line.append(ch);
                        continue;
                    }
                    if (shutdown < 0 && line.toString().trim().equals("post: 7e")) shutdown = t;
                    line.setLength(0);
                }
            }
        }
        long end = System.nanoTime();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
        }
        return new Run(shutdown < 0 ? Double.NaN : (end - shutdown) / 1e6, p.exitValue());
    }

    private static Map<String, Object> row(String side, List<Run> runs, PrintStream out) {
        Sample x = Sample.of(runs.stream().map(Run::ms).toList());
        out.printf("  %-8s median %6.2f ms  [%.2f..%.2f]  runs %s%n", side, x.median, x.min, x.max,
                runs.stream().map(r -> String.format("%.1f", r.ms())).toList());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "exit." + side);
        m.put("params", Map.of("side", side));
        m.put("mode", "ss");
        m.put("unit", "ms");
        x.putInto(m);
        return m;
    }
}
