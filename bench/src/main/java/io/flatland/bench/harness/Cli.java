package io.flatland.bench.harness;

import io.flatland.bench.BenchMain;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code ./flatland bench ...} and {@code ./flatland gate ...} run (the launcher passes
 * the repository root as -Dflatland.root):
 * <pre>
 *   bench jmh [REGEX] [JMH options]      JMH suite or a subset -> perf-results/bench-*.json
 *   bench boot [WORKLOAD] --runs N [--vs-qemu] [--accel interp|jit] [--icount] [--n N]
 *   bench baseline [--runs N] | --update-icounts
 *   gate [--baseline COMMIT|FILE|JAR] [--threshold 5] [--runs N] [--accept-icount-change]
 * </pre>
 */
public final class Cli {
    static final String USAGE = """
            usage: flatland bench jmh [REGEX] [JMH options]     run the JMH suite (or the matching benchmarks)
                   flatland bench boot [WORKLOAD] [--runs N] [--vs-qemu] [--accel interp|jit] [--icount] [--n N]
                   flatland bench baseline [--runs N] | --update-icounts
                   flatland gate [--baseline COMMIT|FILE|JAR] [--threshold PCT] [--runs N] [--max-runs M]
                                 [--accept-icount-change] [--metric cpu|process-cpu|wall] [--workload W]
                                 [--candidate JAR] [--jvm "OPTIONS"] [--out DIR] [--label NAME] [--no-record]
            Results go to perf-results/ (format flatland-perf/1, see perf-results/README.md).
            """;

    private Cli() { }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("flatland.root", "")).toAbsolutePath();
        PrintStream out = System.out;
        List<String> a = Arrays.asList(args);
        int status;
        try {
            if (a.isEmpty() || a.get(0).equals("--help")) {
                out.print(USAGE);
                status = a.isEmpty() ? 2 : 0;
            } else if (a.get(0).equals("gate")) {
                status = Gate.main(a.subList(1, a.size()), root, out);
            } else if (a.get(0).equals("bench") && a.size() > 1) {
                List<String> rest = a.subList(2, a.size());
                switch (a.get(1)) {
                    case "jmh" -> {
                        System.setProperty("flatland.results", root.resolve("perf-results").toString());
                        BenchMain.main(rest.toArray(new String[0]));
                        status = 0;
                    }
                    case "boot" -> status = BootHarness.main(rest, root, out);
                    case "baseline" -> status = Baseline.main(rest, root, out);
                    default -> {
                        System.err.print(USAGE);
                        status = 2;
                    }
                }
            } else {
                System.err.print(USAGE);
                status = 2;
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            System.err.println("flatland: " + e.getMessage());
            System.err.print(USAGE);
            status = 2;
        } catch (java.io.IOException e) {
            System.err.println("flatland: " + e.getMessage());
            status = 2;
        }
        System.exit(status);
    }
}
