package io.flatland.machine;

import io.flatland.machine.devices.PostPort;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Under --icount a boot repeats bit for bit: two in-process boots of the kernel model
 * (workload=boot) give the same serial transcript, the same POST milestones at the same
 * instruction counts and the same --stats counters (host times aside), for every
 * execution engine the Machine accepts.
 */
class DeterminismTest {
    /** {@code adopted}: regions the JIT took from other machines (0 under the interpreter; not compared). */
    record Boot(String serial, List<String> milestones, Map<String, Long> counters, RunResult result, long adopted) { }

    static Boot boot(Accel accel) throws Exception {
        return boot(accel, "boot");
    }

    static Boot boot(Accel accel, String workload) throws Exception {
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        MachineConfig.Builder b = MachineConfig.builder().ramMiB(128).icount(true).accel(accel).serialOutput(serial);
        try (Machine m = new Machine(KernelModel.configure(b, "workload=" + workload + " postlog=1").build())) {
            RunResult r = m.run(50_000_000L);
            List<String> ms = m.milestones().stream().map((PostPort.Milestone p) -> p.code() + "@" + p.icount()).toList();
            long adopted = m.engineCounters().getOrDefault("jit_shared_regions_adopted", 0L);
            return new Boot(serial.toString(java.nio.charset.StandardCharsets.ISO_8859_1), ms, m.counters(), r, adopted);
        }
    }

    @ParameterizedTest
    @EnumSource(Accel.class)
    void twoBootsUnderIcountAreIdentical(Accel accel) throws Exception {
        Boot first = boot(accel), second = boot(accel);
        assertEquals(RunResult.Outcome.DEBUG_EXIT, first.result().outcome(), "first boot: " + first.result());
        assertEquals(33, first.result().exitStatus());
        assertTrue(first.serial().contains("shutdown: success"), first.serial());
        assertEquals(first.result(), second.result());
        assertEquals(first.serial(), second.serial());
        assertEquals(first.milestones(), second.milestones());
        assertEquals(first.counters(), second.counters());
    }

    /** Whole-system lockstep at POST granularity: the JIT retires the same instructions at the same points. */
    @org.junit.jupiter.api.Test
    void jitBootsExactlyAsTheInterpreter() throws Exception {
        Boot interp = boot(Accel.INTERP), jit = boot(Accel.JIT);
        assertEquals(interp.result(), jit.result());
        assertEquals(interp.serial(), jit.serial());
        assertEquals(interp.milestones(), jit.milestones());
        assertEquals(interp.counters(), jit.counters());
    }
}
