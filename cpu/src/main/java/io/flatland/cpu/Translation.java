package io.flatland.cpu;

/**
 * Compiled code that starts at a decoded instruction (the JIT's regions extend this). The
 * interpreter knows nothing about it but that it exists: run with
 * {@link Interpreter#runUntilEntry}, it stops in front of an instruction that has one
 * ({@link Insn#entry}) so that the JIT's dispatcher can run it instead.
 */
public abstract class Translation {
    protected Translation() { }
}
