package io.flatland.jit;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Flags;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs rich random programs ({@link RandomProgram} with every addressing form, prefixes, REP
 * strings, x87 and faults) on the JIT and the interpreter in lockstep until a number of
 * instructions has run, rotating the JIT's configurations (emitters or handler calls only,
 * regions growing early, translations landing late as from the background thread, timer
 * interrupts or none). A divergence is recorded with its seed and the run goes on. Public for
 * {@code flatland bench lockstep} (the bench module uses this module's test jar).
 */
public final class LockstepRun {
    private LockstepRun() { }

    /** Instructions per generated program pass, and passes: a few hundred thousand instructions per program. */
    private static final int PROGRAM_INSNS = 200, MAX_PASSES = 64;
    /** A program that goes astray (a fault it was not meant to raise) stops here. */
    private static final long BUDGET_PER_PROGRAM = 2_000_000;

    /**
     * @param instructions the JIT machine's retired instructions, summed over the programs
     * @param programs     programs run
     * @param blockChecks  region boundaries where the full state and memory were compared
     * @param faults       faults delivered (by vector) in the JIT machine; faultsInRegions of them in translated regions
     * @param divergences  "seed S (configuration): what differed", one per divergent program
     */
    public record Summary(long instructions, long programs, long blockChecks, long translated, long regionsGrown,
                          long[] faults, long faultsInRegions, List<String> divergences) {
        public long faultCount() {
            long n = 0;
            for (long f : faults) n += f;
            return n;
        }
    }

    /**
     * Runs programs seed {@code firstSeed}, {@code firstSeed + 1}, ... until {@code instructions}
     * have run; {@code progress} (may be null) gets a line every {@code progressEvery} programs.
     */
    public static Summary run(long instructions, long firstSeed, PrintStream progress, int progressEvery) {
        List<String> divergences = new ArrayList<>();
        long done = 0, programs = 0, checks = 0, translated = 0, grown = 0, inRegions = 0;
        long[] faults = new long[32];
        long t0 = System.nanoTime();
        for (long seed = firstSeed; done < instructions; seed++) {
            Lockstep ls = new Lockstep();
            int k = (int) Math.floorMod(seed, 12);
            boolean handWritten = k % 2 == 0;
            ls.growRuns = k % 3 == 0 ? 2 : JitEngine.GROW_RUNS;
            ls.background = k % 4 == 1;
            String config = (handWritten ? "emitters" : "exec-only") + (k % 3 == 0 ? ", grow early" : "")
                    + (ls.background ? ", late translations" : "");
            try {
                runOne(ls, seed, handWritten);
            } catch (Lockstep.Divergence d) {
                String m = String.valueOf(d.getMessage());
                divergences.add("seed " + seed + " (" + config + "): " + (m.length() > 4000 ? m.substring(0, 4000) + "..." : m));
            }
            programs++;
            done += ls.instructions;
            checks += ls.blockChecks;
            translated += ls.translated;
            grown += ls.regionsGrown;
            inRegions += ls.faultsInBlocks;
            for (int v = 0; v < 32; v++) faults[v] += ls.faultsByVector[v];
            if (progress != null && programs % progressEvery == 0) {
                double s = (System.nanoTime() - t0) / 1e9;
                progress.printf("lockstep: %,d instructions, %,d programs, %,d boundaries compared, %d divergences, %.0f s%n",
                        done, programs, checks, divergences.size(), s);
            }
        }
        return new Summary(done, programs, checks, translated, grown, faults, inRegions, divergences);
    }

    static void runOne(Lockstep ls, long seed, boolean handWritten) {
        RandomProgram gen = new RandomProgram(seed, true);
        Random init = new Random(seed * 31 + 7);
        byte[] code;
        try {
            code = gen.program(PROGRAM_INSNS + init.nextInt(PROGRAM_INSNS), 1 + init.nextInt(MAX_PASSES));
        } finally {
            gen.close();
        }
        int[] regs = new int[8];
        for (int r = 0; r < 8; r++) regs[r] = init.nextInt();
        byte[] scratch = new byte[0x2000];
        init.nextBytes(scratch);
        int flags = init.nextInt() & 0xCD5 & ~0x400 | 0x200;   // arithmetic flags random, IF=1, DF=0
        long period = seed % 3 == 0 ? 0 : 20 + init.nextInt(300);
        ls.run("seed " + seed, handWritten, (int) Math.floorMod(seed, 3), period, BUDGET_PER_PROGRAM, m -> {
            m.richSetup();
            for (int r = 0; r < 8; r++) if (r != Cpu.ESP) m.cpu.reg[r] = regs[r];
            Flags.set(m.cpu, flags);
            m.load(LockstepMachine.CODE, code);
            m.load(LockstepMachine.SCRATCH, scratch);
        });
    }
}
