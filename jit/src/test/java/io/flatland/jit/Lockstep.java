package io.flatland.jit;

import io.flatland.cpu.ExitReason;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the same program on an interpreter machine and a JIT machine and compares the full
 * architectural state and the written memory after every translated block (the reference
 * catches up to the JIT's instruction count first) and at the end.
 */
final class Lockstep {
    int blockChecks;
    long translated, blocksRun, faultsInBlocks;
    int lastEip;
    long regionsGrown;
    /** Region runs profiled before a region may grow, for the JIT machine. */
    int growRuns = JitEngine.GROW_RUNS;
    /** Whether the JIT machine's translations land late (LockstepMachine.OneLate), as from a background thread. */
    boolean background;

    /** Sets both machines up with {@code setup}, runs up to {@code budget} instructions, returns the exit reason. */
    ExitReason run(String name, boolean handWritten, int hot, long timerPeriod, long budget, Consumer<LockstepMachine> setup) {
        try (LockstepMachine ref = new LockstepMachine(false, false, 0); LockstepMachine jit = new LockstepMachine(true, handWritten, hot, growRuns, background ? new LockstepMachine.OneLate() : null)) {
            setup.accept(ref);
            setup.accept(jit);
            if (timerPeriod > 0) { ref.setTimer(timerPeriod); jit.setTimer(timerPeriod); }
            assertEquals(ref.state(), jit.state(), name + ": setup differs");
            jit.jit.observer = (cpu, block, r) -> {
                long behind = cpu.icount - ref.cpu.icount;
                assertTrue(behind >= 0, name + ": JIT behind the reference");
                ref.run(behind);
                // The JIT's dispatcher may have taken a timer interrupt at this very count (its handler's
                // first instruction then faulted) which the reference takes on its next step: compare later.
                if (ref.serviced != jit.serviced) return;
                compare(name + " after block at " + Integer.toHexString(block.eip) + " (" + r + (r < 0 ? ", " + cpu.fault : "") + ")", ref, jit);
                blockChecks++;
            };
            ExitReason why = ExitReason.BUDGET;
            long left = budget;
            while (left > 0) {
                long before = jit.cpu.icount;
                why = jit.run(left);
                left -= jit.cpu.icount - before;
                if (why != ExitReason.BUDGET || jit.cpu.icount == before) break;
            }
            ExitReason refWhy = ref.run(jit.cpu.icount - ref.cpu.icount);
            if (why != ExitReason.BUDGET) refWhy = ref.run(1);   // the reference reaches the same stop
            compare(name + " at the end", ref, jit);
            assertEquals(why, refWhy, name + ": exit reason");
            assertEquals(ref.memHash(0, 4 << 20), jit.memHash(0, 4 << 20), name + ": RAM differs at the end");
            assertEquals(0, jit.jit.translationFailures(), name + ": " + jit.jit.lastTranslationFailure());
            translated += jit.jit.translatedBlocks();
            blocksRun += jit.jit.blocksRun;
            faultsInBlocks += jit.jit.faultsInBlocks;
            regionsGrown += jit.jit.regionsGrown;
            lastEip = jit.cpu.eip;
            return why;
        }
    }

    static void compare(String where, LockstepMachine ref, LockstepMachine jit) {
        assertEquals(ref.state(), jit.state(), where);
        assertEquals(ref.watchedMemory(), jit.watchedMemory(), where + ": memory");
    }
}
