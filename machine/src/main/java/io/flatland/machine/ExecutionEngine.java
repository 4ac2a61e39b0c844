package io.flatland.machine;

import io.flatland.jit.Cpu;
import io.flatland.jit.ExitReason;
import io.flatland.jit.Interpreter;
import io.flatland.jit.translate.JitEngine;

/** Runs guest code on a CPU for at most a number of instructions. */
@FunctionalInterface
public interface ExecutionEngine {
    ExitReason run(Cpu cpu, long maxInstructions);

    /** A fresh engine (with empty code caches) for {@code cpu}. */
    static ExecutionEngine create(Accel accel, Cpu cpu) {
        if (accel == Accel.JIT) {
            JitEngine jit = new JitEngine(cpu);
            return jit::run;
        }
        Interpreter interpreter = new Interpreter(cpu);
        return interpreter::run;
    }
}
