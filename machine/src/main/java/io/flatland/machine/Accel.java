package io.flatland.machine;

/** How guest code is executed ({@code -accel}). */
public enum Accel {
    /** The reference interpreter. */
    INTERP,
    /** Translation of hot blocks to JVM bytecode (io.flatland.jit.JitEngine). */
    JIT;

    /**
     * {@code interp} or {@code jit}; QEMU's {@code tcg} (with any of its ",property=value"
     * settings, which concern QEMU's translator only) is taken as the default engine, the JIT.
     */
    public static Accel parse(String s) {
        if (s.equals("tcg") || s.startsWith("tcg,")) return JIT;
        return switch (s) {
            case "interp" -> INTERP;
            case "jit" -> JIT;
            default -> throw new IllegalArgumentException("unknown accelerator '" + s + "' (use interp or jit; tcg means jit)");
        };
    }
}
