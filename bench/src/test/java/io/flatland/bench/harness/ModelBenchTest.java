package io.flatland.bench.harness;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.flatland.bench.record.Json;
import org.jfree.data.category.DefaultCategoryDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `flatland bench model`: arguments, checks, statistics, table, record and chart, on made-up runs (no processes). */
class ModelBenchTest {
    private static final Path ROOT = Path.of("/repo");
    private static final ModelBench.Env ENV = new ModelBench.Env("Test CPU 9000", 2, "TestVM 17.0.99", "7.2.22 (test)");

    private static ModelBench.Spec parse(String... args) {
        return ModelBench.parse(List.of(args), ROOT);
    }

    private static String result(String w) {
        return "result: " + w + " n=0 value=4 checksum=00732805";
    }

    private static ModelBench.Run run(String w, String side, int i, double ms) {
        return new ModelBench.Run(w, side, i, Math.round(ms * 1e6), 33, List.of(result(w)), "shutdown: success", null);
    }

    private static ModelBench.Run run(String w, String side, int i, double ms, int status, String resultLine) {
        return new ModelBench.Run(w, side, i, Math.round(ms * 1e6), status, resultLine == null ? List.of() : List.of(resultLine),
                status == 35 ? "shutdown: failure (check failed)" : null, null);
    }

    // ------------------------------------------------------------ arguments

    @Test
    void defaultsAreEveryWorkloadOnceUnderTheDefaultEngine() {
        ModelBench.Spec s = parse();
        assertEquals(List.of("boot", "forkstorm", "pfstorm", "cow", "ipc", "mmap", "brk", "crash", "cpu", "all"), s.workloads);
        assertEquals(List.of("jit"), s.engines);
        assertEquals(3, s.runs);
        assertFalse(s.vsQemu);
        assertNull(s.n);
        assertEquals(List.of("jit"), s.sides());
        assertEquals(List.of("-Xss4m", "-XX:+UseParallelGC"), s.flatlandJvm());
        assertEquals(ROOT.resolve("machine/target/flatland.jar"), s.jar);
        assertEquals("workload=cow", s.append("cow"));
    }

    @Test
    void everyOptionIsParsed() {
        ModelBench.Spec s = parse("--runs", "5", "--vs-qemu", "--accel", "interp,jit", "--workload", "ipc,segv,ipc",
                "--n", "100", "--jvm", " -Dflatland.jit.hot=1000  -XX:+UseSerialGC ", "--timeout", "30");
        assertEquals(5, s.runs);
        assertTrue(s.vsQemu);
        assertEquals(List.of("interp", "jit"), s.engines);
        assertEquals(List.of("ipc", "segv"), s.workloads, "duplicates are dropped, order kept");
        assertEquals(100, s.n);
        assertEquals("workload=ipc n=100", s.append("ipc"));
        assertEquals(30, s.timeoutSeconds);
        assertEquals(List.of("qemu", "interp", "jit"), s.sides(), "QEMU first in every round, then the engines");
        // --jvm adds to the launcher's options; a collector of its own replaces the launcher's (HotSpot refuses two).
        assertEquals(List.of("-Xss4m", "-Dflatland.jit.hot=1000", "-XX:+UseSerialGC"), s.flatlandJvm());
        assertEquals(List.of("-Xss4m", "-XX:+UseParallelGC", "-Dflatland.jit.hot=5"), parse("--jvm", "-Dflatland.jit.hot=5").flatlandJvm());
    }

    @Test
    void badArgumentsAreRefusedWithAReason() {
        String[][] bad = {
            {"--runs", "0"}, {"--runs", "three"}, {"--runs"}, {"--accel", "tcg"}, {"--accel", "jit,"},
            {"--workload", "panic"}, {"--workload", "boot,nope"}, {"--n", "-1"}, {"--frob"}, {"boot"}, {"--jvm", "hot=5"},
        };
        for (String[] b : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(b), String.join(" ", b));
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--accel", "tcg")).getMessage().contains("'tcg'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--runs")).getMessage().contains("--runs needs a value"));
    }

