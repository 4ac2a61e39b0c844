package io.flatland.bench.record;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Where a result came from: machine, JVM, commit, date and command (perf-results/README.md). */
public final class Environment {
    private Environment() { }

    public static Map<String, Object> header(String kind, String command) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "flatland-perf/1");
        m.put("kind", kind);
        m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("commit", git("rev-parse", "HEAD"));
        m.put("dirty", !git("status", "--porcelain", "--untracked-files=no").isEmpty());
        m.put("command", command);
        m.put("machine", machine());
        m.put("jvm", jvm());
        return m;
    }

    /**
     * The kind of machine a timing baseline belongs to: cores and CPU model, e.g.
     * "2c-amd-epyc-7b13" (perf-results/baseline/&lt;kind&gt;.json).
     */
    public static String machineKind() {
        String model = cpuModel().toLowerCase().replaceAll("\\(r\\)|\\(tm\\)|\\bprocessor\\b|\\bcpu\\b|@.*$", " ")
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return Runtime.getRuntime().availableProcessors() + "c-" + model;
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("model", cpuModel());
        m.put("kind", machineKind());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        return m;
    }

    static Map<String, Object> jvm() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vendor", System.getProperty("java.vm.vendor"));
        m.put("name", System.getProperty("java.vm.name"));
        m.put("version", System.getProperty("java.vm.version"));
        m.put("args", ManagementFactory.getRuntimeMXBean().getInputArguments());
        return m;
    }

    /** The CPU's model name (/proc/cpuinfo), or the architecture elsewhere. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: fall through.
        }
        return System.getProperty("os.arch");
    }

    static String git(String... args) {
        try {
            ProcessBuilder pb = new ProcessBuilder(concat("git", args)).redirectErrorStream(true);
            String root = System.getProperty("flatland.root");   // set by the launcher: the repository
            if (root != null && !root.isEmpty()) pb.directory(new java.io.File(root));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return "unknown";
            return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static List<String> concat(String first, String[] rest) {
        List<String> l = new java.util.ArrayList<>();
        l.add(first);
        l.addAll(List.of(rest));
        return l;
    }
}
