package io.flatland.bench.harness;

import io.flatland.jit.LockstepRun;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code flatland bench lockstep [--instructions N] [--seed S]}: the JIT against the
 * interpreter on rich random programs ({@link LockstepRun}) until N instructions have run.
 * Prints the instructions, programs, region boundaries compared, faults and divergences;
 * exits 1 on any divergence, 0 otherwise.
 */
final class LockstepBench {
    private LockstepBench() { }

    static int main(List<String> args, PrintStream out) {
        long instructions = 10_000_000, seed = 1;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--instructions" -> instructions = Long.parseLong(args.get(++i).replace("_", ""));
                case "--seed" -> seed = Long.parseLong(args.get(++i));
                default -> throw new IllegalArgumentException("bench lockstep: unknown option " + args.get(i));
            }
        }
        if (instructions <= 0) throw new IllegalArgumentException("bench lockstep: --instructions must be positive");
        long t0 = System.nanoTime();
        LockstepRun.Summary s = LockstepRun.run(instructions, seed, out, 200);
        double secs = (System.nanoTime() - t0) / 1e9;
        out.printf("lockstep: seeds %d..%d%n", seed, seed + s.programs() - 1);
        out.printf("  instructions executed: %,d%n", s.instructions());
        out.printf("  programs:              %,d%n", s.programs());
        out.printf("  boundaries compared:   %,d (full state and memory after each translated region)%n", s.blockChecks());
        out.printf("  regions translated:    %,d (%,d grown)%n", s.translated(), s.regionsGrown());
        out.printf("  faults delivered:      %,d (%,d inside translated regions): #DE %,d  #UD %,d  #GP %,d  #PF %,d%n",
                s.faultCount(), s.faultsInRegions(), s.faults()[0], s.faults()[6], s.faults()[13], s.faults()[14]);
        out.printf("  divergences:           %d%n", s.divergences().size());
        out.printf("  time:                  %.0f s (%,.0f instructions/s, both engines and the comparisons)%n",
                secs, s.instructions() / secs);
        for (String d : s.divergences()) out.println("DIVERGENCE " + d);
        return s.divergences().isEmpty() ? 0 : 1;
    }
}
