package io.flatland.machine.kernelmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The host-side reference of every kernel-model workload (docs/kernel-model-spec.md §7, formulas in
 * kernel-model/README.md): the deterministic {@code value} and the FNV-1a {@code checksum}
 * over the little-endian bytes of the listed 32-bit values. Computed independently of the
 * guest so that a transcript agreeing between QEMU and Flatland is also checked for being
 * right.
 */
final class WorkloadReference {
    private WorkloadReference() { }

    static final long M32 = 0xFFFFFFFFL;
    static final long GOLDEN = 0x9E3779B9L;

    static final Map<String, Long> DEFAULT_N = Map.of("boot", 0L, "forkstorm", 1000L, "pfstorm", 4096L,
            "cow", 1024L, "ipc", 100000L, "mmap", 10000L, "brk", 10000L, "crash", 3L, "cpu", 10000000L, "segv", 1L);

    record Result(long value, long checksum) { }

    static long fnv(List<Long> values) {
        long h = 0x811C9DC5L;
        for (long v : values) {
            for (int i = 0; i < 4; i++) {
                h ^= (v >>> (8 * i)) & 0xFF;
                h = (h * 0x01000193L) & M32;
            }
        }
        return h;
    }

    static Result of(String workload, long n) {
        List<Long> vals = new ArrayList<>();
        long value;
        switch (workload) {
            case "boot" -> {
                value = 4;
                vals.addAll(List.of(0L, 1L, 2L, 3L));
            }
            case "forkstorm" -> {
                long sum = 0;
                for (long i = 0; i < n; i++) {
                    long st = (i * 7 + 3) & 0xFF;
                    vals.add(st);
                    sum += st;
                }
                value = sum & M32;
            }
            case "pfstorm" -> {
                for (long i = 0; i < n; i++) vals.add((i * GOLDEN) & M32);
                value = 0;
            }
            case "cow" -> {
                // Parent's values after the child exits, then the child's status (0 mismatches).
                for (long i = 0; i < n; i++) vals.add((i * GOLDEN) & M32);
                if (n > 0) vals.add(0L);
                value = 0;
            }
            case "ipc" -> {
                long last = 0;
                for (long i = 0; i < n; i++) {
                    long rep = (i * 31 + 7) & M32;
                    if (i % 1024 == 0) vals.add(rep);
                    last = rep;
                }
                value = last;
            }
            case "mmap" -> {
                // The highest free gap ends at the stack region (0xEF800000) less a guard page.
                for (long i = 0; i < n; i++) vals.add(0xEF7FF000L - ((i % 8) + 1) * 4096);
                value = 0;
            }
            case "brk" -> {
                long cur = 0;
                for (long i = 0; i < n; i++) {
                    vals.add(cur);
                    cur += 4096 * ((i % 4) + 1);
                    if (i % 16 == 15) cur = 0;
                }
                value = cur;
            }
            case "crash" -> {
                for (long r = 0; r < n; r++) {
                    vals.add(r + 1);          // restarts seen
                    vals.add(2L);             // SEF init type RESTART
                }
                value = n;
            }
            case "cpu" -> {
                // The running sum is reduced every 4096 steps, so it stays below 2^45 and a
                // signed long holds it exactly.
                long x = 0x12345678L;
                long sum = 0;
                for (long i = 0; i < n; i++) {
                    x ^= (x << 13) & M32;
                    x ^= x >>> 17;
                    x ^= (x << 5) & M32;
                    sum += x;
                    if ((i & 4095) == 4095) sum = sum / 1000003 + sum % 1000003;
                }
                vals.addAll(List.of(x, sum & M32, sum >>> 32));
                value = x;
            }
            case "segv" -> {
                for (long i = 0; i < n; i++) vals.add(11L);
                value = 11 * n;
            }
            default -> throw new IllegalArgumentException("no reference for workload " + workload);
        }
        return new Result(value, fnv(vals));
    }
}
