package io.flatland.bench.harness;

import io.flatland.bench.record.Environment;
import io.flatland.bench.record.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code flatland bench boot [WORKLOAD] --runs N [--vs-qemu] [--accel interp|jit] [--icount] [--n N]}:
 * boots the kernel model N times, each in a fresh JVM ({@code java -jar flatland.jar boot ...
 * --stats FILE}), with --vs-qemu interleaved with qemu-system-i386 on the same images
 * (F, Q, F, Q, ...), and reports for every POST milestone the median and spread of the
 * wall time from process start and from the previous milestone, Flatland's own --stats
 * time, the instruction count, and the Flatland/QEMU ratio. Writes a flatland-perf/1
 * record (kind "boot") and an SVG timeline next to it.
 */
final class BootHarness {
    static final String POSTLOG = "postlog=1";
    static final List<String> LAUNCHER_JVM = List.of("-Xss4m", "-XX:+UseParallelGC");

    /**
     * The JVM options the launcher gives {@code jar}: LAUNCHER_JVM, the native exit beside the jar
     * (native/libflatland-exit.so) and the class data sharing archive the launcher records beside
     * it (flatland.jsa) when they are there (the archive only if newer than the jar).
     */
    static List<String> launcherJvm(Path jar) {
        List<String> l = new ArrayList<>(LAUNCHER_JVM);
        Path nativeExit = jar.resolveSibling("native").resolve("libflatland-exit.so");
        if (java.nio.file.Files.isRegularFile(nativeExit)) {
            l.add("-XX:-UsePerfData");
            l.add("-Dflatland.nativeExit=" + nativeExit.toAbsolutePath());
        }
        Path cds = jar.resolveSibling("flatland.jsa");
        try {
            if (java.nio.file.Files.isRegularFile(cds)
                    && java.nio.file.Files.getLastModifiedTime(cds).compareTo(java.nio.file.Files.getLastModifiedTime(jar)) >= 0) {
                l.add("-XX:SharedArchiveFile=" + cds);
            }
        } catch (java.io.IOException e) {
            // no archive: without it
        }
        return List.copyOf(l);
    }

    static final class Spec {
        String workload = "boot";
        Integer n;
        int runs = 10;
        boolean vsQemu;
        String accel = "jit";          // the emulator's default engine
        boolean icount;
        Path jar;
        Path root;
        String qemu = System.getenv().getOrDefault("QEMU", "qemu-system-i386");
        long timeoutSeconds = 300;
        /** JVM options of the Flatland processes (null: the launcher's, see launcherJvm). */
        List<String> jvm;

        String append() {
            return "workload=" + workload + (n == null ? "" : " n=" + n) + " " + POSTLOG;
        }
    }

    /** The runs of one emulator. */
    record Side(String name, List<ProcessRun.Result> runs) {
        Sample wallMs() {
            return Sample.of(runs.stream().map(r -> r.wallNs() / 1e6).toList());
        }

        /** ms from process start at each label, per run (null when a run lacks the label). */
        List<Double> fromStart(String label) {
            List<Double> xs = new ArrayList<>();
            for (ProcessRun.Result r : runs) {
                Long ns = label.equals("exit") ? Long.valueOf(r.wallNs()) : r.markNs().get(label);
                if (ns != null) xs.add(ns / 1e6);
            }
            return xs;
        }

        /** ms since the previous label (or process start), per run. */
        List<Double> fromPrevious(String label, String previous) {
            List<Double> xs = new ArrayList<>();
            for (ProcessRun.Result r : runs) {
                Map<String, Long> m = r.markNs();
                Long t = label.equals("exit") ? Long.valueOf(r.wallNs()) : m.get(label);
                Long p = previous == null ? Long.valueOf(0) : m.get(previous);
                if (t != null && p != null) xs.add((t - p) / 1e6);
            }
            return xs;
        }

        List<Double> statsMs(String label) {
            List<Double> xs = new ArrayList<>();
            for (ProcessRun.Result r : runs) {
                Long ns = r.statsNs().get(label);
                if (ns != null) xs.add(ns / 1e6);
            }
            return xs;
        }