    @Test
    void bothEmulatorsGetRunShsInvocation() {
        ModelBench.Spec s = parse("--vs-qemu", "--accel", "interp,jit", "--jvm", "-Dx=1");
        String machine = "-m 128M -kernel kernel-model/prebuilt/kernel -initrd kernel-model/prebuilt/pm,kernel-model/prebuilt/rs,"
                + "kernel-model/prebuilt/vm,kernel-model/prebuilt/echo,kernel-model/prebuilt/init -append workload=ipc -serial stdio "
                + "-display none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04";
        assertEquals(s.qemu + " " + machine, String.join(" ", ModelBench.command(s, "qemu", "ipc")));
        String fl = String.join(" ", ModelBench.command(s, "interp", "ipc"));
        assertTrue(fl.startsWith(s.java + " -Xss4m -XX:+UseParallelGC -Dx=1 -jar /repo/machine/target/flatland.jar "), fl);
        assertTrue(fl.endsWith(" " + machine + " -accel interp"), "timed runs: the same arguments, no --stats: " + fl);
        List<String> count = ModelBench.countCommand(s, "ipc", Path.of("/tmp/s.json"));
        assertEquals(List.of("-accel", "jit", "--icount", "--stats", "/tmp/s.json"), count.subList(count.size() - 5, count.size()));
        assertEquals("interp", ModelBench.countEngine(parse("--accel", "interp")));
        assertEquals("a 'b c' 'it'\\''s'", ModelBench.shell(List.of("a", "b c", "it's")));
    }

    // ------------------------------------------------------------ checks

    @Test
    void everyRunIsCheckedAgainstQemu() {
        String bad = "result: boot n=0 value=3 checksum=00000000";
        List<ModelBench.Run> runs = ModelBench.check(List.of(
                run("boot", "qemu", 0, 100),
                run("boot", "jit", 0, 300),
                run("boot", "interp", 0, 500, 33, bad),
                run("boot", "jit", 1, 310, 35, null),
                run("boot", "interp", 1, 510, 33, null),
                new ModelBench.Run("boot", "jit", 2, 0, -1, List.of(), "timed out after 600 s: java ...", null)));
        assertTrue(runs.get(0).ok());
        assertTrue(runs.get(1).ok());
        assertEquals("result differs from QEMU's (run 1): '" + bad + "' instead of '" + result("boot") + "'", runs.get(2).failure());
        assertEquals("exit status 35 (shutdown: failure (check failed))", runs.get(3).failure());
        assertEquals("no result: line", runs.get(4).failure());
        assertEquals("did not finish (timed out after 600 s: java ...)", runs.get(5).failure());
    }

    @Test
    void withoutQemuTheFirstSuccessfulRunIsTheReference() {
        String other = "result: cow n=1024 value=1 checksum=00000001";
        List<ModelBench.Run> runs = ModelBench.check(List.of(
                run("cow", "interp", 0, 50, 37, null),          // a panic: not a reference
                run("cow", "jit", 0, 40, 33, other),
                run("cow", "interp", 1, 60, 33, result("cow")),
                run("cow", "jit", 1, 42, 33, other)));
        assertEquals("exit status 37", runs.get(0).failure());
        assertTrue(runs.get(1).ok());
        assertTrue(runs.get(2).failure().startsWith("result differs from jit's (run 1): "), runs.get(2).failure());
        assertTrue(runs.get(3).ok());
    }

    @Test
    void allWorkloadsResultLinesAreComparedAsAWhole() {
        List<String> q = List.of("result: boot n=0 value=4 checksum=00732805", "result: cpu n=1000000 value=1 checksum=2");
        List<ModelBench.Run> runs = ModelBench.check(List.of(
                new ModelBench.Run("all", "qemu", 0, 1, 33, q, null, null),
                new ModelBench.Run("all", "jit", 0, 1, 33, q.subList(0, 1), null, null)));
        assertEquals("result differs from QEMU's (run 1): '(nothing)' instead of '" + q.get(1) + "'", runs.get(1).failure());
    }

    // ------------------------------------------------------------ statistics, table, record

    /** Three runs of two workloads under QEMU, interp and jit; boot's jit run 2 fails, cpu's interp runs all fail. */
    private static ModelBench.Report report() {
        ModelBench.Spec s = parse("--vs-qemu", "--accel", "interp,jit", "--workload", "boot,cpu", "--jvm", "-Dflatland.jit.hot=7");
        List<ModelBench.Run> runs = new ArrayList<>();
        double[][] boot = {{100, 400, 200}, {110, 440, 5}, {120, 480, 220}};     // qemu, interp, jit per run
        double[][] cpu = {{50, 900, 100}, {60, 950, 110}, {40, 1000, 120}};
        for (int i = 0; i < 3; i++) {
            runs.add(run("boot", "qemu", i, boot[i][0]));
            runs.add(run("boot", "interp", i, boot[i][1]));
            runs.add(i == 1 ? run("boot", "jit", i, boot[i][2], 35, null) : run("boot", "jit", i, boot[i][2]));
            runs.add(run("cpu", "qemu", i, cpu[i][0]));
            runs.add(run("cpu", "interp", i, cpu[i][1], 33, "result: cpu n=10000000 value=0 checksum=0"));
            runs.add(run("cpu", "jit", i, cpu[i][2]));
        }
        Map<String, ModelBench.Count> counts = new LinkedHashMap<>();
        counts.put("boot", new ModelBench.Count("boot", "jit", 1_000_000, null));
        counts.put("cpu", new ModelBench.Count("cpu", "jit", -1, "exit status 5"));
        return ModelBench.summarize(s, ModelBench.check(runs), counts);
    }

