package io.flatland.machine;

import io.flatland.machine.loader.BadImageException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --stats keeps its field names and order (scripts read it); the counters map is its counters, in the same order. */
class StatsTest {
    /** The document's top-level fields for the interpreter, as --stats has written them since the APIC counters came. */
    private static final List<String> FIELDS = List.of("retired_instructions", "wall_time_ns", "guest_mips",
            "thread_cpu_ns", "virtual_time_ns", "idle_ns", "icount_mode", "tlb_misses", "tlb_flushes", "page_walks",
            "page_faults", "cr3_loads", "code_invalidations", "io_operations", "mmio_accesses", "resets",
            "exceptions_by_vector", "interrupts_by_vector", "interrupts_by_line", "spurious_interrupts",
            "apic_timer_interrupts", "apic_ipis", "ioapic_messages", "mmio_traps", "post_milestones");

    private static List<String> topLevelFields(String json) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^  \"([a-z_0-9]+)\":").matcher(json);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    @Test
    void statsDocumentAndCountersAgree() throws BadImageException {
        try (Machine m = new Machine(MachineConfig.builder().ramMiB(4).icount(true).accel(Accel.INTERP)
                .kernel("k", DemoKernel.image()).serialOutput(new ByteArrayOutputStream()).build())) {
            m.run(100_000);
            String json = m.statsJson(1_000_000);
            assertEquals(FIELDS, topLevelFields(json));
            // Every counter is a field of the document, in the document's order.
            List<String> counters = Stats.counterNames();
            List<String> inDocument = topLevelFields(json).stream().filter(counters::contains).toList();
            assertEquals(counters, inDocument);
            for (String key : m.counters().keySet()) {
                String name = key.replaceAll("\\[\\d+]$", "");
                assertTrue(counters.contains(name), key + " is a declared counter");
            }
            assertEquals(m.cpu().icount, m.counters().get("retired_instructions"));
        }
    }
}
