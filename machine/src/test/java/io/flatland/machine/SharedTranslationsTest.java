package io.flatland.machine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Machines of one JVM share translations (io.flatland.jit.SharedRegions): two threads boot
 * different kernel-model workloads again and again at the same time under the JIT, so their
 * user programs (different code at the same linear addresses) and the common kernel meet in one
 * store. Every boot must match the interpreter's boot of the same workload exactly (transcript,
 * POST milestones at their instruction counts, counters), and later boots must have taken
 * translations made by earlier ones.
 */
class SharedTranslationsTest {
    static final int BOOTS = 4;

    @Test
    void twoMachinesOnTwoThreadsRunDifferentGuestsExactly() throws Exception {
        String[] workloads = {"cow", "crash"};
        DeterminismTest.Boot[] reference = new DeterminismTest.Boot[workloads.length];
        for (int i = 0; i < workloads.length; i++) reference[i] = DeterminismTest.boot(Accel.INTERP, workloads[i]);
        ExecutorService pool = Executors.newFixedThreadPool(workloads.length);
        try {
            List<Future<Long>> runs = new ArrayList<>();
            for (int i = 0; i < workloads.length; i++) {
                int w = i;
                runs.add(pool.submit(() -> {
                    long adopted = 0;
                    for (int n = 0; n < BOOTS; n++) {
                        DeterminismTest.Boot jit = DeterminismTest.boot(Accel.JIT, workloads[w]);
                        String where = workloads[w] + ", boot " + (n + 1);
                        assertEquals(reference[w].result(), jit.result(), where);
                        assertEquals(reference[w].serial(), jit.serial(), where);
                        assertEquals(reference[w].milestones(), jit.milestones(), where);
                        assertEquals(reference[w].counters(), jit.counters(), where);
                        adopted += jit.adopted();
                    }
                    return adopted;
                }));
            }
            long adopted = 0;
            for (Future<Long> f : runs) adopted += f.get();
            assertTrue(adopted > 0, "later boots took translations of earlier ones");
        } finally {
            pool.shutdown();
        }
    }
}
