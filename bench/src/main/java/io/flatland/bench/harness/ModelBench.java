package io.flatland.bench.harness;

import io.flatland.bench.record.Environment;
import io.flatland.bench.record.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * {@code flatland bench model [--runs N] [--vs-qemu] [--accel interp,jit] [--workload W1,W2] [--n N] [--jvm "OPTIONS"]}
 * (issue 10): times every kernel-model workload end to end, process start to exit, a fresh
 * process per run, under each requested Flatland engine and, with --vs-qemu, under
 * qemu-system-i386 on the same images with the same command line.
 *
 * <p>Order: round-robin. For each run index, for each workload, QEMU then every engine once,
 * so a drift in the machine's load hits all sides alike.
 *
 * <p>Every run is checked: exit status 33 (the kernel model's success) and the guest's
 * {@code result:} lines identical to QEMU's (the workload's first successful QEMU run), or,
 * without QEMU, to the workload's first successful run. A failed run is listed as failed and
 * left out of every statistic; the command then exits 1.
 *
 * <p>Guest MIPS = the workload's instruction count divided by a run's wall time, median over runs.
 * The count comes from one extra, untimed Flatland run per workload under --icount with --stats
 * ({@code retired_instructions}; deterministic, and the same for both engines). The timed runs do
 * not use --stats: writing it costs about 50 ms at the end of a run (measured on the 2-core team
 * machine, 12 alternating pairs of workload=boot: median 507 vs 460 ms), 10% of a boot. A timed
 * run in real time retires a few more instructions (timer ticks while the guest runs slower):
 * within 0.1% of the count for forkstorm and cpu under both engines.
 */
final class ModelBench {
    /** The kernel model's workloads (kernel-model/init/workloads.c and "all" in init/main.c), the default selection. */
    static final List<String> WORKLOADS = List.of("boot", "forkstorm", "pfstorm", "cow", "ipc", "mmap", "brk", "crash", "cpu", "all");
    /** Accepted by --workload, not run by default (test-only in the guest: a child dies of SIGSEGV). */
    static final List<String> EXTRA_WORKLOADS = List.of("segv");
    static final List<String> ENGINES = List.of("interp", "jit");
    static final String QEMU = "qemu";
    /** The kernel model's exit status on success under isa-debug-exit ((0x10 << 1) | 1). */
    static final int SUCCESS = 33;
    static final String IMAGES = "kernel-model/prebuilt/";

    static final class Spec {
        List<String> workloads = WORKLOADS;
        List<String> engines = List.of("jit");      // the emulator's default engine
        int runs = 3;
        boolean vsQemu;
        Integer n;
        /** --jvm: extra options of the Flatland JVMs. */
        List<String> jvmExtra = List.of();
        Path jar;
        Path root;
        String qemu = System.getenv().getOrDefault("QEMU", "qemu-system-i386");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long timeoutSeconds = 600;

        /** Sides in the order each round runs them: qemu (with --vs-qemu), then the engines. */
        List<String> sides() {
            List<String> l = new ArrayList<>();
            if (vsQemu) l.add(QEMU);
            l.addAll(engines);
            return l;
        }

        /** The guest command line: run.sh's, plus n=N when given. */
        String append(String workload) {
            return "workload=" + workload + (n == null ? "" : " n=" + n);
        }

        /**
         * JVM options of the Flatland processes: the launcher's (-Xss4m -XX:+UseParallelGC and its
         * class data sharing archive), then --jvm's; the launcher's collector is left out when --jvm
         * selects one (HotSpot refuses two).
         */
        List<String> flatlandJvm() {
            List<String> l = new ArrayList<>();
            boolean gc = jvmExtra.stream().anyMatch(o -> o.matches("-XX:\\+Use\\w*GC"));
            List<String> launcher = jar == null ? BootHarness.LAUNCHER_JVM : BootHarness.launcherJvm(jar);
            for (String o : launcher) if (!(gc && o.matches("-XX:\\+Use\\w*GC"))) l.add(o);
            l.addAll(jvmExtra);
            return l;
        }
    }

