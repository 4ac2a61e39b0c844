package io.flatland.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate's statistics on constructed samples (no timing involved). */
class SampleTest {
    /** Run times of a build whose speed drifts over the session (shared by both builds of a pair). */
    private static double[] drifting(double scale, int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = scale * (100 + 20 * Math.sin(i / 3.0)) * (1 + 0.02 * r.nextGaussian());
        return x;
    }

    @Test
    void quartilesAndMedianFollowR7() {
        Sample s = new Sample(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertEquals(5.5, s.median, 1e-12);
        assertEquals(3.25, s.q1, 1e-12);
        assertEquals(7.75, s.q3, 1e-12);
    }

    @Test
    void medianOfOddAndEvenSamples() {
        assertEquals(3, Sample.median(new double[] {5, 1, 3}), 0);
        assertEquals(2.5, Sample.median(new double[] {4, 1, 3, 2}), 0);
        assertEquals(7, Sample.median(new double[] {7}), 0);
    }

    @Test
    void geometricMeanOfRatios() {
        assertEquals(2, Sample.geomean(new double[] {1, 4}), 1e-12);
        assertEquals(4, Sample.geomean(new double[] {2, 8, 4}), 1e-12);
        assertEquals(1, Sample.geomean(new double[] {0.5, 2}), 1e-12, "a 2x win and a 2x loss cancel");
        assertEquals(0.7, Sample.geomean(new double[] {0.7}), 1e-12);
        assertTrue(Double.isNaN(Sample.geomean(new double[0])));
        assertThrows(IllegalArgumentException.class, () -> Sample.geomean(new double[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> Sample.geomean(new double[] {1, Double.NaN}));
    }

    @Test
    void identicalBuildsGiveAnIntervalAroundOne() {
        double[] a = drifting(1, 20, 1), b = drifting(1, 20, 2);
        Sample.Comparison c = Sample.compare(a, b, true, 0.95, 10_000, 0x5EED);
        assertTrue(c.ciLow() < 1 && c.ciHigh() > 1, c.toString());
        assertTrue(c.ciLow() < 1.05, "an identical build must pass a 5% gate: " + c);
    }

    @Test
    void aTenPercentSlowdownIsSeenThroughTheDrift() {
        double[] a = drifting(1, 20, 3), b = drifting(1.10, 20, 4);
        Sample.Comparison c = Sample.compare(a, b, true, 0.95, 10_000, 0x5EED);
        assertEquals(1.10, c.ratio(), 0.02);
        assertTrue(c.ciLow() > 1.05, "paired comparison must exclude 5%: " + c);
        Sample.Comparison unpaired = Sample.compare(a, b, false, 0.95, 10_000, 0x5EED);
        assertTrue(unpaired.ciHigh() - unpaired.ciLow() > c.ciHigh() - c.ciLow(), "pairing must narrow the interval");
    }

    @Test
    void theVerdictIsReproducible() {
        double[] a = drifting(1, 12, 5), b = drifting(1.03, 12, 6);
        assertEquals(Sample.compare(a, b, true, 0.95, 5000, 7), Sample.compare(a, b, true, 0.95, 5000, 7));
    }

    @Test
    void repeatedMilestonesAreNumbered() {
        Map<Integer, Integer> seen = new LinkedHashMap<>();
        assertEquals("10", ProcessRun.label(0x10, seen));
        assertEquals("11", ProcessRun.label(0x11, seen));
        assertEquals("10#2", ProcessRun.label(0x10, seen));
        assertEquals("7e", ProcessRun.label(0x7E, seen));
    }
}
