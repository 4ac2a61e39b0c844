package io.flatland.bench.harness;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
 * {@code flatland gate [--baseline COMMIT|FILE|JAR] [--threshold 5] [--runs N] [--accept-icount-change]}:
 * is the working tree's build slower than a baseline?
 *
 * <p>Method. Both builds boot the kernel model ({@code workload=boot} by default) under
 * --icount, alternately in one session (baseline, candidate, baseline, candidate, ...), each
 * run a fresh JVM with the options {@link #GATE_JVM}, so drifts in machine load hit both
 * alike. The figure compared is, by default, the CPU time of the emulator's main thread from JVM start to
 * the end of the run (--stats thread_cpu_ns: ns resolution, and unlike wall time not inflated
 * by waiting for a core that a neighbour holds); --metric process-cpu|wall selects the
 * others, which are always printed too. The estimate is the median of the per-pair ratios
 * candidate_i/baseline_i and its interval the 95% percentile bootstrap over pairs (10,000
 * resamples, fixed seed), see {@link Sample#compare}: the gate FAILS when the whole interval
 * lies above 1 + threshold, i.e. the candidate is slower by more than the threshold with 95%
 * confidence. Ratio of medians, Hodges-Lehmann ratio, Mann-Whitney and Wilcoxon p-values are
 * printed as corroboration, not used for the verdict. Sequential sampling: after --runs pairs
 * (default 20), while the estimate is above 1 + threshold but its interval still reaches
 * below, half as many pairs again are run, up to --max-runs (default 4x); a comparison still
 * undecided then passes (the candidate was not shown to be slower), with a note. Identical
 * builds stop at the first look; a real slowdown beyond the threshold gets the runs it needs
 * to be shown with confidence. (Repeated looks only ever test for "slower", at a bound that
 * identical builds miss by many standard errors, so they add next to no false alarms.)
 * Instruction counts at every milestone are deterministic under --icount and are compared
 * exactly: any change fails the gate unless --accept-icount-change.
 *
 * <p>A COMMIT is built in a temporary {@code git worktree} outside the repository with
 * {@code mvn -o -DskipTests package -pl machine -am} (package, not install: installing would
 * replace the team's snapshot jars in ~/.m2); the jar is cached per commit id under
 * /tmp/flatland-gate-cache and the worktree removed. A FILE (a perf-results/baseline JSON)
 * supplies icounts and wall-time samples recorded in an earlier session (a weaker timing
 * comparison: the machine's load may have changed since). A JAR is used as it is.
 *
 * <p>Exit status: 0 pass, 1 slower beyond the threshold, 3 instruction counts changed, 2 error.
 */
final class Gate {
    /**
     * JVM options of the gate's Flatland processes. C1 only and the serial collector: a boot is
     * too short for C2 to pay off, and on a shared 2-core machine C2's background compilation
     * and parallel GC threads were the largest source of run-to-run spread (process CPU time
     * IQR about +-5% with the launcher's options, +-2% with these; measured 2026-11-26).
     */
    static final List<String> GATE_JVM = List.of("-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    static final int PASS = 0, SLOWER = 1, ERROR = 2, ICOUNT_CHANGED = 3;

    static final class Options {
        String baseline = "HEAD";
        Path candidate;
        double threshold = 5;
        int runs = 20;
        int maxRuns = -1;
        List<String> jvm = GATE_JVM;
        String workload = "boot";
        boolean acceptIcountChange;
        double confidence = 0.95;
        boolean record = true;
        String label;
        Path outDir;
        String metric = "cpu";
    }

    record Verdict(int status, Sample.Comparison cmp, Sample baseline, Sample candidate, List<String> icountChanges, boolean paired) { }

    private Gate() { }

    static int main(List<String> args, Path root, PrintStream out) throws Exception {
        Options o = new Options();
        o.candidate = root.resolve("machine/target/flatland.jar");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--baseline" -> o.baseline = args.get(++i);
                case "--candidate" -> o.candidate = Path.of(args.get(++i)).toAbsolutePath();
                case "--threshold" -> o.threshold = Double.parseDouble(args.get(++i));
                case "--runs" -> o.runs = Integer.parseInt(args.get(++i));
                case "--max-runs" -> o.maxRuns = Integer.parseInt(args.get(++i));
                case "--workload" -> o.workload = args.get(++i);
                case "--accept-icount-change" -> o.acceptIcountChange = true;
                case "--confidence" -> o.confidence = Double.parseDouble(args.get(++i));
                case "--no-record" -> o.record = false;
                case "--label" -> o.label = args.get(++i);
                case "--metric" -> o.metric = args.get(++i);
                case "--jvm" -> o.jvm = List.of(args.get(++i).trim().split("\\s+"));
                case "--out" -> o.outDir = Path.of(args.get(++i)).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!List.of("cpu", "process-cpu", "wall").contains(o.metric)) throw new IllegalArgumentException("--metric cpu|process-cpu|wall");
        if (o.runs < 3) throw new IllegalArgumentException("--runs must be at least 3");
        if (o.maxRuns < o.runs) o.maxRuns = 4 * o.runs;
        Verdict v = run(o, root, out);
        if (o.record) record(o, v, root, args, out);
        return v.status();
    }

    static Verdict run(Options o, Path root, PrintStream out) throws Exception {
        Path base = root.resolve(o.baseline);
        BootHarness.Spec s = new BootHarness.Spec();
        s.root = root;
        s.workload = o.workload;
        s.icount = true;
        s.jvm = o.jvm;
        Path stats = Files.createTempFile("flatland-gate", ".json");
        List<ProcessRun.Result> a = new ArrayList<>(), b = new ArrayList<>();
        double[] baseWall;
        Map<String, Long> baseIcounts;
        try {
            if (o.baseline.endsWith(".json") && Files.isRegularFile(base)) {
                JsonObject file = JsonParser.parseString(Files.readString(base)).getAsJsonObject();
                if (!o.workload.equals("boot")) throw new IllegalArgumentException("a baseline file holds workload=boot only");
                out.printf("gate: baseline = recorded file %s (timings from another session: weaker evidence)%n", root.relativize(base));
                s.jvm = BootHarness.LAUNCHER_JVM;   // as `flatland bench baseline` recorded them
                out.printf("gate: candidate = %s; %d runs%n", o.candidate, o.runs);
                for (int i = 0; i < o.runs; i++) {
                    b.add(BootHarness.runFlatland(o.candidate, s, stats));
                    out.printf("\r  run %d/%d", i + 1, o.runs);
                    out.flush();
                }
                out.println();
                baseWall = Baseline.wallSamples(file);
                if (o.metric.equals("cpu")) {
                    out.println("gate: a baseline file records wall times only: comparing wall time");
                    o.metric = "wall";
                }
                baseIcounts = Baseline.icountsOf(file);
            } else {
                Path jar = o.baseline.endsWith(".jar") ? base : build(o.baseline, root, out);
                out.printf("gate: baseline = %s%ngate: candidate = %s%ngate: %d runs each of workload=%s --icount, alternating A B A B, fresh JVM per run%n",
                        jar, o.candidate, o.runs, o.workload);
                double limit = 1 + o.threshold / 100;
                int target = o.runs;
                for (;;) {
                    while (a.size() < target) {
                        a.add(BootHarness.runFlatland(jar, s, stats));
                        b.add(BootHarness.runFlatland(o.candidate, s, stats));
                        out.printf("\r  pair %d/%d", a.size(), target);
                        out.flush();
                    }
                    out.println();
                    String m = o.metric.equals("cpu") && !threadCpuEverywhere(a, b) ? "process-cpu" : o.metric;
                    Sample.Comparison look = Sample.compare(metric(a, m), metric(b, m), true, o.confidence, 10_000, 0x5EED);
                    // Sequential: more pairs only while the estimate is above the threshold but
                    // its interval still reaches below it (slower beyond the threshold, not yet
                    // with confidence). An estimate under the threshold passes at once.
                    if (look.ratio() <= limit || look.ciLow() > limit || a.size() >= o.maxRuns) break;
                    target = Math.min(o.maxRuns, a.size() + Math.max(4, o.runs / 2));
                    out.printf("gate: after %d pairs: ratio %.4f > %.4f but CI [%.4f, %.4f]: undecided, running up to %d pairs%n",
                            a.size(), look.ratio(), limit, look.ciLow(), look.ciHigh(), target);
                }
                baseWall = metric(a, o.metric);
                baseIcounts = icounts(a, out, "baseline");
            }
        } finally {
            Files.deleteIfExists(stats);
        }
        Map<String, Long> candIcounts = icounts(b, out, "candidate");
        List<String> changes = new ArrayList<>();
        for (String l : new LinkedHashSet<>(merge(baseIcounts.keySet(), candIcounts.keySet()))) {
            Long x = baseIcounts.get(l), y = candIcounts.get(l);
            if (x == null || !x.equals(y)) changes.add(String.format("post %s: %s -> %s instructions", l, x, y));
        }
        if (o.metric.equals("cpu") && !a.isEmpty() && !threadCpuEverywhere(a, b)) {
            out.println("gate: a build does not report thread_cpu_ns: comparing process CPU time (rusage, 10 ms resolution)");
            o.metric = "process-cpu";
        }
        if (!a.isEmpty()) baseWall = metric(a, o.metric);
        double[] candWall = metric(b, o.metric);
        if (!a.isEmpty()) {
            // The other metrics, for the record: not used for the verdict.
            for (String other : List.of("cpu", "process-cpu", "wall")) {
                if (other.equals(o.metric) || (other.equals("cpu") && !threadCpuEverywhere(a, b))) continue;
                double[] x = metric(a, other), y = metric(b, other);
                if (Sample.median(x) <= 0) continue;
                Sample.Comparison oc = Sample.compare(x, y, true, o.confidence, 10_000, 0x5EED);
                out.printf("gate: (not used for the verdict) %s: medians %.1f vs %.1f ms, ratio %.4f, CI [%.4f, %.4f]%n",
                        describe(other), Sample.median(x), Sample.median(y), oc.ratio(), oc.ciLow(), oc.ciHigh());
            }
        }
        Sample sa = new Sample(baseWall), sb = new Sample(candWall);
        Sample.Comparison c = Sample.compare(baseWall, candWall, !a.isEmpty(), o.confidence, 10_000, 0x5EED);
        double limit = 1 + o.threshold / 100;
        out.printf("gate: %s (ms): baseline median %.1f [IQR %.1f..%.1f] n=%d, candidate median %.1f [IQR %.1f..%.1f] n=%d%n",
                describe(o.metric), sa.median, sa.q1, sa.q3, sa.values.length, sb.median, sb.q1, sb.q3, sb.values.length);
        out.printf("gate: candidate/baseline (%s) = %.4f, %.0f%% bootstrap CI [%.4f, %.4f] (%d resamples)%n",
                c.estimator(), c.ratio(), 100 * c.confidence(), c.ciLow(), c.ciHigh(), c.resamples());
        out.printf("gate: corroboration: ratio of medians %.4f, Hodges-Lehmann %.4f, Mann-Whitney p = %.3g%s%n",
                c.ratioOfMedians(), c.hodgesLehmannRatio(), c.mannWhitneyP(),
                Double.isNaN(c.wilcoxonP()) ? "" : String.format(", Wilcoxon signed-rank p = %.3g", c.wilcoxonP()));
        int status;
        if (!changes.isEmpty()) {
            out.println("gate: instruction counts changed (deterministic under --icount):");
            for (String ch : changes) out.println("  " + ch);
        } else {
            out.println("gate: instruction counts identical at every milestone (" + candIcounts.size() + " points)");
        }
        if (c.ciLow() > limit) {
            out.printf("gate: FAIL: slower by more than %.1f%% with %.0f%% confidence (CI lower bound %.4f > %.4f)%n",
                    o.threshold, 100 * o.confidence, c.ciLow(), limit);
            status = SLOWER;
        } else if (!changes.isEmpty() && !o.acceptIcountChange) {
            out.println("gate: FAIL: instruction counts changed (pass --accept-icount-change if intended, and update the baseline)");
            status = ICOUNT_CHANGED;
        } else {
            out.printf("gate: PASS (CI lower bound %.4f <= %.4f%s)%n", c.ciLow(), limit,
                    c.ratio() > limit ? "; the estimate is above the threshold but not with confidence: rerun with more --runs" : "");
            status = PASS;
        }
        return new Verdict(status, c, sa, sb, changes, !a.isEmpty());
    }

    static String describe(String metric) {
        return switch (metric) {
            case "cpu" -> "CPU time of the emulator's main thread, JVM start to end of run";
            case "process-cpu" -> "CPU time (user+sys, all threads) of the process, start to exit";
            default -> "wall time, process start to exit";
        };
    }

    /**
     * Per-run figures in ms. "cpu": the CPU time of the thread that ran the machine, from JVM
     * start (--stats thread_cpu_ns, ns resolution), or, for builds that do not report it, the
     * process's user+sys time from rusage (10 ms resolution); "wall": process start to exit.
     */
    static double[] metric(List<ProcessRun.Result> runs, String metric) {
        return switch (metric) {
            case "cpu" -> runs.stream().mapToDouble(r -> (r.threadCpuNs() >= 0 ? r.threadCpuNs() : r.cpuNs()) / 1e6).toArray();
            case "process-cpu" -> runs.stream().mapToDouble(r -> r.cpuNs() / 1e6).toArray();
            default -> runs.stream().mapToDouble(r -> r.wallNs() / 1e6).toArray();
        };
    }

    /** True when every run of both sides reports the thread CPU time (else "cpu" mixes sources: use process-cpu). */
    static boolean threadCpuEverywhere(List<ProcessRun.Result> a, List<ProcessRun.Result> b) {
        return a.stream().allMatch(r -> r.threadCpuNs() >= 0) && b.stream().allMatch(r -> r.threadCpuNs() >= 0);
    }

    private static List<String> merge(java.util.Set<String> x, java.util.Set<String> y) {
        List<String> l = new ArrayList<>(x);
        for (String k : y) if (!l.contains(k)) l.add(k);
        return l;
    }

    /** Icounts of a series of runs; reports (and keeps the first) when runs disagree. */
    static Map<String, Long> icounts(List<ProcessRun.Result> runs, PrintStream out, String who) {
        Map<String, Long> first = new LinkedHashMap<>(runs.get(0).icounts());
        first.put("exit", runs.get(0).retired());
        for (ProcessRun.Result r : runs) {
            Map<String, Long> m = new LinkedHashMap<>(r.icounts());
            m.put("exit", r.retired());
            if (!m.equals(first)) {
                out.println("gate: WARNING: " + who + " runs disagree on instruction counts under --icount: " + first + " vs " + m);
            }
        }
        return first;
    }

    /** Builds COMMIT in a temporary worktree; returns the cached flatland.jar. */
    static Path build(String commit, Path root, PrintStream out) throws IOException, InterruptedException {
        String sha = git(root, "rev-parse", "--verify", commit + "^{commit}").trim();
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "flatland-gate-cache", sha);
        Path jar = cache.resolve("flatland.jar");
        if (Files.isRegularFile(jar)) {
            out.println("gate: baseline " + commit + " = " + sha.substring(0, 12) + " (cached build)");
            return jar;
        }
        Path wt = Files.createTempDirectory("flatland-gate-wt");
        Files.delete(wt);
        out.println("gate: building baseline " + commit + " = " + sha.substring(0, 12) + " in worktree " + wt);
        git(root, "worktree", "add", "--detach", wt.toString(), sha);
        try {
            List<String> mvn = new ArrayList<>(List.of("flock", "/tmp/flatland-mvn.lock"));
            mvn.addAll(Files.isExecutable(wt.resolve("mvnw")) && !onPath("mvn") ? List.of("./mvnw") : List.of("mvn"));
            mvn.addAll(List.of("-B", "-q", "-o", "-DskipTests", "package", "-pl", "machine", "-am"));
            Process p = new ProcessBuilder(mvn).directory(wt.toFile()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new IOException("baseline build of " + commit + " failed:\n" + tailLines(log, 30));
            Files.createDirectories(cache);
            Files.copy(wt.resolve("machine/target/flatland.jar"), jar);
        } finally {
            git(root, "worktree", "remove", "--force", wt.toString());
        }
        return jar;
    }

    private static boolean onPath(String cmd) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) if (Files.isExecutable(Path.of(d, cmd))) return true;
        return false;
    }

    private static String tailLines(String s, int n) {
        String[] l = s.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(l, Math.max(0, l.length - n), l.length));
    }

    static String git(Path root, String... args) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("git"));
        c.addAll(List.of(args));
        Process p = new ProcessBuilder(c).directory(root.toFile()).redirectErrorStream(true).start();
        String outText = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException("git " + String.join(" ", args) + ": " + outText.trim());
        return outText;
    }

    static void record(Options o, Verdict v, Path root, List<String> args, PrintStream out) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = o.outDir != null ? o.outDir : root.resolve("perf-results");
        Files.createDirectories(dir);
        Path f = dir.resolve("gate-" + stamp + (o.label == null ? "" : "-" + o.label) + ".json");
        Files.writeString(f, Json.write(toRecord(o, v, "flatland gate " + String.join(" ", args))));
        out.println("gate: wrote " + f);
    }

    static Map<String, Object> toRecord(Options o, Verdict v, String command) {
        Map<String, Object> rec = Environment.header("gate", command);
        rec.put("baseline", o.baseline);
        rec.put("candidate", o.candidate.toString());
        rec.put("workload", o.workload);
        rec.put("threshold_percent", o.threshold);
        rec.put("metric", o.metric);
        rec.put("jvm_options", o.jvm);
        rec.put("method", describe(o.metric) + "; estimate: median of per-pair ratios candidate_i/baseline_i "
                + "(runs alternate A B A B; for a baseline file: ratio of medians); 95% percentile bootstrap CI over pairs, "
                + "10000 resamples, seed 0x5EED; FAIL if CI low > 1 + threshold");
        rec.put("paired", v.paired());
        rec.put("verdict", switch (v.status()) { case PASS -> "pass"; case SLOWER -> "slower"; default -> "icount-changed"; });
        Sample.Comparison c = v.cmp();
        Map<String, Object> cmp = new LinkedHashMap<>();
        cmp.put("estimator", c.estimator());
        cmp.put("ratio", c.ratio());
        cmp.put("ci_low", c.ciLow());
        cmp.put("ci_high", c.ciHigh());
        cmp.put("confidence", c.confidence());
        cmp.put("ratio_of_medians", c.ratioOfMedians());
        cmp.put("hodges_lehmann_ratio", c.hodgesLehmannRatio());
        cmp.put("wilcoxon_p", c.wilcoxonP());
        cmp.put("n_baseline", c.nBaseline());
        cmp.put("n_candidate", c.nCandidate());
        cmp.put("mann_whitney_p", c.mannWhitneyP());
        rec.put("comparison", cmp);
        rec.put("icount_changes", v.icountChanges());
        List<Object> rows = new ArrayList<>();
        rows.add(gateRow("baseline", v.baseline()));
        rows.add(gateRow("candidate", v.candidate()));
        rec.put("results", rows);
        return rec;
    }

    private static Map<String, Object> gateRow(String side, Sample s) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("benchmark", "gate." + side);
        r.put("params", Map.of("side", side));
        r.put("mode", "process_start_to_exit");
        r.put("unit", "ms");
        r.put("median", s.median);
        r.put("q1", s.q1);
        r.put("q3", s.q3);
        r.put("samples", BootHarness.boxed(s.values));
        return r;
    }
}
