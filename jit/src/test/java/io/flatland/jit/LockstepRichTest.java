package io.flatland.jit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CI-sized sample of {@link LockstepRun}: rich random programs (SIB, mod 1/2, 16-bit
 * addressing, segment overrides, 0x66, LOCK, REP strings, x87, faults skipped by handlers in
 * the middle of regions) with no divergence. {@code -Dlockstep.rich.instructions=N} runs more;
 * {@code ./flatland bench lockstep --instructions N} is the long run.
 */
class LockstepRichTest {
    static final long INSTRUCTIONS = Long.getLong("lockstep.rich.instructions", 1_000_000);
    static final long FIRST_SEED = Long.getLong("lockstep.rich.seed", 1);

    @Test
    void richRandomProgramsDoNotDiverge() {
        LockstepRun.Summary s = LockstepRun.run(INSTRUCTIONS, FIRST_SEED, null, 1);
        System.out.printf("lockstep rich: %,d instructions, %,d programs, %,d boundaries compared, %,d translated, "
                + "%,d faults (%,d in regions), %d divergences%n", s.instructions(), s.programs(), s.blockChecks(),
                s.translated(), s.faultCount(), s.faultsInRegions(), s.divergences().size());
        System.out.println("faults by vector: " + java.util.Arrays.toString(s.faults()));
        assertEquals("", String.join("\n", s.divergences()), "divergences");
        assertTrue(s.instructions() >= INSTRUCTIONS, "ran the instructions asked for");
        assertTrue(s.blockChecks() > s.programs(), "translated regions ran and were compared");
        // Faults raised on purpose, inside translated regions too, and skipped by the handlers.
        for (int v : new int[] {0, 6, 13, 14}) assertTrue(s.faults()[v] > 0, "faults with vector " + v + ": " + s.faults()[v]);
        assertTrue(s.faultsInRegions() > 0, "faults inside translated regions");
    }
}
