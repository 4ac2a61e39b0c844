package io.flatland.machine.cli;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The boot summary's hand-made number formats print what printf's %10.3f, %,15d and %02x print. */
class BootSummaryFormatTest {
    @Test
    void sameAsPrintf() {
        SplittableRandom r = new SplittableRandom(7);
        long[] edges = {0, 1, 499, 500, 999, 1_000, 1_499, 1_500, 999_499, 999_500, 1_000_000, 12_345_678_901L};
        for (int i = 0; i < 20_000; i++) {
            long ns = i < edges.length ? edges[i] : r.nextLong(0, 1L << (1 + i % 40));
            // %.3f of the double in ms rounds half up like millis(), except where the double itself is inexact.
            double ms = ns / 1e6;
            String expected = String.format(Locale.ROOT, "%10.3f", ms);
            if (Math.abs(ms * 1000 - Math.rint(ms * 1000)) != 0.5) {
                assertEquals(expected, BootCommand.pad(BootCommand.millis(ns), 10), "ns=" + ns);
            }
            long n = i < edges.length ? edges[i] : r.nextLong(0, Long.MAX_VALUE >>> (i % 60));
            assertEquals(String.format(Locale.US, "%,15d", n), BootCommand.pad(BootCommand.grouped(n), 15), "n=" + n);
            int code = i & 0xFF;
            assertEquals(String.format("%02x", code), BootCommand.hex2(code));
        }
    }
}
