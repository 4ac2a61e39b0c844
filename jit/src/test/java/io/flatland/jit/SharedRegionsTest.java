package io.flatland.jit;

import io.flatland.cpu.ExitReason;
import org.junit.jupiter.api.Test;

import static io.flatland.jit.LockstepMachine.CODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Translations shared between machines ({@link SharedRegions}): a later machine takes a region
 * another made only where its own code is byte for byte what the region was read from, and a
 * machine that rewrites its code loses only its own instance. Every machine here runs in
 * lockstep with the interpreter, which catches any translation run on code it does not fit.
 */
class SharedRegionsTest {
    static final int F = CODE + 0x100, LOOPS = 2000, HOT = 20;

    /** F: add eax, imm; dec ecx; jnz F; ret. */
    private static byte[] function(int imm) {
        return new Code(F).b(0x83, 0xC0, imm, 0x49, 0x75, 0xFA, 0xC3).bytes();
    }

    /** mov ecx, LOOPS; call F; (with {@code rewrite}: mov byte [F+2], 7; mov ecx, LOOPS; call F;) hlt. */
    private static byte[] caller(boolean rewrite) {
        Code c = new Code(CODE).b(0xB9).d(LOOPS).b(0xE8).d(F - (CODE + 10));
        if (rewrite) c.b(0xC6, 0x05).d(F + 2).b(7).b(0xB9).d(LOOPS).b(0xE8).d(F - (CODE + 27));
        return c.b(0xF4).bytes();
    }

    private static Lockstep run(SharedRegions shared, String name, int imm, boolean rewrite) {
        Lockstep ls = new Lockstep();
        ls.shared = shared;
        ExitReason why = ls.run(name, true, HOT, 0, 1_000_000, m -> {
            m.load(CODE, caller(rewrite));
            m.load(F, function(imm));
        });
        assertEquals(ExitReason.HALTED_FOREVER, why, name);
        return ls;
    }

    @Test
    void laterMachinesTakeOnlyTranslationsOfTheirOwnCode() {
        SharedRegions shared = new SharedRegions(100);
        Lockstep first = run(shared, "first machine, add 3", 3, false);
        assertTrue(first.translated > 0 && shared.size() > 0, "the first machine translated and published");
        assertEquals(0, first.adopted, "the first machine of a JVM takes nothing");

        Lockstep other = run(shared, "same addresses, add 5", 5, false);
        assertEquals(0, other.adopted, "code that differs in one byte is translated anew, not taken");
        assertTrue(other.translated > 0);

        Lockstep same = run(shared, "same code, add 3", 3, false);
        assertTrue(same.adopted > 0, "the same code at the same address is taken");
    }

    @Test
    void aMachineThatRewritesItsCodeLosesOnlyItsOwnInstance() {
        SharedRegions shared = new SharedRegions(100);
        run(shared, "publishes F with 3 and, rewritten, with 7", 3, true);
        // This one takes F (3), kills its instance with its store, then takes F (7) or translates it.
        Lockstep second = run(shared, "takes F, rewrites it", 3, true);
        assertTrue(second.adopted > 0, "took the first machine's translation of F");
        // A third machine that never rewrites still finds F (3) and runs it correctly.
        Lockstep third = run(shared, "F as first published", 3, false);
        assertTrue(third.adopted > 0);
    }

    /**
     * Rich random programs, each run on two machines one after the other (the second takes the
     * first's translations), all on one shared store, so later programs also meet regions of
     * earlier ones at the same addresses: no divergence from the interpreter anywhere.
     */
    @Test
    void randomProgramsRunTwiceOnOneStoreDoNotDiverge() {
        SharedRegions shared = new SharedRegions(10_000);
        long adopted = 0, checks = 0;
        for (long seed = 1; seed <= 4; seed++) {
            for (int pass = 0; pass < 2; pass++) {
                Lockstep ls = new Lockstep();
                ls.shared = shared;
                LockstepRun.runOne(ls, seed, true);
                adopted += ls.adopted;
                checks += ls.blockChecks;
            }
        }
        assertTrue(adopted > 0, "second runs took translations");
        assertTrue(checks > 0, "regions ran and were compared");
    }

    @Test
    void theStoreIsBounded() {
        SharedRegions shared = new SharedRegions(2);
        for (int imm = 1; imm <= 5; imm++) run(shared, "add " + imm, imm, false);
        assertTrue(shared.size() <= 2, "held " + shared.size());
    }
}
