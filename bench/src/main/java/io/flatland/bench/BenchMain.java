package io.flatland.bench;

import io.flatland.bench.record.Environment;
import io.flatland.bench.record.Json;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.*;

/**
 * Runs the JMH suite (or the benchmarks matching the given patterns, JMH's own options
 * accepted too) and writes two files into perf-results/: JMH's JSON, and our record
 * (format flatland-perf/1, see perf-results/README.md) with every sample and its median.
 */
public final class BenchMain {
    public static void main(String[] args) throws RunnerException, IOException {
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path dir = Path.of(System.getProperty("flatland.results", "perf-results"));
        Files.createDirectories(dir);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path jmhJson = dir.resolve("jmh-" + stamp + ".json");
        ChainedOptionsBuilder opts = new OptionsBuilder().parent(cli)
                .resultFormat(ResultFormatType.JSON).result(jmhJson.toString());
        Collection<RunResult> results = new Runner(opts.build()).run();

        Map<String, Object> record = Environment.header("jmh", "bench " + String.join(" ", args));
        List<Object> rows = new ArrayList<>();
        for (RunResult rr : results) {
            BenchmarkResult br = rr.getAggregatedResult();
            List<Double> samples = new ArrayList<>();
            for (BenchmarkResult b : rr.getBenchmarkResults()) {
                for (IterationResult it : b.getIterationResults()) samples.add(it.getPrimaryResult().getScore());
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("benchmark", rr.getParams().getBenchmark());
            row.put("params", paramsOf(rr));
            row.put("mode", rr.getParams().getMode().shortLabel());
            row.put("unit", br.getPrimaryResult().getScoreUnit());
            row.put("median", median(samples));
            row.put("samples", samples);
            rows.add(row);
        }
        record.put("results", rows);
        record.put("jmhJson", jmhJson.getFileName().toString());
        Path out = dir.resolve("bench-" + stamp + ".json");
        Files.writeString(out, Json.write(record));
        System.out.println("bench: wrote " + out + " and " + jmhJson);
    }

    private static Map<String, Object> paramsOf(RunResult rr) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (String k : rr.getParams().getParamsKeys()) p.put(k, rr.getParams().getParam(k));
        return p;
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) return Double.NaN;
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }
}