        /** The distinct instruction counts seen at a label over the runs. */
        LinkedHashSet<Long> icounts(String label) {
            LinkedHashSet<Long> s = new LinkedHashSet<>();
            for (ProcessRun.Result r : runs) {
                Long v = label.equals("exit") ? Long.valueOf(r.retired()) : r.icounts().get(label);
                if (v != null) s.add(v);
            }
            return s;
        }
    }

    private BootHarness() { }

    static List<String> flatlandCommand(Path jar, Spec s, Path stats) {
        List<String> c = new ArrayList<>(List.of("java"));
        c.addAll(s.jvm != null ? s.jvm : launcherJvm(jar));
        c.addAll(List.of("-jar", jar.toString(), "boot", "--workload", s.workload));
        if (s.n != null) c.addAll(List.of("--n", s.n.toString()));
        c.addAll(List.of("--append", POSTLOG, "-accel", s.accel, "-display", "none", "--stats", stats.toString()));
        if (s.icount) c.add("--icount");
        return c;
    }

    static List<String> qemuCommand(Spec s) {
        String dir = "kernel-model/prebuilt/";
        return List.of(s.qemu, "-m", "128M", "-kernel", dir + "kernel",
                "-initrd", dir + "pm," + dir + "rs," + dir + "vm," + dir + "echo," + dir + "init",
                "-append", s.append(), "-serial", "stdio", "-display", "none", "-no-reboot",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04");
    }

    /** One Flatland run; throws when the guest did not shut down successfully. */
    static ProcessRun.Result runFlatland(Path jar, Spec s, Path statsFile) throws IOException, InterruptedException {
        ProcessRun.Result r = ProcessRun.run(flatlandCommand(jar, s, statsFile), s.root, statsFile, s.timeoutSeconds);
        if (r.exitStatus() != 0) {
            throw new IOException("flatland (" + jar + ") exited with " + r.exitStatus() + " instead of 0:\n" + r.stderrTail());
        }
        return r;
    }

    static ProcessRun.Result runQemu(Spec s) throws IOException, InterruptedException {
        ProcessRun.Result r = ProcessRun.run(qemuCommand(s), s.root, null, s.timeoutSeconds);
        if (r.exitStatus() != 33) throw new IOException("qemu exited with " + r.exitStatus() + " instead of 33:\n" + r.stderrTail());
        return r;
    }

    /** Runs the sessions; prints progress on {@code log}. */
    static List<Side> measure(Spec s, PrintStream log) throws IOException, InterruptedException {
        List<ProcessRun.Result> f = new ArrayList<>(), q = new ArrayList<>();
        Path stats = Files.createTempFile("flatland-boot", ".json");
        try {
            for (int i = 0; i < s.runs; i++) {
                f.add(runFlatland(s.jar, s, stats));
                if (s.vsQemu) q.add(runQemu(s));
                log.printf("\r  run %d/%d", i + 1, s.runs);
                log.flush();
            }
            log.println();
        } finally {
            Files.deleteIfExists(stats);
        }
        List<Side> sides = new ArrayList<>();
        sides.add(new Side("flatland", f));
        if (s.vsQemu) sides.add(new Side("qemu", q));
        return sides;
    }

    /** Milestone labels in order of the first run, then "exit". */
    static List<String> labels(Side side) {
        List<String> l = new ArrayList<>();
        for (ProcessRun.Mark m : side.runs().get(0).marks()) l.add(m.label());
        l.add("exit");
        return l;
    }

    static int main(List<String> args, Path root, PrintStream out) throws IOException, InterruptedException {
        Spec s = new Spec();
        s.root = root;
        s.jar = root.resolve("machine/target/flatland.jar");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--runs" -> s.runs = Integer.parseInt(args.get(++i));
                case "--vs-qemu" -> s.vsQemu = true;
                case "--accel" , "-accel" -> s.accel = args.get(++i);
                case "--icount" -> s.icount = true;
                case "--n" -> s.n = Integer.parseInt(args.get(++i));
                case "--jar" -> s.jar = Path.of(args.get(++i)).toAbsolutePath();
                default -> {
                    if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
                    s.workload = a;
                }
            }
        }
        if (s.runs < 1) throw new IllegalArgumentException("--runs must be at least 1");
        out.printf("bench boot: workload=%s, %d runs, -accel %s%s%s, fresh JVM per run%n", s.workload, s.runs, s.accel,
                s.icount ? ", --icount" : "", s.vsQemu ? ", interleaved with " + s.qemu : "");
        List<Side> sides = measure(s, out);
        Report rep = report(s, sides, out);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = root.resolve("perf-results");
        Files.createDirectories(dir);
        Path json = dir.resolve("boot-" + stamp + ".json");
        Path svg = dir.resolve("boot-" + stamp + ".svg");
        Map<String, Object> rec = Environment.header("boot", "flatland bench boot " + String.join(" ", args));
        rec.put("workload", s.workload);
        rec.put("append", s.append());
        rec.put("accel", s.accel);
        rec.put("icount", s.icount);
        rec.put("runs", s.runs);
        rec.put("timing", "ns from just before process start to the moment the harness reads each 'post: XX' serial line; exit = process exit");
        rec.put("flatland_command", String.join(" ", flatlandCommand(s.jar, s, Path.of("STATS"))));
        if (s.vsQemu) rec.put("qemu_command", String.join(" ", qemuCommand(s)));
        rec.put("results", rep.rows);
        rec.put("icount_identical", rep.icountIdentical);
        if (s.vsQemu) {
            rec.put("ratios", rep.ratios);
        }
        rec.put("chart", svg.getFileName().toString());
        Files.writeString(json, Json.write(rec));
        Map<String, Map<String, Double>> chart = new LinkedHashMap<>();
        for (Side side : sides) chart.put(side.name().equals("qemu") ? "QEMU" : "Flatland", rep.intervals.get(side.name()));
        Timeline.write(svg, "kernel-model workload=" + s.workload + " (" + s.runs + " runs, -accel " + s.accel
                + (s.icount ? ", icount" : "") + ")", chart, rep.intervalNames);
        out.println("bench boot: wrote " + root.relativize(json) + " and " + root.relativize(svg));
        return rep.icountIdentical || !s.icount ? 0 : 1;
    }

    static final class Report {
        final List<Object> rows = new ArrayList<>();
        final List<Object> ratios = new ArrayList<>();
        final Map<String, Map<String, Double>> intervals = new LinkedHashMap<>();
        final List<String> intervalNames = new ArrayList<>();
        boolean icountIdentical = true;
    }

    static Report report(Spec s, List<Side> sides, PrintStream out) {
        Report rep = new Report();
        Side fl = sides.get(0);
        Side qe = sides.size() > 1 ? sides.get(1) : null;
        List<String> labels = labels(fl);
        for (Side side : sides) {
            for (ProcessRun.Result r : side.runs()) {
                List<String> l = new ArrayList<>();
                for (ProcessRun.Mark m : r.marks()) l.add(m.label());
                l.add("exit");
                if (!l.equals(labels)) out.println("  note: a " + side.name() + " run printed milestones " + l + " instead of " + labels);
            }
        }
        out.printf("%n  %-6s │ %-28s %9s %9s %14s │", "post", "flatland ms from start", "Δprev", "stats ms", "instructions");
        if (qe != null) out.printf(" %-28s %9s │ %6s", "qemu ms from start", "Δprev", "F/Q");
        out.printf("%n  %s%n", "─".repeat(qe != null ? 132 : 80));
        String prev = null;
        for (Side side : sides) rep.intervals.put(side.name(), new LinkedHashMap<>());
        for (String label : labels) {
            String interval = (prev == null ? "start" : prev) + "→" + label;
            rep.intervalNames.add(interval);
            Sample f = Sample.of(fl.fromStart(label));
            Sample fd = Sample.of(fl.fromPrevious(label, prev));
            List<Double> st = fl.statsMs(label);
            Sample fs = st.isEmpty() ? null : Sample.of(st);
            LinkedHashSet<Long> ic = fl.icounts(label);
            String icText;
            if (ic.isEmpty() || ic.contains(-1L)) icText = "-";
            else if (ic.size() == 1) icText = String.format("%,d", ic.iterator().next());
            else {
                long lo = ic.stream().mapToLong(Long::longValue).min().orElse(0), hi = ic.stream().mapToLong(Long::longValue).max().orElse(0);
                icText = String.format("%,d..%,d", lo, hi);
                if (s.icount) rep.icountIdentical = false;
            }
            out.printf("  %-6s │ %9.1f [%7.1f..%7.1f]  %9.1f %9s %14s │", label, f.median, f.min, f.max, fd.median,
                    fs == null ? "-" : String.format("%.1f", fs.median), icText);
            rep.intervals.get("flatland").put(interval, fd.median);
            rep.rows.add(row("flatland", label, prev, f, fd, fs, ic));
            if (qe != null) {
                List<Double> qs = qe.fromStart(label);
                if (qs.isEmpty()) {
                    out.printf(" %-28s %9s │ %6s", "(not seen)", "", "");
                } else {
                    Sample q = Sample.of(qs);
                    Sample qd = Sample.of(qe.fromPrevious(label, prev));
                    double ratio = f.median / q.median;
                    out.printf(" %9.1f [%7.1f..%7.1f]  %9.1f │ %6.2f", q.median, q.min, q.max, qd.median, ratio);
                    rep.intervals.get("qemu").put(interval, qd.median);
                    rep.rows.add(row("qemu", label, prev, q, qd, null, null));
                    Map<String, Object> rr = new LinkedHashMap<>();
                    rr.put("milestone", label);
                    rr.put("flatland_over_qemu_from_start", ratio);
                    rr.put("flatland_over_qemu_interval", fd.median / qd.median);
                    rep.ratios.add(rr);
                }
            }
            out.println();
            prev = label;
        }
        out.printf("  %s%n", "─".repeat(qe != null ? 132 : 80));
        out.println("  medians over " + s.runs + " runs, [min..max]; Δprev = median of the interval since the previous milestone;");
        out.println("  stats ms = Flatland's own --stats host time (from machine creation, JVM start excluded)");
        if (qe != null) {
            Sample fw = fl.wallMs(), qw = qe.wallMs();
            out.printf("  end to end (process start to exit): flatland %.1f ms, qemu %.1f ms, ratio %.2f%n",
                    fw.median, qw.median, fw.median / qw.median);
        }
        if (s.icount) {
            out.println(rep.icountIdentical ? "  instruction counts: identical in all runs (--icount)"
                    : "  instruction counts: DIFFER between runs under --icount (determinism bug)");
        }
        return rep;
    }

    private static Map<String, Object> row(String side, String label, String prev, Sample f, Sample fd, Sample fs, LinkedHashSet<Long> ic) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("benchmark", "boot." + side + "." + label);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("side", side);
        p.put("milestone", label);
        p.put("previous", prev == null ? "start" : prev);
        r.put("params", p);
        r.put("mode", "wall_from_process_start");
        r.put("unit", "ms");
        f.putInto(r);
        r.put("interval_median", fd.median);
        r.put("interval_samples", boxed(fd.values));
        if (fs != null) {
            r.put("stats_host_median", fs.median);
            r.put("stats_host_samples", boxed(fs.values));
        }
        if (ic != null && !ic.isEmpty() && !ic.contains(-1L)) r.put("icounts", new ArrayList<>(ic));
        return r;
    }

    static List<Double> boxed(double[] a) {
        List<Double> l = new ArrayList<>(a.length);
        for (double v : a) l.add(Math.round(v * 1000) / 1000.0);
        return l;
    }
}
