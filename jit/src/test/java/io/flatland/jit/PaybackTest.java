package io.flatland.jit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The payback rule: how hot a block entry must be before its region is translated. */
class PaybackTest {
    @Test
    void withoutAGainTheLeastHeatDecides() {
        assertEquals(2000, JitEngine.threshold(2000, 0, 0, 0));
        assertEquals(2000, JitEngine.threshold(2000, 0, 5, 900_000_000));
    }

    @Test
    void beforeTheFirstTranslationItsColdCostMustBePaidFor() {
        // 30 ms at 10 ns an instruction: three million instructions from the entry.
        assertEquals(JitEngine.FIRST_TRANSLATION_NS / 10, JitEngine.threshold(1000, 10, 0, 0));
        assertEquals(3_000_000, JitEngine.threshold(1000, 10, 0, 0));
        // A least heat above that still holds.
        assertEquals(5_000_000, JitEngine.threshold(5_000_000, 10, 0, 0));
    }

    @Test
    void laterTheAverageMeasuredCostDecides() {
        // Two translations, 24 ms in all: 12 ms each, 1.2 M instructions at 10 ns.
        assertEquals(1_200_000, JitEngine.threshold(1000, 10, 2, 24_000_000));
        // Once translating is cheap, the least heat is the bound.
        assertEquals(1_000_000, JitEngine.threshold(1_000_000, 10, 40, 40_000_000));
        // A larger gain per instruction pays back sooner.
        assertEquals(600_000, JitEngine.threshold(1000, 20, 2, 24_000_000));
    }

    @Test
    void anAbsurdCostDoesNotOverflow() {
        assertEquals(Integer.MAX_VALUE, JitEngine.threshold(1000, 1, 1, Long.MAX_VALUE));
    }
}
