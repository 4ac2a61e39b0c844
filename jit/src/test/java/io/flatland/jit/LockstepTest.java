package io.flatland.jit;

import io.flatland.cpu.Cpu;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JIT against the interpreter over random programs, with and without hand-written emitters and timer interrupts. */
class LockstepTest {
    static final int SEEDS = Integer.getInteger("lockstep.seeds", 200);
    /** To reproduce one failing seed: run from this index (seed = base + index). */
    static final int FIRST = Integer.getInteger("lockstep.first", 0);

    @Test
    void randomProgramsExecFallbackOnly() {
        runSeeds(false, 0);
    }

    @Test
    void randomProgramsWithEmitters() {
        runSeeds(true, 1000);
    }

    /** Regions grow after two profiled runs: exits to the same page become branches inside grown regions. */
    @Test
    void randomProgramsGrowingRegions() {
        Lockstep ls = runSeeds(true, 5000, 2);
        assertTrue(ls.regionsGrown >= SEEDS / 4, "regions grew: " + ls.regionsGrown);
    }

    /** Translations that land late, as from the background thread, after their code ran or changed: still no divergence. */
    @Test
    void randomProgramsBackgroundTranslation() {
        Lockstep ls = new Lockstep();
        ls.background = true;
        ls.growRuns = 2;
        runSeeds(ls, true, 9000);
        assertTrue(ls.translated > 0, "background translations were installed and ran");
    }

    private Lockstep runSeeds(boolean handWritten, long seedBase) {
        return runSeeds(handWritten, seedBase, JitEngine.GROW_RUNS);
    }

    private Lockstep runSeeds(boolean handWritten, long seedBase, int growRuns) {
        Lockstep ls = new Lockstep();
        ls.growRuns = growRuns;
        return runSeeds(ls, handWritten, seedBase);
    }

    private Lockstep runSeeds(Lockstep ls, boolean handWritten, long seedBase) {
        for (int s = FIRST; s < SEEDS; s++) {
            long seed = seedBase + s;
            RandomProgram gen = new RandomProgram(seed);
            byte[] code = gen.program(150 + (int) (seed % 200));
            gen.close();
            Random init = new Random(seed * 31 + 7);
            int[] regs = new int[8];
            for (int r = 0; r < 8; r++) regs[r] = init.nextInt();
            byte[] scratch = new byte[0x2000];
            init.nextBytes(scratch);
            int flags = init.nextInt() & 0xCD5 & ~0x400 | 0x200;   // arithmetic flags random, IF=1, DF=0
            long period = (s % 3 == 0) ? 0 : 20 + init.nextInt(300);
            ls.run("seed " + seed, handWritten, (int) (seed % 3), period, 200_000, m -> {
                for (int r = 0; r < 8; r++) if (r != Cpu.ESP) m.cpu.reg[r] = regs[r];
                io.flatland.cpu.Flags.set(m.cpu, flags);
                m.load(LockstepMachine.CODE, code);
                m.load(LockstepMachine.SCRATCH, scratch);
            });
        }
        System.out.println("lockstep " + (handWritten ? "emitters" : "exec-only") + ": " + SEEDS + " programs, "
                + ls.blockChecks + " block boundaries compared, " + ls.translated + " blocks translated, " + ls.blocksRun + " run, "
                + ls.regionsGrown + " regions grown");
        assertTrue(ls.blockChecks > SEEDS, "translated blocks actually ran");
        return ls;
    }
}
