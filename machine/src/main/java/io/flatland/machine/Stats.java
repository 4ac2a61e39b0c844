package io.flatland.machine;

import io.flatland.machine.devices.PostPort;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The --stats JSON document and the counters of {@link Machine#counters}, from one registry:
 * each entry is declared once, with its name, what it reads, and whether it is a counter
 * (equal between two --icount runs of one guest, so it is in both) or a report-only field
 * (host times, settings: --stats only). The document is written by hand (it is small and
 * flat); the entries' order is the document's.
 */
final class Stats {
    private Stats() { }

    /** A counter (both outputs), a per-index counter array (sparse: non-zero entries only), or a report-only field. */
    private enum Kind { COUNTER, PER_INDEX, REPORT_ONLY }

    /** What an entry reads: the machine, and the run's wall time for the fields derived from it. */
    private record Run(Machine m, long wallNanos) { }

    private record Entry(String name, Kind kind, Function<Run, Object> value) { }

    private static Entry counter(String name, Function<Run, Object> v) { return new Entry(name, Kind.COUNTER, v); }

    private static Entry perIndex(String name, Function<Run, Object> v) { return new Entry(name, Kind.PER_INDEX, v); }

    private static Entry reportOnly(String name, Function<Run, Object> v) { return new Entry(name, Kind.REPORT_ONLY, v); }

    private static final List<Entry> ENTRIES = List.of(
            counter("retired_instructions", r -> r.m.cpu().icount),
            reportOnly("wall_time_ns", r -> r.wallNanos),
            // Guest instructions per host microsecond of the run (JVM start-up excluded, as wall_time_ns).
            reportOnly("guest_mips", r -> r.wallNanos > 0
                    ? String.format(java.util.Locale.ROOT, "%.1f", r.m.cpu().icount * 1e3 / r.wallNanos) : "0"),
            // CPU time of the thread writing this (the one that ran the machine; for the CLI the
            // main thread, so JVM start-up is included): ns resolution, unaffected by waiting for a core.
            reportOnly("thread_cpu_ns", r -> {
                java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
                return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
            }),
            counter("virtual_time_ns", r -> r.m.clock().nowNs()),
            reportOnly("idle_ns", r -> r.m.platform().idleNs()),
            reportOnly("icount_mode", r -> r.m.clock().icountMode()),
            counter("tlb_misses", r -> r.m.mmu().tlb.misses),
            counter("tlb_flushes", r -> r.m.mmu().tlb.flushes),
            counter("page_walks", r -> r.m.mmu().walker.walks),
            counter("page_faults", r -> r.m.mmu().walker.pageFaults),
            counter("cr3_loads", r -> r.m.mmu().cr3Loads),
            counter("code_invalidations", r -> r.m.mmu().codeWatch.invalidations),
            counter("io_operations", r -> r.m.io().operations()),
            counter("mmio_accesses", r -> r.m.ram().mmio().accesses()),
            counter("resets", r -> r.m.resets()),
            perIndex("exceptions_by_vector", r -> r.m.cpu().exceptionsByVector),
            perIndex("interrupts_by_vector", r -> r.m.cpu().interruptsByVector),
            perIndex("interrupts_by_line", r -> r.m.pic().acknowledgedByLine()),
            counter("spurious_interrupts", r -> r.m.pic().spurious()),
            // pc's local APIC and I/O APIC (0 on isapc, which has neither).
            counter("apic_timer_interrupts", r -> r.m.localApic() == null ? 0 : r.m.localApic().timerInterrupts()),
            counter("apic_ipis", r -> r.m.localApic() == null ? 0 : r.m.localApic().ipis()),
            counter("ioapic_messages", r -> r.m.ioApic() == null ? 0 : r.m.ioApic().delivered()),
            // Device-memory accesses translated code handed to the interpreter (engine-dependent).
            reportOnly("mmio_traps", r -> r.m.ram().mmio().traps()));

    /** The document: the entries in order, the engine's own counters, then the POST milestones. */
    static String json(Machine m, long wallNanos) {
        Run run = new Run(m, wallNanos);
        StringBuilder sb = new StringBuilder(1024);
        sb.append("{\n");
        for (Entry e : ENTRIES) {
            Object v = e.value.apply(run);
            if (e.kind == Kind.PER_INDEX) sparse(sb, e.name, (long[]) v); else field(sb, e.name, v);
        }
        for (Map.Entry<String, Long> e : m.engineCounters().entrySet()) field(sb, e.getKey(), e.getValue());
        sb.append("  \"post_milestones\": [");
        boolean first = true;
        for (PostPort.Milestone p : m.milestones()) {
            sb.append(first ? "\n" : ",\n");
            first = false;
            sb.append(String.format("    {\"code\": %d, \"icount\": %d, \"host_ns\": %d}",
                    p.code(), p.icount(), p.hostNanos() - m.hostStartNanos()));
        }
        sb.append(first ? "]\n" : "\n  ]\n");
        sb.append("}\n");
        return sb.toString();
    }

    /**
     * The counters of {@link #json} without the report-only fields (wall time, idle time, host
     * times of milestones, settings): under --icount two runs of one guest give equal maps.
     * Per-index counters appear as "name[i]" for their non-zero entries.
     */
    static Map<String, Long> counters(Machine m) {
        Run run = new Run(m, 0);
        Map<String, Long> c = new java.util.LinkedHashMap<>();
        for (Entry e : ENTRIES) {
            switch (e.kind) {
                case COUNTER -> c.put(e.name, (Long) e.value.apply(run));
                case PER_INDEX -> sparse(c, e.name, (long[]) e.value.apply(run));
                case REPORT_ONLY -> { }
            }
        }
        return c;
    }

    /** Names of the counters in registry order (per-index ones without an index): for tests. */
    static List<String> counterNames() {
        return ENTRIES.stream().filter(e -> e.kind != Kind.REPORT_ONLY).map(Entry::name).toList();
    }

    private static void sparse(Map<String, Long> c, String name, long[] counts) {
        for (int i = 0; i < counts.length; i++) if (counts[i] != 0) c.put(name + "[" + i + "]", counts[i]);
    }

    private static void field(StringBuilder sb, String name, Object v) {
        sb.append("  \"").append(name).append("\": ").append(v).append(",\n");
    }

    /** An object of the non-zero counters, keyed by index. */
    private static void sparse(StringBuilder sb, String name, long[] counts) {
        sb.append("  \"").append(name).append("\": {");
        boolean first = true;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) continue;
            sb.append(first ? "" : ", ").append('"').append(i).append("\": ").append(counts[i]);
            first = false;
        }
        sb.append("},\n");
    }
}
