package io.flatland.machine;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.ExitReason;
import io.flatland.cpu.Interpreter;
import io.flatland.jit.JitEngine;

/** Runs guest code on a CPU for at most a number of instructions. */
@FunctionalInterface
public interface ExecutionEngine {
    ExitReason run(Cpu cpu, long maxInstructions);

    /**
     * Counters that describe the engine itself (the JIT's regions and translations). They are
     * the only counters allowed to differ between engines, so they stay out of
     * {@link Machine#counters()} and appear only in --stats.
     */
    default java.util.Map<String, Long> engineCounters() {
        return java.util.Map.of();
    }

    /** Why the engine's last translation failed (a bug), or null. */
    default String lastTranslationFailure() {
        return null;
    }

    /** The machine is done with the engine (the JIT hands what it learnt to the JVM's later machines). */
    default void close() {
    }

    /** A fresh engine (with empty code caches) for {@code cpu}. */
    static ExecutionEngine create(Accel accel, Cpu cpu) {
        if (accel == Accel.JIT) {
            JitEngine jit = new JitEngine(cpu);
            return new ExecutionEngine() {
                @Override
                public ExitReason run(Cpu c, long maxInstructions) {
                    return jit.run(c, maxInstructions);
                }

                @Override
                public String lastTranslationFailure() {
                    return jit.lastTranslationFailure();
                }

                @Override
                public void close() {
                    jit.close();
                }

                @Override
                public java.util.Map<String, Long> engineCounters() {
                    java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
                    m.put("jit_regions_run", jit.blocksRun);
                    m.put("jit_interpreted_block_runs", jit.interpreted);
                    m.put("jit_faults_in_regions", jit.faultsInBlocks);
                    m.put("jit_translations", jit.translatedBlocks());
                    m.put("jit_regions_grown", jit.regionsGrown);
                    m.put("jit_flat_guard_failures", jit.flatGuardFailures);
                    m.put("jit_shared_regions_adopted", jit.sharedAdopted);
                    m.put("jit_translation_failures", jit.translationFailures());
                    m.put("jit_translation_ns", jit.translationNanos());
                    return m;
                }
            };
        }
        Interpreter interpreter = new Interpreter(cpu);
        return interpreter::run;
    }
}
