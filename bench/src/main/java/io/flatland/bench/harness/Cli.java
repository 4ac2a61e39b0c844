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
 *   bench model [--runs N] [--vs-qemu] [--accel interp,jit] [--workload W1,W2] [--n N] [--jvm "OPTIONS"]
 *   bench exit [WORKLOAD] [--runs N] [--vs-qemu] [--accel interp|jit]
 *   bench baseline [--runs N] | --update-icounts
 *   bench lockstep [--instructions N] [--seed S]
 *   bench linux [--runs N] [--vs-qemu] [--accel interp|jit] [--kit DIR] [--machine pc|isapc]
 *   bench twin [--instructions N] [--every K] [--memory-every M] -- GUEST OPTIONS
 *   gate [--baseline COMMIT|FILE|JAR] [--threshold 5] [--runs N] [--accept-icount-change]
 * </pre>
 */
public final class Cli {
    static final String USAGE = """
            usage: flatland bench jmh [REGEX] [JMH options]     run the JMH suite (or the matching benchmarks)
                   flatland bench boot [WORKLOAD] [--runs N] [--vs-qemu] [--accel interp|jit] [--icount] [--n N]
                   flatland bench model [--runs N] [--vs-qemu] [--accel interp,jit] [--workload W1,W2] [--n N]
                                        [--jvm "OPTIONS"] [--jar FILE] [--timeout SECONDS]
                       times every kernel-model workload (boot,forkstorm,pfstorm,cow,ipc,mmap,brk,crash,cpu,all;
                       also segv) end to end, fresh process per run, round-robin with QEMU (--vs-qemu) on the
                       same images; --runs 3, --accel jit, the guest's default n unless --n; --jvm adds options
                       to the Flatland JVMs (after -Xss4m -XX:+UseParallelGC); exit 1 when a run failed its check
                   flatland bench exit [WORKLOAD] [--runs N] [--vs-qemu] [--accel interp|jit]
                       ms from the guest's shutdown (its 'post: 7e' line) to the end of the process, --runs 10
                   flatland bench baseline [--runs N] | --update-icounts
                   flatland bench lockstep [--instructions N] [--seed S]
                       the JIT against the interpreter on random programs (every addressing form, prefixes,
                       LOCK, REP strings, x87, faults) until N instructions ran (default 10M); exit 1 on
                       any divergence
                   flatland bench linux [--runs N] [--vs-qemu] [--accel interp|jit] [--kit DIR] [--machine pc|isapc]
                       Debian's i686 kernel and the linux-kit initramfs to busybox's shell and poweroff,
                       fresh process per run (--runs 3), round-robin with QEMU (--vs-qemu): ms to the first
                       console line, /init, the prompt and the exit; exit 1 when a run did not reach the shell
                   flatland bench twin [--instructions N] [--every K] [--memory-every M] -- -kernel F [-initrd F]
                                       [-append T] [-m MIB] [-machine pc|isapc]
                       the guest under -accel interp and -accel jit side by side, both --icount: registers,
                       EFLAGS, segments, control registers and serial output compared every K instructions
                       (1M), all of RAM every M (10M), up to N (100M); exit 1 at the first difference
                   flatland gate [--baseline COMMIT|FILE|JAR] [--threshold PCT] [--runs N] [--max-runs M]
                                 [--accept-icount-change] [--metric cpu|process-cpu|wall] [--workload W]
                                 [--candidate JAR] [--jvm "OPTIONS"] [--out DIR] [--label NAME] [--no-record]
            Results go to perf-results/ (format flatland-perf/1, see perf-results/README.md).
            """;

    private static final String HINT = " (flatland bench --help for usage)";

    private Cli() { }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("flatland.root", "")).toAbsolutePath();
        System.exit(run(Arrays.asList(args), root, System.out, System.err));
    }

    /**
     * True when {@code --help} (or -help, or -h outside {@code bench jmh}, where -h is JMH's own
     * help) is among the arguments.
     */
    static boolean asksForHelp(List<String> args) {
        boolean jmh = args.size() > 1 && args.get(0).equals("bench") && args.get(1).equals("jmh");
        return args.contains("--help") || args.contains("-help") || !jmh && args.contains("-h");
    }

    /** The whole command, returning the exit status (tests call this). */
    static int run(List<String> a, Path root, PrintStream out, PrintStream err) throws Exception {
        try {
            if (a.isEmpty()) {
                err.print(USAGE);
                return 2;
            }
            // Every subcommand answers --help with the usage and status 0, before it starts any work.
            if (asksForHelp(a)) {
                out.print(USAGE);
                return 0;
            }
            if (a.get(0).equals("gate")) return Gate.main(a.subList(1, a.size()), root, out);
            if (a.get(0).equals("bench") && a.size() > 1) {
                List<String> rest = a.subList(2, a.size());
                switch (a.get(1)) {
                    case "jmh" -> {
                        System.setProperty("flatland.results", root.resolve("perf-results").toString());
                        BenchMain.main(rest.toArray(new String[0]));
                        return 0;
                    }
                    case "boot" -> { return BootHarness.main(rest, root, out); }
                    case "model" -> { return ModelBench.main(rest, root, out); }
                    case "exit" -> { return ExitLatency.main(rest, root, out); }
                    case "baseline" -> { return Baseline.main(rest, root, out); }
                    case "lockstep" -> { return LockstepBench.main(rest, out); }
                    case "linux" -> { return LinuxBench.main(rest, root, out); }
                    case "twin" -> { return TwinRun.main(rest, Path.of("").toAbsolutePath(), out); }
                    default -> { }
                }
            }
            err.println("flatland: unknown command '" + String.join(" ", a.subList(0, Math.min(2, a.size()))) + "'" + HINT);
            return 2;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // One line, as the emulator's own usage errors.
            err.println("flatland: " + e.getMessage() + HINT);
            return 2;
        } catch (java.io.IOException e) {
            err.println("flatland: " + e.getMessage());
            return 2;
        }
    }
}
