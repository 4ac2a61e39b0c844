package io.flatland.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * For bench/gate-experiment.sh: sizes the slowdown injected into build B so that B's figure
 * in the gate (main-thread CPU time per boot, workload=boot, --icount) is SLOWDOWN more than
 * A's. B runs a busy loop of FLATLAND_INJECTED_SPIN_ITERS iterations (environment) every 1024
 * retired instructions. Each round runs PAIRS alternating A/B boots and measures the ratio of
 * medians; the effect is taken as proportional to the iterations and fitted through the origin
 * over all rounds so far (least squares), which averages the rounds' noise. Prints the result
 * as {@code spin_iters_per_1024=N}.
 */
public final class Calibrate {
    private Calibrate() { }

    /** The gate's default metric: the main thread's CPU time. */
    static double ms(ProcessRun.Result r) {
        return (r.threadCpuNs() >= 0 ? r.threadCpuNs() : r.cpuNs()) / 1e6;
    }

    public static void main(String[] args) throws Exception {
        Path a = Path.of(args[0]).toAbsolutePath(), b = Path.of(args[1]).toAbsolutePath();
        int pairs = Integer.parseInt(args[2]);
        double slowdown = Double.parseDouble(args[3]);
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        BootHarness.Spec s = new BootHarness.Spec();
        s.root = Path.of(System.getProperty("flatland.root", "")).toAbsolutePath();
        s.icount = true;
        s.jvm = Gate.GATE_JVM;
        Path stats = Files.createTempFile("flatland-cal", ".json");
        try {
            List<Double> am = new ArrayList<>();
            long retired = 0;
            for (int i = 0; i < pairs; i++) {
                ProcessRun.Result r = BootHarness.runFlatland(a, s, stats);
                am.add(ms(r));
                retired = r.retired();
            }
            double base = Sample.of(am).median;
            // First guess: about 1 ns per iteration (C1 code; one multiply-add per iteration).
            long iters = Math.max(1, Math.round(slowdown * base * 1e6 / (retired / 1024.0)));
            System.out.printf("A: median %.1f ms over %d boots, %d instructions; first guess %d iterations per 1024%n", base, pairs, retired, iters);
            double sxy = 0, sxx = 0;
            for (int round = 1; round <= rounds; round++) {
                ProcessRun.EXTRA_ENV.put("FLATLAND_INJECTED_SPIN_ITERS", Long.toString(iters));
                List<Double> x = new ArrayList<>(), y = new ArrayList<>();
                for (int i = 0; i < pairs; i++) {
                    x.add(ms(BootHarness.runFlatland(a, s, stats)));
                    y.add(ms(BootHarness.runFlatland(b, s, stats)));
                }
                double effect = Sample.of(y).median / Sample.of(x).median - 1;
                sxy += iters * effect;
                sxx += (double) iters * iters;
                double perIter = Math.max(sxy / sxx, 1e-12);
                long next = Math.max(1, Math.round(slowdown / perIter));
                System.out.printf("round %d: %d iterations -> B/A = %.3f; fitted %.3g per iteration -> %d%n", round, iters, 1 + effect, perIter, next);
                iters = Math.min(next, 4 * iters);
            }
            System.out.println("spin_iters_per_1024=" + iters);
        } finally {
            Files.deleteIfExists(stats);
        }
    }
}
