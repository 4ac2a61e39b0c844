package io.flatland.jit;

/**
 * Where a region goes when it returns to the dispatcher: the EIPs it exits to (its own page
 * and the next one, the window a region may hold: {@link BlockScanner}) and how often, over its first runs. A region that keeps leaving for code of its own
 * page (the other arm of a branch, the target of an indirect call or jump table, a
 * comparison function and its return) is translated again with those exits as further
 * roots ({@link BlockScanner}), so the round trip becomes a branch inside one method, where
 * the JVM's compiler sees the whole loop.
 *
 * <p>Only regions that return often for their work grow: one that retires
 * {@link #LONG_RUN} instructions a run on average (an inner loop) pays little for the round
 * trip, and each new translation costs a fresh climb through the JVM's compiler tiers (and
 * HotSpot compiles a small loop method better than the same loop inside a large one).
 * Profiling costs the dispatcher a few compares per region run and stops after
 * {@link #runs} exits; a region grows at most {@link #MAX_GENERATIONS} times.
 */
final class ExitProfile {
    static final int MAX_GENERATIONS = JitSettings.PROPERTIES.generations();
    static final int LONG_RUN = 256;
    private static final int SLOTS = 32;

    /** Runs to watch before deciding (the dispatcher's threshold, tests use small ones). */
    private final int runs;
    /** Linear EIP of the region's entry page (CS base added), to keep exits within the page. */
    private final int linPage, csBase;
    final int generation;
    private final int[] eip = new int[SLOTS], count = new int[SLOTS];
    private int used, total;
    private long retired;

    ExitProfile(int runs, int generation, int csBase, int linPage) {
        this.runs = runs;
        this.generation = generation;
        this.csBase = csBase;
        this.linPage = linPage;
    }

    /** Counts one run that retired {@code r} instructions and left for {@code exitEip}; true once enough runs were seen. */
    boolean exit(int exitEip, int r) {
        retired += r;
        int page = (csBase + exitEip) & 0xFFFFF000;
        if (page == linPage || page == linPage + 0x1000) {
            int i = 0;
            while (i < used && eip[i] != exitEip) i++;
            if (i < used) count[i]++;
            else if (used < SLOTS) { eip[used] = exitEip; count[used++] = 1; }
        }
        return ++total >= runs;
    }

    /** Whether the region retired {@link #LONG_RUN} instructions a run on average (a loop that runs on its own). */
    private boolean longRuns() {
        return retired >= (long) LONG_RUN * total;
    }

    /**
     * The exits worth a branch: taken on at least 1/64 of the runs and not already
     * {@code inRegion}, most frequent first; none if the runs were long.
     */
    int[] roots(java.util.function.IntPredicate inRegion) {
        if (longRuns()) return new int[0];
        int[] order = new int[used];
        int n = 0;
        for (int i = 0; i < used; i++) {
            if (count[i] * 64L >= total && !inRegion.test(eip[i])) order[n++] = i;
        }
        int[] out = new int[n];
        boolean[] taken = new boolean[used];
        for (int j = 0; j < n; j++) {
            int best = -1;
            for (int t = 0; t < n; t++) {
                int i = order[t];
                if (!taken[i] && (best < 0 || count[i] > count[best])) best = i;
            }
            taken[best] = true;
            out[j] = eip[best];
        }
        return out;
    }
}
