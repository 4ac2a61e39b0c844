package io.flatland.bench.harness;

import io.flatland.bench.record.Environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * {@code ./flatland bench linux [--runs N] [--vs-qemu] [--accel interp|jit] [--kit DIR] [--machine pc|isapc]}:
 * Debian's i686 kernel with the linux-kit initramfs (see {@code ./flatland linux-kit}) booted to
 * busybox's shell, fresh process per run, round-robin with QEMU on the same files and flags.
 * The milestones are what the serial console shows, timed from process start by the thread
 * reading it: the kernel's first line ("Linux version"), /init running (the kit's /init prints
 * a line), and the shell's prompt; then the harness types {@code poweroff -f} and times the
 * process's end. (The kernel's entry is not visible on the console of either emulator.)
 * Medians per milestone go to perf-results/linux-*.json with a timeline picture.
 */
final class LinuxBench {
    private LinuxBench() { }

    static final String USAGE = "usage: flatland bench linux [--runs N] [--vs-qemu] [--accel interp|jit] [--kit DIR] "
            + "[--machine pc|isapc] [--timeout SECONDS]";
    static final String[] MILESTONES = {"first line", "/init", "shell", "exit"};
    private static final String INIT_LINE = "flatland-linux-kit: /init running";
    private static final String APPEND = "console=ttyS0";

    /** ms from process start at each milestone (NaN: not seen), and the exit status. */
    record Run(double[] ms, int exitStatus) { }

