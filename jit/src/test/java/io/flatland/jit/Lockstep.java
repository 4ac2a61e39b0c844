package io.flatland.jit;

import io.flatland.cpu.ExitReason;

import java.util.function.Consumer;


/**
 * Runs the same program on an interpreter machine and a JIT machine and compares the full
 * architectural state and the written memory after every translated block (the reference
 * catches up to the JIT's instruction count first) and at the end. A difference throws
 * {@link Divergence} (an AssertionError, so that a test fails; {@link LockstepRun} counts them).
 */
final class Lockstep {
    int blockChecks;
    long translated, blocksRun, faultsInBlocks;
    int lastEip;
    long regionsGrown;
    /** Regions the JIT machine dropped because a segment they assumed flat was not any more. */
    long flatGuardFailures;
    /** Runs of regions that hold code on two pages. */
    long twoPageRuns;
    /** Instructions the JIT machine retired, over all runs. */
    long instructions;
    /** Faults delivered in the JIT machine, by vector, over all runs. */
    final long[] faultsByVector = new long[32];
    /** Region runs profiled before a region may grow, for the JIT machine. */
    int growRuns = JitEngine.GROW_RUNS;
    /** Whether the JIT machine's translations land late (LockstepMachine.OneLate), as from a background thread. */
    boolean background;
    /** Translations the JIT machine shares with earlier and later ones (null: none), and how many it took. */
    SharedRegions shared;
    long adopted;

    /** Sets both machines up with {@code setup}, runs up to {@code budget} instructions, returns the exit reason. */
    ExitReason run(String name, boolean handWritten, int hot, long timerPeriod, long budget, Consumer<LockstepMachine> setup) {
        try (LockstepMachine ref = new LockstepMachine(false, false, 0); LockstepMachine jit = new LockstepMachine(true, handWritten, hot, growRuns, background ? new LockstepMachine.OneLate() : null, shared)) {
            setup.accept(ref);
            setup.accept(jit);
            if (timerPeriod > 0) { ref.setTimer(timerPeriod); jit.setTimer(timerPeriod); }
            same(ref.state(), jit.state(), name + ": setup differs");
            jit.jit.observer = (cpu, block, r) -> {
                if (block.phys2 >= 0) twoPageRuns++;
                long behind = cpu.icount - ref.cpu.icount;
                if (behind < 0) throw new Divergence(name + ": JIT behind the reference");
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
            for (LockstepMachine m : new LockstepMachine[] {ref, jit}) {
                if (m.cpu.internalError != null) {
                    throw new Divergence(name + ": internal error in the " + (m == ref ? "interpreter" : "JIT") + ": "
                            + m.cpu.internalError, m.cpu.internalError);
                }
            }
            compare(name + " at the end", ref, jit);
            same(why, refWhy, name + ": exit reason");
            same(ref.memHash(0, 4 << 20), jit.memHash(0, 4 << 20), name + ": RAM differs at the end");
            same(0L, jit.jit.translationFailures(), name + ": " + jit.jit.lastTranslationFailure());
            instructions += jit.cpu.icount;
            for (int v = 0; v < 32; v++) faultsByVector[v] += jit.cpu.exceptionsByVector[v];
            translated += jit.jit.translatedBlocks();
            blocksRun += jit.jit.blocksRun;
            faultsInBlocks += jit.jit.faultsInBlocks;
            regionsGrown += jit.jit.regionsGrown;
            flatGuardFailures += jit.jit.flatGuardFailures;
            adopted += jit.jit.sharedAdopted;
            jit.jit.close();
            lastEip = jit.cpu.eip;
            return why;
        }
    }

    static void compare(String where, LockstepMachine ref, LockstepMachine jit) {
        same(ref.state(), jit.state(), where);
        same(ref.watchedMemory(), jit.watchedMemory(), where + ": memory");
    }

    private static void same(Object reference, Object jit, String where) {
        if (!reference.equals(jit)) throw new Divergence(where + " ==> interpreter: <" + reference + "> but JIT: <" + jit + ">");
    }

    /** The JIT machine's state differs from the interpreter's (or an engine failed). */
    static final class Divergence extends AssertionError {
        Divergence(String message) { super(message); }

        Divergence(String message, Throwable cause) { super(message, cause); }
    }
}
