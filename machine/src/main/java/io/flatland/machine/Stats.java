package io.flatland.machine;

import io.flatland.cpu.Cpu;
import io.flatland.machine.devices.PostPort;

/** The --stats JSON document, written by hand (it is small and flat). */
final class Stats {
    private Stats() { }

    static String json(Machine m, long wallNanos) {
        Cpu cpu = m.cpu();
        StringBuilder sb = new StringBuilder(1024);
        sb.append("{\n");
        field(sb, "retired_instructions", cpu.icount);
        field(sb, "wall_time_ns", wallNanos);
        // Guest instructions per host microsecond of the run (JVM start-up excluded, as wall_time_ns).
        field(sb, "guest_mips", wallNanos > 0 ? String.format(java.util.Locale.ROOT, "%.1f", cpu.icount * 1e3 / wallNanos) : "0");
        // CPU time of the thread writing this (the one that ran the machine; for the CLI the
        // main thread, so JVM start-up is included): ns resolution, unaffected by waiting for a core.
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        field(sb, "thread_cpu_ns", threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1);
        field(sb, "virtual_time_ns", m.clock().nowNs());
        field(sb, "idle_ns", m.platform().idleNs());
        field(sb, "icount_mode", m.clock().icountMode());
        field(sb, "tlb_misses", m.mmu().tlb.misses);
        field(sb, "tlb_flushes", m.mmu().tlb.flushes);
        field(sb, "page_walks", m.mmu().walker.walks);
        field(sb, "page_faults", m.mmu().walker.pageFaults);
        field(sb, "cr3_loads", m.mmu().cr3Loads);
        field(sb, "code_invalidations", m.mmu().codeWatch.invalidations);
        field(sb, "io_operations", m.io().operations());
        field(sb, "mmio_accesses", m.ram().mmio().accesses());
        field(sb, "resets", m.resets());
        sparse(sb, "exceptions_by_vector", cpu.exceptionsByVector);
        sparse(sb, "interrupts_by_vector", cpu.interruptsByVector);
        sparse(sb, "interrupts_by_line", m.pic().acknowledgedByLine());
        field(sb, "spurious_interrupts", m.pic().spurious());
        for (java.util.Map.Entry<String, Long> e : m.engineCounters().entrySet()) field(sb, e.getKey(), e.getValue());
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
     * The counters of {@link #json} without the host-dependent ones (wall time, idle time,
     * host times of milestones): under --icount two runs of one guest give equal maps.
     * Sparse per-vector/per-line counters appear as "name[i]".
     */
    static java.util.Map<String, Long> counters(Machine m) {
        Cpu cpu = m.cpu();
        java.util.Map<String, Long> c = new java.util.LinkedHashMap<>();
        c.put("retired_instructions", cpu.icount);
        c.put("virtual_time_ns", m.clock().nowNs());
        c.put("tlb_misses", m.mmu().tlb.misses);
        c.put("tlb_flushes", m.mmu().tlb.flushes);
        c.put("page_walks", m.mmu().walker.walks);
        c.put("page_faults", m.mmu().walker.pageFaults);
        c.put("cr3_loads", m.mmu().cr3Loads);
        c.put("code_invalidations", m.mmu().codeWatch.invalidations);
        c.put("io_operations", m.io().operations());
        c.put("mmio_accesses", m.ram().mmio().accesses());
        c.put("resets", m.resets());
        sparse(c, "exceptions_by_vector", cpu.exceptionsByVector);
        sparse(c, "interrupts_by_vector", cpu.interruptsByVector);
        sparse(c, "interrupts_by_line", m.pic().acknowledgedByLine());
        c.put("spurious_interrupts", m.pic().spurious());
        return c;
    }

    private static void sparse(java.util.Map<String, Long> c, String name, long[] counts) {
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
