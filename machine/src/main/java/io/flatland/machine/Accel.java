package io.flatland.machine;

/** How guest code is executed ({@code -accel}). */
public enum Accel {
    /** The reference interpreter. */
    INTERP,
    /** Translation of hot blocks to JVM bytecode (io.flatland.jit.JitEngine). */
    JIT;

    public static Accel parse(String s) {
        return switch (s) {
            case "interp" -> INTERP;
            case "jit" -> JIT;
            default -> throw new IllegalArgumentException("unknown accelerator '" + s + "' (use interp or jit)");
        };
    }
}