    @Test
    void failedRunsAreLeftOutOfTheFigures() {
        ModelBench.Report rep = report();
        Sample jit = rep.cell("boot", "jit").ms();
        assertEquals(2, jit.values.length, "the failed run (5 ms, exit 35) is not a sample");
        assertEquals(210, jit.median, 1e-9);
        assertEquals(200, jit.min, 1e-9);
        assertEquals(220, jit.max, 1e-9);
        assertEquals("2/3", rep.cell("boot", "jit").okText());
        assertNull(rep.cell("cpu", "interp").ms());
        assertEquals("0/3", rep.cell("cpu", "interp").okText());
        assertEquals(4, rep.failures().size());
    }

    @Test
    void ratiosGeomeanAndMips() {
        ModelBench.Report rep = report();
        assertEquals(440 / 110.0, rep.ratio("boot", "interp", "qemu"), 1e-12);
        assertEquals(210 / 110.0, rep.ratio("boot", "jit", "qemu"), 1e-12);
        assertEquals(110 / 50.0, rep.ratio("cpu", "jit", "qemu"), 1e-12);
        assertTrue(Double.isNaN(rep.ratio("cpu", "interp", "qemu")));
        assertEquals(Math.sqrt(210 / 110.0 * (110 / 50.0)), rep.geomeanOverQemu.get("jit"), 1e-12);
        assertEquals(2, rep.geomeanCount.get("jit"));
        assertEquals(440 / 110.0, rep.geomeanOverQemu.get("interp"), 1e-12, "cpu has no successful interp run");
        assertEquals(1, rep.geomeanCount.get("interp"));
        assertEquals(210 / 440.0, rep.geomeanJitOverInterp, 1e-12);
        // MIPS per run = 1,000,000 instructions / wall us; median over the successful runs (200 and 220 ms).
        assertEquals(Sample.median(new double[] {1e6 / 200e3, 1e6 / 220e3}), rep.cell("boot", "jit").mips(), 1e-12);
        assertTrue(Double.isNaN(rep.cell("cpu", "jit").mips()), "no instruction count for cpu");
    }

