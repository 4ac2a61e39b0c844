package io.flatland.machine.kernelmodel;

import io.flatland.machine.Accel;
import io.flatland.machine.Machine;
import io.flatland.machine.MachineConfig;
import io.flatland.machine.MachineListener;
import io.flatland.machine.RunResult;
import io.flatland.machine.devices.PostPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link MachineListener} registered on the kernel model's copy-on-write workload (system
 * calls by {@code int}, demand-paging and copy-on-write faults, POST codes):
 * its counts per vector are the machine's own counters ({@code --stats}'s exceptions_by_vector and
 * interrupts_by_vector), its POST codes the POST milestones, under both engines.
 */
class MachineListenerTest {
    static final class Counting implements MachineListener {
        final long[] exceptions = new long[256], interrupts = new long[256];
        final List<Integer> posts = new ArrayList<>();
        final List<Long> postIcounts = new ArrayList<>();
        long hardware;

        @Override
        public void interrupt(Machine m, int vector, int errorCode, Source source) {
            if (source == Source.EXCEPTION) exceptions[vector]++;
            else interrupts[vector]++;
            if (source == Source.HARDWARE) hardware++;
        }

        @Override
        public void postCode(Machine m, int code, long icount) {
            posts.add(code);
            postIcounts.add(icount);
        }
    }

    static Machine model(Accel accel) throws Exception {
        Path model = KernelModelTest.MODEL;
        return new Machine(MachineConfig.builder().ramMiB(128).accel(accel).icount(true).noReboot(true)
                .kernel(model.resolve("prebuilt/kernel"))
                .initrd("prebuilt/pm,prebuilt/rs,prebuilt/vm,prebuilt/echo,prebuilt/init", model)
                .append("workload=cow syscall=int").serialOutput(new ByteArrayOutputStream()).build());
    }

    private static long counter(Map<String, Long> c, String name) { return c.getOrDefault(name, 0L); }

    @ParameterizedTest
    @EnumSource(value = Accel.class, names = {"INTERP", "JIT"})
    void countsMatchTheMachinesCounters(Accel accel) throws Exception {
        try (Machine m = model(accel)) {
            Counting l = new Counting();
            m.addListener(l);
            RunResult r = m.run();
            assertEquals(33, r.exitStatus(), r.toString());
            Map<String, Long> c = m.counters();
            long exceptions = 0, interrupts = 0;
            for (int v = 0; v < 256; v++) {
                // INT3/INTO count as exceptions in the counters; the workload uses neither (nor nested faults).
                assertEquals(counter(c, "exceptions_by_vector[" + v + "]"), l.exceptions[v], "exceptions, vector " + v);
                assertEquals(counter(c, "interrupts_by_vector[" + v + "]"), l.interrupts[v], "interrupts, vector " + v);
                exceptions += l.exceptions[v];
                interrupts += l.interrupts[v];
            }
            assertTrue(l.exceptions[14] > 0 && l.interrupts[0x20] > 0 && l.interrupts[0x21] > 0,
                    "page faults, kernel and IPC calls: " + exceptions + " " + interrupts);
            List<PostPort.Milestone> ms = m.milestones();
            assertEquals(ms.stream().map(PostPort.Milestone::code).toList(), l.posts);
            assertEquals(ms.stream().map(PostPort.Milestone::icount).toList(), l.postIcounts);
            assertTrue(l.posts.size() >= 3, l.posts.toString());
        }
    }

    /** Blocks: only a listener that asks for them gets them; both engines report the same blocks. */
    @Test
    void blocksAreTheSameUnderBothEngines() throws Exception {
        long[] counts = new long[2];
        for (Accel a : List.of(Accel.INTERP, Accel.JIT)) {
            try (Machine m = model(a)) {
                long[] blocks = {0};
                long[] eipSum = {0};
                m.addListener(new MachineListener() {
                    @Override public boolean wantsBlocks() { return true; }
                    @Override public void blockEntered(Machine machine) {
                        blocks[0]++;
                        eipSum[0] += machine.cpu().eip;
                    }
                });
                m.addListener(new MachineListener() { });   // no blocks asked: never called for them
                assertEquals(33, m.run().exitStatus());
                assertTrue(blocks[0] > 1000, "blocks " + blocks[0]);
                counts[a == Accel.INTERP ? 0 : 1] = blocks[0] * 31 + eipSum[0];
            }
        }
        assertEquals(counts[0], counts[1]);
    }
}
