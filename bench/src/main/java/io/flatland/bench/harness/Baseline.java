package io.flatland.bench.harness;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.flatland.bench.record.Environment;
import io.flatland.bench.record.Json;
import io.flatland.machine.Accel;
import io.flatland.machine.KernelModel;
import io.flatland.machine.Machine;
import io.flatland.machine.MachineConfig;
import io.flatland.machine.RunResult;
import io.flatland.machine.devices.PostPort;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * perf-results/baseline/&lt;machine-kind&gt;.json (kind "baseline"): the kernel model's
 * {@code workload=boot} milestones under --icount (exact instruction counts, the same on
 * every machine; machine/ BaselineIcountTest checks them on every build) and the wall-time
 * medians of N fresh-JVM boots on this kind of machine.
 *
 * <p>{@code flatland bench baseline [--runs N]} rewrites this machine kind's file;
 * {@code flatland bench baseline --update-icounts} rewrites only the icounts section of every
 * baseline file (one in-process boot, no timing) after an intended change of the guest's path.
 */
final class Baseline {
    static final String WORKLOAD = "boot";
    static final String APPEND = "workload=boot " + BootHarness.POSTLOG;

    private Baseline() { }

    static Path dir(Path root) { return root.resolve("perf-results/baseline"); }

    static Path fileFor(Path root) { return dir(root).resolve(Environment.machineKind() + ".json"); }

    /** Boots the kernel model in-process under --icount exactly as `flatland boot --icount --append postlog=1` does. */
    static Map<String, Object> icounts() throws Exception {
        MachineConfig.Builder b = MachineConfig.builder().ramMiB(128).icount(true).accel(Accel.INTERP).serialOutput(null);
        try (Machine m = new Machine(KernelModel.configure(b, APPEND).build())) {
            RunResult r = m.run();
            if (r.outcome() != RunResult.Outcome.DEBUG_EXIT || r.exitStatus() != 33) throw new IllegalStateException("boot ended with " + r);
            Map<String, Object> ic = new LinkedHashMap<>();
            ic.put("append", APPEND);
            ic.put("ram_mib", 128);
            ic.put("retired_instructions", m.cpu().icount);
            List<Object> ms = new ArrayList<>();
            Map<Integer, Integer> seen = new LinkedHashMap<>();
            for (PostPort.Milestone p : m.milestones()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("code", p.code());
                e.put("label", ProcessRun.label(p.code(), seen));
                e.put("icount", p.icount());
                ms.add(e);
            }
            ic.put("milestones", ms);
            return ic;
        }
    }

    /** label -> icount from a baseline file's icounts section. */
    static Map<String, Long> icountsOf(JsonObject baseline) {
        Map<String, Long> m = new LinkedHashMap<>();
        JsonObject ic = baseline.getAsJsonObject("icounts");
        for (var e : ic.getAsJsonArray("milestones")) {
            JsonObject o = e.getAsJsonObject();
            m.put(o.get("label").getAsString(), o.get("icount").getAsLong());
        }
        m.put("exit", ic.get("retired_instructions").getAsLong());
        return m;
    }

    /** End-to-end wall samples (ms, process start to exit) recorded in a baseline file. */
    static double[] wallSamples(JsonObject baseline) {
        JsonArray a = baseline.getAsJsonObject("wall").getAsJsonObject("end_to_end").getAsJsonArray("samples");
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) d[i] = a.get(i).getAsDouble();
        return d;
    }

    static int main(List<String> args, Path root, PrintStream out) throws Exception {
        int runs = 15;
        boolean onlyIcounts = false;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--runs" -> runs = Integer.parseInt(args.get(++i));
                case "--update-icounts" -> onlyIcounts = true;
                default -> throw new IllegalArgumentException("unknown option " + args.get(i));
            }
        }
        Map<String, Object> ic = icounts();
        if (onlyIcounts) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir(root))) {
                files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            for (Path f : files) {
                JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
                o.add("icounts", JsonParser.parseString(Json.write(ic)));
                Files.writeString(f, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n");
                out.println("bench baseline: icounts rewritten in " + root.relativize(f));
            }
            return 0;
        }
        BootHarness.Spec s = new BootHarness.Spec();
        s.root = root;
        s.jar = root.resolve("machine/target/flatland.jar");
        s.workload = WORKLOAD;
        s.runs = runs;
        s.icount = true;
        out.printf("bench baseline: %d fresh-JVM boots of workload=%s under --icount on %s%n", runs, WORKLOAD, Environment.machineKind());
        List<BootHarness.Side> sides = BootHarness.measure(s, out);
        BootHarness.Side f = sides.get(0);
        // The CLI's counts must be those of the in-process boot: same config, same guest.
        Map<String, Long> cli = f.runs().get(0).icounts();
        cli.put("exit", f.runs().get(0).retired());
        Map<String, Object> rec = Environment.header("baseline", "flatland bench baseline " + String.join(" ", args));
        rec.put("machine_kind", Environment.machineKind());
        rec.put("workload", WORKLOAD);
        rec.put("accel", "interp");
        rec.put("icounts", ic);
        Map<String, Object> wall = new LinkedHashMap<>();
        wall.put("runs", runs);
        wall.put("unit", "ms");
        wall.put("timing", "from just before process start (fresh JVM, java -jar flatland.jar boot --icount) to reading each 'post: XX' line; end_to_end = process exit");
        Sample e2e = f.wallMs();
        wall.put("end_to_end", summary(e2e));
        List<Object> ms = new ArrayList<>();
        for (String label : BootHarness.labels(f)) {
            if (label.equals("exit")) continue;
            Map<String, Object> m = summary(Sample.of(f.fromStart(label)));
            m.put("label", label);
            ms.add(m);
        }
        wall.put("milestones", ms);
        rec.put("wall", wall);
        Path file = fileFor(root);
        Files.createDirectories(file.getParent());
        Files.writeString(file, Json.write(rec));
        out.printf("bench baseline: end to end median %.1f ms (IQR %.1f..%.1f); wrote %s%n", e2e.median, e2e.q1, e2e.q3, root.relativize(file));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) ic.get("milestones");
        for (Map<String, Object> m : list) {
            Long c = cli.get((String) m.get("label"));
            if (c == null || c.longValue() != ((Number) m.get("icount")).longValue()) {
                out.println("bench baseline: WARNING: the CLI boot counted " + c + " instructions at " + m.get("label") + ", in-process " + m.get("icount"));
                return 1;
            }
        }
        return 0;
    }

    static Map<String, Object> summary(Sample s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", s.median);
        m.put("q1", s.q1);
        m.put("q3", s.q3);
        m.put("min", s.min);
        m.put("max", s.max);
        m.put("samples", BootHarness.boxed(s.values));
        return m;
    }
}