    @Test
    void theTableShowsMediansRatiosAndTheFailures() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ModelBench.printTable(report(), ENV, new PrintStream(b, true, StandardCharsets.UTF_8));
        String t = b.toString(StandardCharsets.UTF_8);
        assertTrue(t.contains("machine: Test CPU 9000, 2 cores; JVM: TestVM 17.0.99; QEMU: 7.2.22 (test)"), t);
        assertTrue(t.contains("Flatland JVM options: -Xss4m -XX:+UseParallelGC -Dflatland.jit.hot=7"), t);
        String boot = line(t, "  boot ");
        assertTrue(boot.matches(".*\\s1\\.0 │\\s+110\\.0\\s+3/3 │\\s+440\\.0 \\[\\s*400\\.0\\.\\.\\s*480\\.0]\\s+3/3\\s+4\\.00\\s+2\\.3 │"
                + "\\s+210\\.0 \\[\\s*200\\.0\\.\\.\\s*220\\.0]\\s+2/3\\s+1\\.91\\s+4\\.8 │\\s+0\\.477$"), boot);
        String cpu = line(t, "  cpu ");
        assertTrue(cpu.matches("\\s+cpu\\s+- │\\s+50\\.0\\s+3/3 │ FAILED\\s+0/3\\s+-\\s+- │\\s+110\\.0 .*\\s2\\.20\\s+- │\\s+-$"), cpu);
        String g = line(t, "  geomean ");
        assertTrue(g.matches("\\s+geomean\\s+│\\s+│\\s+4\\.00\\s+│\\s+2\\.05\\s+│\\s+0\\.477$"), g);
        assertTrue(t.contains("geomean of interp/QEMU over 1 of 2 workloads"), t);
        assertTrue(t.contains("no instruction count for cpu (MIPS -): its --icount run failed: exit status 5"), t);
        assertTrue(t.contains("FAILED runs (4 of 18; left out of every figure above):"), t);
        assertTrue(t.contains("    boot jit run 2: exit status 35 (shutdown: failure (check failed))"), t);
        assertTrue(t.contains("    cpu interp run 3: result differs from QEMU's (run 1): 'result: cpu n=10000000 value=0 checksum=0'"), t);
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError("no line " + start + " in\n" + text));
    }

    @Test
    void theRecordIsFlatlandPerf1KindModel() {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("format", "flatland-perf/1");
        header.put("kind", "model");
        JsonObject o = JsonParser.parseString(Json.write(ModelBench.toRecord(header, report(), ENV, "model-X.svg"))).getAsJsonObject();
        assertEquals("model", o.get("kind").getAsString());
        assertEquals("model-X.svg", o.get("chart").getAsString());
        assertEquals(3, o.get("runs").getAsInt());
        assertTrue(o.get("vs_qemu").getAsBoolean());
        assertEquals("[\"-Xss4m\",\"-XX:+UseParallelGC\",\"-Dflatland.jit.hot=7\"]", o.get("jvm_options").toString());
        assertEquals("[\"-Dflatland.jit.hot=7\"]", o.get("jvm_extra_options").toString());
        assertEquals("7.2.22 (test)", o.get("qemu_version").getAsString());
        assertTrue(o.get("flatland_command").getAsString().contains("-Dflatland.jit.hot=7 -jar "));
        assertEquals(Math.sqrt(210 / 110.0 * (110 / 50.0)), o.getAsJsonObject("geomean").get("jit_over_qemu").getAsDouble(), 1e-12);
        assertEquals(1, o.getAsJsonObject("geomean").get("interp_over_qemu_workloads").getAsInt());
        JsonArray failed = o.getAsJsonArray("failed_runs");
        assertEquals(4, failed.size());
        JsonObject f = failed.get(1).getAsJsonObject();     // in run order: cpu interp run 1, boot jit run 2, ...
        assertEquals("boot", f.get("workload").getAsString());
        assertEquals("jit", f.get("side").getAsString());
        assertEquals(2, f.get("run").getAsInt());
        assertEquals(35, f.get("exit_status").getAsInt());
        assertEquals("cpu", o.getAsJsonArray("instruction_count_failures").get(0).getAsJsonObject().get("workload").getAsString());

        JsonArray rows = o.getAsJsonArray("results");
        assertEquals(6, rows.size(), "one row per workload and side");
        JsonObject jit = rows.get(2).getAsJsonObject();
        assertEquals("model.boot.jit", jit.get("benchmark").getAsString());
        assertEquals("process_start_to_exit", jit.get("mode").getAsString());
        assertEquals("ms", jit.get("unit").getAsString());
        assertEquals(210, jit.get("median").getAsDouble(), 1e-9);
        assertEquals("[200.0,220.0]", jit.get("samples").toString(), "successful runs only");
        assertEquals(2, jit.get("runs_ok").getAsInt());
        assertEquals("[2]", jit.get("failed_runs").toString());
        assertEquals(210 / 110.0, jit.get("over_qemu").getAsDouble(), 1e-12);
        assertEquals(210 / 440.0, jit.get("over_interp").getAsDouble(), 1e-12);
        assertEquals(1_000_000, jit.get("instructions").getAsLong());
        assertEquals("workload=boot", jit.getAsJsonObject("params").get("append").getAsString());
        JsonObject cpuInterp = rows.get(4).getAsJsonObject();
        assertEquals("model.cpu.interp", cpuInterp.get("benchmark").getAsString());
        assertTrue(cpuInterp.get("median").isJsonNull(), "no successful run: no median");
        assertEquals(0, cpuInterp.getAsJsonArray("samples").size());
        assertEquals(3, cpuInterp.get("runs_failed").getAsInt());
    }

    @Test
    void theChartHasABarPerEngineAndWorkloadAndALineAtOne(@TempDir Path dir) throws Exception {
        ModelBench.Report rep = report();
        DefaultCategoryDataset d = RatioChart.data(rep);
        assertEquals(List.of("boot", "cpu", "geomean"), d.getColumnKeys());
        assertEquals(List.of("interp", "jit"), d.getRowKeys());
        assertEquals(210 / 110.0, d.getValue("jit", "boot").doubleValue(), 1e-12);
        assertNull(d.getValue("interp", "cpu"), "a side without a successful run has no bar");
        assertEquals(rep.geomeanOverQemu.get("jit"), d.getValue("jit", "geomean").doubleValue(), 1e-12);
        Path svg = dir.resolve("model.svg");
        RatioChart.write(svg, rep, ENV);
        String doc = Files.readString(svg);
        assertTrue(doc.startsWith("<?xml") && doc.contains("<svg"), doc.substring(0, Math.min(200, doc.length())));
        assertTrue(doc.contains("QEMU = 1.0"), "the 1.0 line is labelled");
    }
}
