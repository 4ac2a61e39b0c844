package io.flatland.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The interpreter's stops for the JIT: instructions counted per block entry, hot entries and translated ones stopped at. */
class RunUntilEntryTest {
    /** mov ecx, 10; top: dec ecx; jnz top; hlt */
    private static final int[] LOOP = {0xB9, 10, 0, 0, 0, 0x49, 0x75, 0xFD, 0xF4};
    private static final int TOP = TestMachine.CODE + 5;

    private static TestMachine loop() {
        TestMachine m = new TestMachine();
        m.load(TestMachine.CODE, LOOP);
        m.cpu.eip = TestMachine.CODE;
        return m;
    }

    @Test
    void stopsInFrontOfTheEntryThatBecomesHotAfterExactlyTheThreshold() {
        for (int hot = 1; hot <= 6; hot++) {
            try (TestMachine m = loop()) {
                // The first instruction of a call is an entry too: it counts (and is not hot yet).
                ExitReason why = m.interp.runUntilEntry(m.cpu, 1000, hot);
                assertEquals(ExitReason.BUDGET, why);
                Insn at = m.interp.stoppedAt();
                assertNotNull(at, "hot=" + hot);
                assertEquals(TOP, m.cpu.eip, "hot=" + hot);
                // The first pass (mov, dec, jnz) counts for the entry at CODE: TOP is reached by falling
                // through from mov, not as a block entry. From then on each pass from TOP adds its two
                // instructions to TOP's heat, and the run stops in front of TOP once the heat reaches hot.
                int passes = (hot + 1) / 2;
                assertEquals(2 * passes, at.heat, "hot=" + hot);
                assertEquals(3 + 2 * passes, m.cpu.icount, "hot=" + hot);
            }
        }
    }

    @Test
    void stopsInFrontOfATranslationButNeverAtTheFirstInstruction() {
        try (TestMachine m = loop()) {
            m.interp.runUntilEntry(m.cpu, 1000, 2);
            Insn top = m.interp.stoppedAt();
            Translation t = new Translation() { };
            top.entry = t;
            top.heat = Integer.MIN_VALUE;   // what the JIT does once it asked for a translation
            long before = m.cpu.icount;
            // Called at the translated entry (the dispatcher could not run it): one pass through the loop, then a stop.
            m.interp.runUntilEntry(m.cpu, 1000, 2);
            assertSame(top, m.interp.stoppedAt());
            assertEquals(TOP, m.cpu.eip);
            assertEquals(before + 2, m.cpu.icount);
        }
    }

    /**
     * A call may begin at code no branch leads to (where the dispatcher's last region ended), so
     * the interpreter never meets it as an entry of its own: it stops there, without running
     * anything, once that is hot. If the dispatcher does not act on the stop (say an event was
     * due), the next call runs it: never a stop without progress.
     */
    @Test
    void aHotEntryWhereACallBeginsStopsOnceThenRuns() {
        try (TestMachine m = loop()) {
            m.interp.runUntilEntry(m.cpu, 1000, 0);
            Insn first = m.interp.stoppedAt();
            assertNotNull(first);
            assertEquals(TestMachine.CODE, m.cpu.eip);
            assertEquals(0, m.cpu.icount, "stopped in front of the first instruction");
            m.interp.runUntilEntry(m.cpu, 1000, 0);
            Insn top = m.interp.stoppedAt();
            assertEquals(TOP, m.cpu.eip, "the second call ran it and stopped at the next hot entry");
            assertEquals(3, m.cpu.icount);
            assertEquals(3 + Interpreter.CALL_HEAT, first.heat, "the entry where a call begins is charged the call too");
            long before = m.cpu.icount;
            m.interp.runUntilEntry(m.cpu, 1000, 0);
            assertSame(top, m.interp.stoppedAt());
            assertEquals(before + 2, m.cpu.icount, "again: the loop body ran once, then the same stop");
        }
    }

    @Test
    void theReferenceRunNeverStops() {
        try (TestMachine m = loop()) {
            assertEquals(ExitReason.HALTED_FOREVER, m.interp.run(m.cpu, 1000));
            assertEquals(1 + 2 * 10 + 1, m.cpu.icount);
            assertNull(m.interp.stoppedAt());
        }
    }
}
