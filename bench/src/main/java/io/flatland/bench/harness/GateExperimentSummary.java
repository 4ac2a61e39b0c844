package io.flatland.bench.harness;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.flatland.bench.record.Environment;
import io.flatland.bench.record.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * For bench/gate-experiment.sh: gathers the gate records of one experiment directory into
 * summary.json (flatland-perf/1, kind "gate-experiment") and summary.md.
 */
public final class GateExperimentSummary {
    private GateExperimentSummary() { }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        double threshold = Double.parseDouble(args[2]);
        double slowdown = Double.parseDouble(args[3]);
        long spin = Long.parseLong(args[4]);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("gate-")).sorted().toList();
        }
        List<Object> rows = new ArrayList<>();
        StringBuilder table = new StringBuilder("| comparison | verdict | ratio (median of pair ratios) | 95% CI | ratio of medians | Wilcoxon p | baseline median ms | candidate median ms |\n|---|---|---|---|---|---|---|---|\n");
        String metric = "cpu";
        int slowN = 0, slowCaught = 0, identN = 0, identPassed = 0, streak = 0, bestStreak = 0;
        List<Double> slowRatios = new ArrayList<>(), identRatios = new ArrayList<>();
        for (Path f : files) {
            JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            String name = f.getFileName().toString().replaceFirst("^gate-\\d{8}-\\d{6}-", "").replace(".json", "");
            String verdict = o.get("verdict").getAsString();
            if (o.has("metric")) metric = o.get("metric").getAsString();
            JsonObject c = o.getAsJsonObject("comparison");
            double ratio = c.get("ratio").getAsDouble();
            boolean slowed = name.startsWith("slowed");
            if (slowed) {
                slowN++;
                slowRatios.add(ratio);
                if (verdict.equals("slower")) slowCaught++;
            } else {
                identN++;
                identRatios.add(ratio);
                if (verdict.equals("pass")) { identPassed++; streak++; bestStreak = Math.max(bestStreak, streak); } else streak = 0;
            }
            var res = o.getAsJsonArray("results");
            double bm = res.get(0).getAsJsonObject().get("median").getAsDouble();
            double cm = res.get(1).getAsJsonObject().get("median").getAsDouble();
            table.append(String.format("| %s | %s | %.4f | [%.4f, %.4f] | %.4f | %.3g | %.1f | %.1f |%n", name, verdict, ratio,
                    c.get("ci_low").getAsDouble(), c.get("ci_high").getAsDouble(), c.get("ratio_of_medians").getAsDouble(),
                    c.get("wilcoxon_p").isJsonNull() ? Double.NaN : c.get("wilcoxon_p").getAsDouble(), bm, cm));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("comparison", name);
            r.put("file", f.getFileName().toString());
            r.put("verdict", verdict);
            r.put("ratio", ratio);
            r.put("ci_low", c.get("ci_low").getAsDouble());
            r.put("ci_high", c.get("ci_high").getAsDouble());
            r.put("baseline_median_ms", bm);
            r.put("candidate_median_ms", cm);
            rows.add(r);
        }
        Map<String, Object> rec = Environment.header("gate-experiment", "bench/gate-experiment.sh");
        rec.put("runs_per_side", runs);
        rec.put("metric", metric);
        rec.put("threshold_percent", threshold);
        rec.put("injected_slowdown", slowdown);
        rec.put("spin_iterations_per_1024_instructions", spin);
        rec.put("slowed_caught", slowCaught);
        rec.put("slowed_comparisons", slowN);
        rec.put("identical_passed", identPassed);
        rec.put("identical_comparisons", identN);
        rec.put("identical_longest_pass_streak", bestStreak);
        rec.put("slowed_ratio_median", slowRatios.isEmpty() ? Double.NaN : Sample.of(slowRatios).median);
        rec.put("identical_ratio_range", identRatios.isEmpty() ? List.of()
                : List.of(Sample.of(identRatios).min, Sample.of(identRatios).max));
        rec.put("comparisons", rows);
        rec.put("results", List.of());
        Files.writeString(dir.resolve("summary.json"), Json.write(rec));
        String md = String.format("""
                # Gate experiment %s

                Machine: %s. Workload: kernel model `workload=boot` under `--icount`, %d alternating run pairs
                per comparison (fresh JVM each), threshold %.1f%%. Figure: %s.
                Estimate: median of the per-pair ratios candidate/baseline, 95%% bootstrap CI over pairs;
                the gate fails when the CI's lower bound exceeds 1 + threshold.

                Injected slowdown (temporary copy only): a busy loop of %d iterations per 1024 retired instructions,
                calibrated (bench/gate-experiment.sh, Calibrate) to add %.0f%% to the identical build's median.

                - slowed build caught: **%d of %d** comparisons (median measured ratio %.3f)
                - identical builds passed: **%d of %d** comparisons (longest consecutive run of passes: %d;
                  ratios between %.3f and %.3f)

                %s
                """, dir.getFileName(), Environment.machineKind(), runs, threshold, Gate.describe(metric), spin, slowdown * 100,
                slowCaught, slowN, slowRatios.isEmpty() ? Double.NaN : Sample.of(slowRatios).median,
                identPassed, identN, bestStreak,
                identRatios.isEmpty() ? Double.NaN : Sample.of(identRatios).min,
                identRatios.isEmpty() ? Double.NaN : Sample.of(identRatios).max, table);
        Files.writeString(dir.resolve("summary.md"), md);
    }
}