    static int main(List<String> args, Path root, PrintStream out) throws IOException, InterruptedException {
        int runs = 3;
        boolean vsQemu = false;
        String accel = "jit", machine = "pc";
        long timeout = 300;
        Path kit = Path.of(System.getProperty("user.home"), ".cache", "flatland", "linux-kit");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--runs" -> runs = Integer.parseInt(value(args, ++i, a));
                case "--vs-qemu" -> vsQemu = true;
                case "--accel" -> accel = value(args, ++i, a);
                case "--kit" -> kit = Path.of(value(args, ++i, a));
                case "--machine" -> machine = value(args, ++i, a);
                case "--timeout" -> timeout = Long.parseLong(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option " + a + "; " + USAGE);
            }
        }
        if (runs < 1) throw new IllegalArgumentException("--runs must be at least 1");
        Path kernel = kit.resolve("vmlinuz"), initrd = kit.resolve("initramfs.cpio.gz");
        if (!Files.isRegularFile(kernel) || !Files.isRegularFile(initrd)) {
            throw new IllegalArgumentException("no Linux kit in " + kit + ": run ./flatland linux-kit first");
        }
        Path jar = root.resolve("machine/target/flatland.jar");
        if (!Files.isRegularFile(jar)) throw new IllegalArgumentException(jar + " is missing: build it first (./flatland --help builds it)");
        // isapc's default CPU is QEMU's 486, which this kernel refuses: both emulators get qemu32 there.
        List<String> guest = new ArrayList<>(List.of("-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", APPEND, "-m", "256", "-serial", "stdio", "-display", "none", "-no-reboot", "-M", machine));
        if (machine.equals("isapc")) guest.addAll(List.of("-cpu", "qemu32"));
        List<String> flatland = new ArrayList<>(List.of("java"));
        flatland.addAll(BootHarness.launcherJvm(jar));
        flatland.addAll(List.of("-jar", jar.toString(), "-accel", accel));
        flatland.addAll(guest);
        List<String> qemu = new ArrayList<>(List.of(System.getenv().getOrDefault("QEMU", "qemu-system-i386")));
        qemu.addAll(guest);
        out.printf("bench linux: %s, %d runs, -accel %s, -M %s%s; ms from process start to each console milestone%n",
                kit, runs, accel, machine, vsQemu ? ", round-robin with QEMU" : "");
        List<Run> f = new ArrayList<>(), q = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Run r = run(flatland, root, timeout);
            f.add(r);
            out.printf("  run %d/%d flatland %s%n", i + 1, runs, describe(r));
            if (vsQemu) {
                Run rq = run(qemu, root, timeout);
                q.add(rq);
                out.printf("  run %d/%d qemu     %s%n", i + 1, runs, describe(rq));
            }
        }
        Map<String, Object> rec = Environment.header("linux", "flatland bench linux " + String.join(" ", args));
        rec.put("kernel_version", Files.isRegularFile(kit.resolve("VERSION")) ? Files.readString(kit.resolve("VERSION")).trim() : "?");
        rec.put("accel", accel);
        rec.put("machine", machine);
        rec.put("runs", runs);
        rec.put("timing", "ms from process start to the serial line/prompt of each milestone, read by the harness; "
                + "'exit' after typing 'poweroff -f' at the prompt");
        rec.put("flatland_command", String.join(" ", flatland));
        if (vsQemu) rec.put("qemu_command", String.join(" ", qemu));
        List<Object> rows = new ArrayList<>();
        Map<String, Map<String, Double>> timeline = new LinkedHashMap<>();
        rows.addAll(rows("flatland", f, out, timeline));
        if (vsQemu) rows.addAll(rows("qemu", q, out, timeline));
        rec.put("results", rows);
        String stamp = ResultFile.stamp();
        Path json = ResultFile.write(root, "linux", stamp, rec);
        List<String> intervals = new ArrayList<>();
        for (int m = 0; m < MILESTONES.length; m++) intervals.add((m == 0 ? "start" : MILESTONES[m - 1]) + "→" + MILESTONES[m]);
        Timeline.write(ResultFile.path(root, "linux", stamp, ".svg"), "Linux " + machine + " to a shell: Flatland -accel " + accel
                + (vsQemu ? " and QEMU 7.2" : ""), timeline, intervals);
        out.println("bench linux: wrote " + root.relativize(json) + " and its .svg");
        // pc powers off through ACPI (status 0); isapc has no ACPI: the kernel halts and Flatland ends with 6.
        int expected = machine.equals("isapc") ? 6 : 0;
        boolean failed = f.stream().anyMatch(r -> r.exitStatus() != expected || Double.isNaN(r.ms()[2]));
        return failed ? 1 : 0;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) throw new IllegalArgumentException(option + " needs a value; " + USAGE);
        return args.get(i);
    }

    private static String describe(Run r) {
        StringBuilder s = new StringBuilder();
        for (int m = 0; m < MILESTONES.length; m++) s.append(String.format("%s %.0f  ", MILESTONES[m], r.ms()[m]));
        return s.append("status ").append(r.exitStatus()).toString();
    }

    /** One boot: reads the console, types poweroff at the prompt, waits for the end. */
    static Run run(List<String> command, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        double[] ms = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        Thread killer = new Thread(() -> {
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
        killer.setDaemon(true);
        killer.start();
        byte[] buf = new byte[8192];
        StringBuilder line = new StringBuilder();
        try (InputStream in = p.getInputStream(); OutputStream keys = p.getOutputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                double t = (System.nanoTime() - start) / 1e6;
                for (int i = 0; i < n; i++) {
                    char ch = (char) (buf[i] & 0xFF);
                    if (ch == '\n') {
                        String l = line.toString();
                        if (Double.isNaN(ms[0]) && l.contains("Linux version")) ms[0] = t;
                        if (Double.isNaN(ms[1]) && l.contains(INIT_LINE)) ms[1] = t;
                        line.setLength(0);
                        continue;
                    }
                    line.append(ch);
                    // busybox's prompt ends without a newline: "/ # "
                    if (Double.isNaN(ms[2]) && !Double.isNaN(ms[1]) && line.toString().endsWith("# ")) {
                        ms[2] = t;
                        keys.write("poweroff -f\n".getBytes(StandardCharsets.US_ASCII));
                        keys.flush();
                    }
                }
            }
        }
        int status = p.waitFor();
        ms[3] = (System.nanoTime() - start) / 1e6;
        return new Run(ms, status);
    }

    private static List<Object> rows(String side, List<Run> runs, PrintStream out, Map<String, Map<String, Double>> timeline) {
        List<Object> rows = new ArrayList<>();
        Map<String, Double> intervals = new LinkedHashMap<>();
        double previous = 0;
        for (int m = 0; m < MILESTONES.length; m++) {
            final int k = m;
            List<Double> values = runs.stream().map(r -> r.ms()[k]).filter(v -> !Double.isNaN(v)).toList();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("benchmark", "linux." + side + "." + MILESTONES[m].replace("/", "").replace(' ', '_'));
            row.put("params", Map.of("side", side, "milestone", MILESTONES[m]));
            row.put("mode", "ss");
            row.put("unit", "ms");
            if (values.isEmpty()) {
                row.put("missing", "no run reached it");
                out.printf("  %-8s %-10s not reached%n", side, MILESTONES[m]);
            } else {
                Sample x = Sample.of(values);
                x.putInto(row);
                out.printf("  %-8s %-10s median %8.0f ms  [%.0f..%.0f]  (%d of %d runs)%n", side, MILESTONES[m], x.median,
                        x.min, x.max, values.size(), runs.size());
                intervals.put((m == 0 ? "start" : MILESTONES[m - 1]) + "→" + MILESTONES[m], Math.max(0, x.median - previous));
                previous = x.median;
            }
            rows.add(row);
        }
        timeline.put(side, intervals);
        return rows;
    }
}