    /**
     * One process run.
     *
     * @param index      run index (0-based)
     * @param exitStatus the process's exit status, -1 when it did not finish (timeout, could not start)
     * @param results    the guest's {@code result:} lines
     * @param note       how the guest or the process ended: its {@code shutdown:}/{@code panic:} line, the
     *                   harness's error or the last line of stderr
     * @param failure    why the run failed its check, null when it passed (set by {@link #check})
     */
    record Run(String workload, String side, int index, long wallNs, int exitStatus, List<String> results,
               String note, String failure) {
        boolean ok() { return failure == null; }

        double ms() { return wallNs / 1e6; }

        /** Guest instructions per microsecond of wall time; NaN without an instruction count. */
        double mips(long instructions) { return instructions > 0 && wallNs > 0 ? instructions * 1e3 / wallNs : Double.NaN; }

        Run failed(String why) {
            return new Run(workload, side, index, wallNs, exitStatus, results, note, why);
        }
    }

    /**
     * A workload's guest instruction count, from its extra --icount run.
     *
     * @param instructions retired instructions at the guest's exit, -1 when the run failed
     * @param failure      why there is no count, or null
     */
    record Count(String workload, String engine, long instructions, String failure) { }

    /** What the table's header quotes. */
    record Env(String cpu, int cores, String jvm, String qemu) { }

    private ModelBench() { }

    // ---------------------------------------------------------------- arguments

