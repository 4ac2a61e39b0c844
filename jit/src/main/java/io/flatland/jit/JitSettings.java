package io.flatland.jit;

/**
 * Every setting of the translator, read once from JVM properties ({@code -Dflatland.jit.*},
 * passed through the launcher's FLATLAND_JAVA_OPTS; the README lists them). Tests build
 * engines with explicit values instead.
 *
 * @param hot            instructions the interpreter runs from a block entry before its region is translated:
 *                       a translation costs the JVM a class, a spell of bytecode interpretation and then its
 *                       compilers, milliseconds of CPU that compete with the guest on two cores, so it pays only
 *                       where the interpreter would spend as long; the least heat of an entry to translate
 * @param gainNs         host nanoseconds a translated instruction saves over the interpreter (about 11 ns
 *                       against 1-2 ns on kernel code): an entry is translated only once its heat times this
 *                       covers what a translation costs in this process (see {@link JitEngine#threshold});
 *                       0 leaves {@code hot} alone (tests, which want translations early)
 * @param background     translate on a background thread (false: on the CPU's thread)
 * @param growRuns       region runs whose exits are profiled before a region may grow (0: never)
 * @param generations    how often one region may grow
 * @param maxInsns       instructions of a region
 * @param maxGrownInsns  instructions of a region grown from its exit profile
 * @param regions        regions (false: one basic block per translation, a debug switch)
 * @param followCalls    direct calls are followed into their callee (false: they end a path)
 * @param closeLoops     a branch back into the region ends its path (false: paths run on)
 * @param debugRegions   print each region and write its class file to java.io.tmpdir
 * @param profile        count runs and exits per region, printed when the JVM exits
 * @param shared         share translations between the machines of this JVM ({@link SharedRegions})
 */
public record JitSettings(int hot, int gainNs, boolean background, int growRuns, int generations, int maxInsns, int maxGrownInsns,
                          boolean regions, boolean followCalls, boolean closeLoops, boolean debugRegions, boolean profile,
                          boolean shared) {

    /** The settings of this JVM. */
    public static final JitSettings PROPERTIES = new JitSettings(
            Integer.getInteger("flatland.jit.hot", 1_000_000),
            Integer.getInteger("flatland.jit.gain", 10),
            Boolean.parseBoolean(System.getProperty("flatland.jit.background", "true")),
            Integer.getInteger("flatland.jit.grow", 512),
            Integer.getInteger("flatland.jit.generations", 1),
            Integer.getInteger("flatland.jit.maxInsns", 64),
            Integer.getInteger("flatland.jit.maxGrownInsns", 160),
            !Boolean.getBoolean("flatland.jit.noRegions"),
            !Boolean.getBoolean("flatland.jit.noFollowCalls"),
            !Boolean.getBoolean("flatland.jit.openLoops"),
            Boolean.getBoolean("flatland.jit.debugRegions"),
            Boolean.getBoolean("flatland.jit.profile"),
            Boolean.parseBoolean(System.getProperty("flatland.jit.shared", "true")));
}