    static Spec parse(List<String> args, Path root) {
        Spec s = new Spec();
        s.root = root;
        s.jar = root.resolve("machine/target/flatland.jar");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--runs" -> s.runs = intArg(args, ++i, a, 1);
                case "--vs-qemu" -> s.vsQemu = true;
                case "--accel", "-accel" -> s.engines = list(value(args, ++i, a), a, ENGINES);
                case "--workload", "--workloads" -> {
                    List<String> known = new ArrayList<>(WORKLOADS);
                    known.addAll(EXTRA_WORKLOADS);
                    s.workloads = list(value(args, ++i, a), a, known);
                }
                case "--n" -> s.n = intArg(args, ++i, a, 0);
                case "--jvm" -> {
                    String v = value(args, ++i, a).trim();
                    s.jvmExtra = v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
                    for (String o : s.jvmExtra) {
                        if (!o.startsWith("-")) throw new IllegalArgumentException("--jvm: '" + o + "' is not a JVM option");
                    }
                }
                case "--jar" -> s.jar = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--timeout" -> s.timeoutSeconds = intArg(args, ++i, a, 1);
                default -> throw new IllegalArgumentException((a.startsWith("-") ? "unknown option " : "unexpected argument ") + a);
            }
        }
        return s;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) throw new IllegalArgumentException(option + " needs a value");
        return args.get(i);
    }

    private static int intArg(List<String> args, int i, String option, int min) {
        String v = value(args, i, option);
        int x;
        try {
            x = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + v + "'");
        }
        if (x < min) throw new IllegalArgumentException(option + " must be at least " + min + ", not " + x);
        return x;
    }

    /** A comma-separated list of known names, duplicates dropped, order kept. */
    private static List<String> list(String v, String option, List<String> known) {
        LinkedHashSet<String> l = new LinkedHashSet<>();
        for (String x : v.split(",", -1)) {
            String t = x.trim();
            if (!known.contains(t)) {
                throw new IllegalArgumentException(option + ": unknown name '" + t + "' (one or more of " + String.join(",", known) + ")");
            }
            l.add(t);
        }
        return List.copyOf(l);
    }

    // ---------------------------------------------------------------- commands

    /** QEMU's arguments from kernel-model/run.sh, used unchanged for both emulators (paths relative to the repository). */
    static List<String> machineArgs(Spec s, String workload) {
        return List.of("-m", "128M", "-kernel", IMAGES + "kernel",
                "-initrd", IMAGES + "pm," + IMAGES + "rs," + IMAGES + "vm," + IMAGES + "echo," + IMAGES + "init",
                "-append", s.append(workload), "-serial", "stdio", "-display", "none", "-no-reboot",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04");
    }

    /** A timed run's command (Flatland without --stats, see the class comment). */
    static List<String> command(Spec s, String side, String workload) {
        List<String> c = new ArrayList<>();
        if (side.equals(QEMU)) {
            c.add(s.qemu);
            c.addAll(machineArgs(s, workload));
            return c;
        }
        c.add(s.java);
        c.addAll(s.flatlandJvm());
        c.addAll(List.of("-jar", s.jar.toString()));
        c.addAll(machineArgs(s, workload));
        c.addAll(List.of("-accel", side));
        return c;
    }

    /** The engine of the instruction-count runs: jit (the faster) when it is measured. */
    static String countEngine(Spec s) {
        return s.engines.contains("jit") ? "jit" : s.engines.get(0);
    }

    /** The untimed run that counts a workload's instructions: deterministic (--icount), with --stats. */
    static List<String> countCommand(Spec s, String workload, Path stats) {
        List<String> c = new ArrayList<>(command(s, countEngine(s), workload));
        c.addAll(List.of("--icount", "--stats", stats.toString()));
        return c;
    }

    /** A command for the record, shell-quoted where needed. */
    static String shell(List<String> c) {
        List<String> q = new ArrayList<>();
        for (String a : c) q.add(a.matches("[A-Za-z0-9_./=,:+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        return String.join(" ", q);
    }

    // ---------------------------------------------------------------- measuring

    static Run runOnce(Spec s, String side, String workload, int index) throws InterruptedException {
        try {
            ProcessRun.Result r = ProcessRun.run(command(s, side, workload), s.root, null, s.timeoutSeconds);
            return new Run(workload, side, index, r.wallNs(), r.exitStatus(), r.resultLines(), note(r), null);
        } catch (IOException | RuntimeException e) {
            return new Run(workload, side, index, 0, -1, List.of(), String.valueOf(e.getMessage()).split("\n")[0], null);
        }
    }

    /**
     * How a run ended, for a failure's reason: the guest's last {@code shutdown:}/{@code panic:} line and,
     * when the exit status is not 33, the emulator's own {@code flatland:} line on stderr, or else its first.
     */
    static String note(ProcessRun.Result r) {
        String note = r.console().stream().filter(l -> !l.startsWith("result: ")).reduce((x, y) -> y).orElse(null);
        if (r.exitStatus() != SUCCESS && !r.stderrTail().isBlank()) {
            List<String> err = r.stderrTail().lines().filter(l -> !l.isBlank()).toList();
            String e = err.stream().filter(l -> l.startsWith("flatland:")).findFirst().orElse(err.get(0));
            note = (note == null ? "" : note + "; ") + "stderr: " + e;
        }
        return note;
    }

    /** One untimed --icount run per workload: its instruction count. */
    static Map<String, Count> count(Spec s, PrintStream log) throws IOException, InterruptedException {
        Map<String, Count> counts = new LinkedHashMap<>();
        Path stats = Files.createTempFile("flatland-model", ".json");
        try {
            log.print("  instruction counts (--icount -accel " + countEngine(s) + ", untimed):");
            for (String w : s.workloads) {
                Count c;
                try {
                    ProcessRun.Result r = ProcessRun.run(countCommand(s, w, stats), s.root, stats, s.timeoutSeconds);
                    c = r.exitStatus() == SUCCESS && r.retired() > 0 ? new Count(w, countEngine(s), r.retired(), null)
                            : new Count(w, countEngine(s), -1, "exit status " + r.exitStatus()
                                    + (note(r) == null ? "" : " (" + note(r) + ")"));
                } catch (IOException | RuntimeException e) {
                    c = new Count(w, countEngine(s), -1, String.valueOf(e.getMessage()).split("\n")[0]);
                }
                counts.put(w, c);
                log.print(" " + w + " " + (c.instructions() > 0 ? String.format("%,d", c.instructions()) : "FAILED"));
                log.flush();
            }
            log.println();
        } finally {
            Files.deleteIfExists(stats);
        }
        return counts;
    }

    /** Runs the whole session, round-robin; prints one line per run index and workload on {@code log}. */
    static List<Run> measure(Spec s, PrintStream log) throws IOException, InterruptedException {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < s.runs; i++) {
            for (String w : s.workloads) {
                StringBuilder line = new StringBuilder(String.format("  run %d/%d %-10s", i + 1, s.runs, w));
                for (String side : s.sides()) {
                    Run r = runOnce(s, side, w, i);
                    runs.add(r);
                    line.append(String.format(" %s %.0f ms", side, r.ms()));
                    if (r.exitStatus() != SUCCESS) line.append(" (exit status ").append(r.exitStatus()).append(")");
                }
                log.println(line);
            }
        }
        return runs;
    }

    // ---------------------------------------------------------------- checking

    /** The run whose result lines a workload's runs must match: its first successful QEMU run, else its first successful run. */
    static Run reference(List<Run> runs, String workload) {
        Run any = null;
        for (Run r : runs) {
            if (!r.workload().equals(workload) || r.exitStatus() != SUCCESS || r.results().isEmpty()) continue;
            if (r.side().equals(QEMU)) return r;
            if (any == null) any = r;
        }
        return any;
    }

    /** Marks every run that did not exit with 33 or whose result lines differ from the reference's. */
    static List<Run> check(List<Run> runs) {
        Map<String, Run> refs = new LinkedHashMap<>();
        for (Run r : runs) refs.computeIfAbsent(r.workload(), w -> reference(runs, w));
        List<Run> out = new ArrayList<>();
        for (Run r : runs) {
            Run ref = refs.get(r.workload());
            String why = null;
            if (r.exitStatus() != SUCCESS) {
                why = (r.exitStatus() < 0 ? "did not finish" : "exit status " + r.exitStatus()) + (r.note() == null ? "" : " (" + r.note() + ")");
            } else if (r.results().isEmpty()) {
                why = "no result: line";
            } else if (!r.results().equals(ref.results())) {
                why = "result differs from " + describe(ref) + ": " + firstDifference(r.results(), ref.results());
            }
            out.add(why == null ? r : r.failed(why));
        }
        return out;
    }

    static String describe(Run ref) {
        return (ref.side().equals(QEMU) ? "QEMU's" : ref.side() + "'s") + " (run " + (ref.index() + 1) + ")";
    }

    private static String firstDifference(List<String> got, List<String> want) {
        for (int i = 0; i < Math.max(got.size(), want.size()); i++) {
            String g = i < got.size() ? got.get(i) : "(nothing)", w = i < want.size() ? want.get(i) : "(nothing)";
            if (!g.equals(w)) return "'" + g + "' instead of '" + w + "'";
        }
        return "";
    }

    // ---------------------------------------------------------------- statistics

    /** One workload on one side: statistics over its successful runs only. */
    record Cell(String workload, String side, List<Run> runs, long instructions) {
        List<Run> good() { return runs.stream().filter(Run::ok).toList(); }

        List<Run> failed() { return runs.stream().filter(r -> !r.ok()).toList(); }

        /** Wall ms of the successful runs, null when there is none. */
        Sample ms() {
            List<Run> g = good();
            return g.isEmpty() ? null : Sample.of(g.stream().map(Run::ms).toList());
        }

        /** Median guest MIPS over the successful runs that report an instruction count (NaN when none). */
        double mips() {
            double[] m = good().stream().mapToDouble(r -> r.mips(instructions)).filter(x -> !Double.isNaN(x)).toArray();
            return m.length == 0 ? Double.NaN : Sample.median(m);
        }

        String okText() { return good().size() + "/" + runs.size(); }
    }

    static final class Report {
        final Spec spec;
        final List<Run> runs;
        /** workload -> its instruction count */
        final Map<String, Count> counts;
        /** workload -> side -> cell */
        final Map<String, Map<String, Cell>> cells = new LinkedHashMap<>();
        /** engine -> geometric mean of engine/QEMU over the workloads where both have successful runs */
        final Map<String, Double> geomeanOverQemu = new LinkedHashMap<>();
        final Map<String, Integer> geomeanCount = new LinkedHashMap<>();
        double geomeanJitOverInterp = Double.NaN;
        int geomeanJitOverInterpCount;

        Report(Spec spec, List<Run> runs, Map<String, Count> counts) {
            this.spec = spec;
            this.runs = runs;
            this.counts = counts;
        }

        long instructions(String workload) {
            Count c = counts.get(workload);
            return c == null ? -1 : c.instructions();
        }

        Cell cell(String workload, String side) { return cells.get(workload).get(side); }

        /** Median of a over median of b for one workload, NaN when either has no successful run. */
        double ratio(String workload, String a, String b) {
            Sample x = cell(workload, a).ms(), y = cell(workload, b).ms();
            return x == null || y == null ? Double.NaN : x.median / y.median;
        }

        boolean bothEngines() { return spec.engines.containsAll(ENGINES); }

        List<Run> failures() { return runs.stream().filter(r -> !r.ok()).toList(); }
    }

    static Report summarize(Spec s, List<Run> runs, Map<String, Count> counts) {
        Report rep = new Report(s, runs, counts);
        for (String w : s.workloads) {
            Map<String, Cell> m = new LinkedHashMap<>();
            for (String side : s.sides()) {
                m.put(side, new Cell(w, side, runs.stream().filter(r -> r.workload().equals(w) && r.side().equals(side)).toList(),
                        rep.instructions(w)));
            }
            rep.cells.put(w, m);
        }
        if (s.vsQemu) {
            for (String e : s.engines) {
                double[] r = s.workloads.stream().mapToDouble(w -> rep.ratio(w, e, QEMU)).filter(x -> !Double.isNaN(x)).toArray();
                rep.geomeanOverQemu.put(e, Sample.geomean(r));
                rep.geomeanCount.put(e, r.length);
            }
        }
        if (rep.bothEngines()) {
            double[] r = s.workloads.stream().mapToDouble(w -> rep.ratio(w, "jit", "interp")).filter(x -> !Double.isNaN(x)).toArray();
            rep.geomeanJitOverInterp = Sample.geomean(r);
            rep.geomeanJitOverInterpCount = r.length;
        }
        return rep;
    }

    // ---------------------------------------------------------------- table

    static void printTable(Report rep, Env env, PrintStream out) {
        Spec s = rep.spec;
        out.println();
        out.printf("  kernel model, end to end (process start to exit), %d run%s per workload and side, fresh process per run, round-robin%n",
                s.runs, s.runs == 1 ? "" : "s");
        out.printf("  machine: %s, %d cores; JVM: %s%s%n", env.cpu(), env.cores(), env.jvm(), s.vsQemu ? "; QEMU: " + env.qemu() : "");
        out.printf("  Flatland JVM options: %s%n", String.join(" ", s.flatlandJvm()));
        StringBuilder h = new StringBuilder(String.format("  %-10s %9s", "workload", "M insns"));
        if (s.vsQemu) h.append(String.format(" │ %9s %5s", "QEMU ms", "ok"));
        for (String e : s.engines) {
            h.append(String.format(" │ %-9s %-19s %5s", e + " ms", "[min..max]", "ok"));
            if (s.vsQemu) h.append(String.format(" %7s", "/QEMU"));
            h.append(String.format(" %7s", "MIPS"));
        }
        if (rep.bothEngines()) h.append(String.format(" │ %10s", "jit/interp"));
        String rule = "  " + "─".repeat(h.length() - 2);
        out.println(h);
        out.println(rule);
        for (String w : s.workloads) {
            long insns = rep.instructions(w);
            StringBuilder l = new StringBuilder(String.format("  %-10s %9s", w, insns > 0 ? String.format("%.1f", insns / 1e6) : "-"));
            if (s.vsQemu) {
                Cell q = rep.cell(w, QEMU);
                Sample qs = q.ms();
                l.append(String.format(" │ %9s %5s", qs == null ? "FAILED" : String.format("%.1f", qs.median), q.okText()));
            }
            for (String e : s.engines) {
                Cell c = rep.cell(w, e);
                Sample cs = c.ms();
                if (cs == null) l.append(String.format(" │ %-29s %5s", "FAILED", c.okText()));
                else l.append(String.format(" │ %9.1f [%8.1f..%8.1f] %5s", cs.median, cs.min, cs.max, c.okText()));
                if (s.vsQemu) l.append(String.format(" %7s", num(rep.ratio(w, e, QEMU), 2)));
                l.append(String.format(" %7s", num(c.mips(), 1)));
            }
            if (rep.bothEngines()) l.append(String.format(" │ %10s", num(rep.ratio(w, "jit", "interp"), 3)));
            out.println(l);
        }
        if (s.vsQemu || rep.bothEngines()) {
            out.println(rule);
            StringBuilder g = new StringBuilder(String.format("  %-10s %9s", "geomean", ""));
            if (s.vsQemu) g.append(String.format(" │ %9s %5s", "", ""));
            for (String e : s.engines) {
                g.append(String.format(" │ %-29s %5s", "", ""));
                if (s.vsQemu) g.append(String.format(" %7s", num(rep.geomeanOverQemu.get(e), 2)));
                g.append(String.format(" %7s", ""));
            }
            if (rep.bothEngines()) g.append(String.format(" │ %10s", num(rep.geomeanJitOverInterp, 3)));
            out.println(g);
        }
        out.println(rule);
        out.println("  ms: median over the successful runs [min..max]; ok: successful runs (exit status 33 and the guest's result:");
        out.println("  line identical to " + (s.vsQemu ? "QEMU's" : "the workload's first run's") + "); M insns: guest instructions to the guest's exit");
        out.println("  (one untimed --icount run per workload); MIPS: those instructions / wall time of a run, median");
        if (s.vsQemu) out.println("  /QEMU: engine median / QEMU median (< 1 = faster than QEMU)");
        if (rep.bothEngines()) out.println("  jit/interp: jit median / interp median (< 1 = the JIT is faster)");
        if (s.vsQemu) {
            for (String e : s.engines) {
                if (rep.geomeanCount.get(e) < s.workloads.size()) {
                    out.printf("  geomean of %s/QEMU over %d of %d workloads (the others have no successful run on a side)%n",
                            e, rep.geomeanCount.get(e), s.workloads.size());
                }
            }
        }
        for (Count c : rep.counts.values()) {
            if (c.failure() != null) out.printf("  no instruction count for %s (MIPS -): its --icount run failed: %s%n", c.workload(), c.failure());
        }
        List<Run> failed = rep.failures();
        if (!failed.isEmpty()) {
            out.printf("  FAILED runs (%d of %d; left out of every figure above):%n", failed.size(), rep.runs.size());
            for (Run r : failed) out.printf("    %s %s run %d: %s%n", r.workload(), r.side(), r.index() + 1, r.failure());
        }
    }

    private static String num(Double x, int decimals) {
        return x == null || x.isNaN() ? "-" : String.format("%." + decimals + "f", x);
    }

    // ---------------------------------------------------------------- record

    /** The flatland-perf/1 record: {@code header} (Environment.header("model", ...)) plus this kind's fields. */
    static Map<String, Object> toRecord(Map<String, Object> header, Report rep, Env env, String chart) {
        Spec s = rep.spec;
        Map<String, Object> rec = new LinkedHashMap<>(header);
        rec.put("workloads", s.workloads);
        rec.put("engines", s.engines);
        rec.put("vs_qemu", s.vsQemu);
        rec.put("runs", s.runs);
        rec.put("n", s.n);
        rec.put("order", "round-robin: for each run index, for each workload: " + String.join(", ", s.sides()));
        rec.put("timing", "wall ns from just before process start to process exit (harness clock); fresh process per run");
        rec.put("check", "exit status 33 and the guest's result: lines identical to "
                + (s.vsQemu ? "the workload's first successful QEMU run" : "the workload's first successful run"));
        rec.put("instructions", "retired_instructions (--stats) of one untimed run per workload under --icount -accel "
                + countEngine(s) + "; mips = instructions / wall us of each timed run (timed runs do not use --stats, which costs ~50 ms)");
        rec.put("instruction_count_command", shell(countCommand(s, "WORKLOAD", Path.of("STATS"))));
        rec.put("flatland_jvm", env.jvm());
        rec.put("jvm_options", s.flatlandJvm());
        rec.put("jvm_extra_options", s.jvmExtra);
        rec.put("flatland_command", shell(command(s, "ENGINE", "WORKLOAD")));
        if (s.vsQemu) {
            rec.put("qemu_version", env.qemu());
            rec.put("qemu_command", shell(command(s, QEMU, "WORKLOAD")));
        }
        Map<String, Object> g = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : rep.geomeanOverQemu.entrySet()) {
            g.put(e.getKey() + "_over_qemu", e.getValue());
            g.put(e.getKey() + "_over_qemu_workloads", rep.geomeanCount.get(e.getKey()));
        }
        if (rep.bothEngines()) {
            g.put("jit_over_interp", rep.geomeanJitOverInterp);
            g.put("jit_over_interp_workloads", rep.geomeanJitOverInterpCount);
        }
        rec.put("geomean", g);
        List<Object> failures = new ArrayList<>();
        for (Run r : rep.failures()) failures.add(failure(r));
        rec.put("failed_runs", failures);
        List<Object> countFailures = new ArrayList<>();
        for (Count c : rep.counts.values()) {
            if (c.failure() != null) countFailures.add(Map.of("workload", c.workload(), "reason", c.failure()));
        }
        rec.put("instruction_count_failures", countFailures);
        rec.put("chart", chart);
        List<Object> rows = new ArrayList<>();
        for (String w : s.workloads) for (String side : s.sides()) rows.add(row(rep, w, side));
        rec.put("results", rows);
        return rec;
    }

    private static Map<String, Object> failure(Run r) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("workload", r.workload());
        f.put("side", r.side());
        f.put("run", r.index() + 1);
        f.put("exit_status", r.exitStatus());
        f.put("wall_ms", Math.round(r.ms() * 1000) / 1000.0);
        f.put("reason", r.failure());
        return f;
    }

    private static Map<String, Object> row(Report rep, String w, String side) {
        Spec s = rep.spec;
        Cell c = rep.cell(w, side);
        Sample ms = c.ms();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("benchmark", "model." + w + "." + side);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("workload", w);
        p.put("side", side);
        p.put("append", s.append(w));
        r.put("params", p);
        r.put("mode", "process_start_to_exit");
        r.put("unit", "ms");
        if (ms != null) {
            ms.putInto(r);
        } else {   // every run failed: the same fields, empty
            for (String k : List.of("median", "q1", "q3", "min", "max")) r.put(k, null);
            r.put("samples", List.of());
        }
        r.put("runs_ok", c.good().size());
        r.put("runs_failed", c.failed().size());
        r.put("failed_runs", c.failed().stream().map(x -> x.index() + 1).toList());
        List<Run> good = c.good();
        r.put("result_lines", good.isEmpty() ? List.of() : good.get(0).results());
        r.put("instructions", c.instructions() > 0 ? c.instructions() : null);
        r.put("mips_median", c.mips());
        r.put("mips_samples", good.stream().map(x -> Double.isNaN(x.mips(c.instructions())) ? null
                : Math.round(x.mips(c.instructions()) * 1000) / 1000.0).toList());
        if (!side.equals(QEMU)) {
            if (s.vsQemu) r.put("over_qemu", rep.ratio(w, side, QEMU));
            if (side.equals("jit") && rep.bothEngines()) r.put("over_interp", rep.ratio(w, "jit", "interp"));
        }
        return r;
    }

    // ---------------------------------------------------------------- main

    static Env probe(Spec s) throws IOException, InterruptedException {
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        String qemu = null;
        if (s.vsQemu) {
            try {
                Process p = new ProcessBuilder(s.qemu, "--version").redirectErrorStream(true).start();
                String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() != 0 || v.isEmpty()) throw new IOException(s.qemu + " --version failed: " + v);
                qemu = v.split("\n")[0].replaceFirst("^QEMU emulator version ", "");
            } catch (IOException e) {
                throw new IOException("--vs-qemu: cannot run " + s.qemu + ": " + e.getMessage());
            }
        }
        return new Env(Environment.cpuModel(), Runtime.getRuntime().availableProcessors(), jvm, qemu);
    }

    static int main(List<String> args, Path root, PrintStream out) throws IOException, InterruptedException {
        Spec s = parse(args, root);
        if (!Files.isRegularFile(s.jar)) throw new IOException("no Flatland jar at " + s.jar + " (build it: ./flatland --help)");
        if (!Files.isRegularFile(root.resolve(IMAGES + "kernel"))) throw new IOException("no kernel model images in " + root.resolve(IMAGES));
        Env env = probe(s);
        out.printf("bench model: %d workload%s x %s, %d run%s each, round-robin, fresh process per run%n", s.workloads.size(),
                s.workloads.size() == 1 ? "" : "s", String.join(", ", s.sides()), s.runs, s.runs == 1 ? "" : "s");
        Map<String, Count> counts = count(s, out);
        List<Run> runs = check(measure(s, out));
        Report rep = summarize(s, runs, counts);
        printTable(rep, env, out);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = root.resolve("perf-results");
        Files.createDirectories(dir);
        Path json = dir.resolve("model-" + stamp + ".json");
        Path svg = dir.resolve("model-" + stamp + ".svg");
        Map<String, Object> header = Environment.header("model", "flatland bench model " + shell(args));
        Files.writeString(json, Json.write(toRecord(header, rep, env, svg.getFileName().toString())));
        RatioChart.write(svg, rep, env);
        out.println("bench model: wrote " + root.relativize(json) + " and " + root.relativize(svg));
        return rep.failures().isEmpty() ? 0 : 1;
    }
}
