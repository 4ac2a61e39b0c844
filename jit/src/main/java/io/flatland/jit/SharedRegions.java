package io.flatland.jit;

import io.flatland.cpu.Cpu;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Translations shared by every machine of one JVM ({@link #JVM}): a second boot in the same
 * process (JMH, the gate, an application that boots many times) runs code HotSpot has already
 * compiled from its first hot instructions, instead of translating and compiling it again.
 *
 * <p>A generated region depends on nothing but its instructions (their bytes decoded with
 * CS.D), their EIPs and the segments it assumed flat (see {@link Translator#generate}): no
 * physical address, no machine object. So an entry here is keyed by what the region was read
 * from: the linear address and EIP of its entry, and it is taken by a machine only if every
 * byte of every instruction, read through that machine's fetch TLB now, equals the bytes the
 * region was translated from, the code size is the same and the segments it assumed flat are
 * flat. The machine then makes its own instance of the region's class ({@link Block#fresh}):
 * physical pages, code-cache links, liveness and profile are per machine, so a machine that
 * writes its code kills only its own instance, as for any translation of its own.
 *
 * <p>Bounded: past {@link #MAX_REGIONS} regions everything is dropped (instances in use keep
 * running; the classes go when the last is gone). Safe for machines on several threads.
 */
public final class SharedRegions {
    /** The translations of this JVM's machines. */
    public static final SharedRegions JVM = new SharedRegions(4096);

    /** What a region was translated from, read on the CPU's thread when it was scanned. */
    record Source(int lin, int eip, boolean code32, int flatSegs, int[] eips, byte[] lens, byte[] bytes) { }

    /**
     * A published region: its source, a pristine instance (never run) holding the code facts,
     * and whether its code reaches into the page after the entry's.
     */
    record Region(Source source, Block template, boolean twoPages) { }

    final int maxRegions;
    private final ConcurrentHashMap<Long, Region[]> byEntry = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    private final AtomicInteger machines = new AtomicInteger();

    public SharedRegions(int maxRegions) {
        this.maxRegions = maxRegions;
    }

    /**
     * Counts a machine's engine; true from the second on. Only then does an engine look for
     * translations here and offer its own warm code (see {@link JitEngine#reported}): a JVM
     * that has started two machines is likely to start more, one that has started one (the
     * command line) must not pay for what only later machines would use.
     */
    boolean started() {
        return machines.incrementAndGet() > 1;
    }

    /** Linear address and EIP (as the CS base, zero in flat code): Long's hash is then the linear address. */
    private static Long key(int lin, int eip) {
        return (long) lin << 32 | (lin - eip) & 0xFFFFFFFFL;
    }

    /** Regions published so far and still held. */
    public int size() { return count.get(); }

    /**
     * The bytes of a scanned region's instructions at CS:{@code eips} now, or null if a byte
     * is not in the fetch TLB (then the region is not shared). Reads only through existing
     * fetch entries, as the scanner did, so it leaves no trace in the guest.
     */
    static Source capture(Cpu cpu, BlockScanner.Scan scan, int eip, int lin) {
        int n = scan.size();
        int[] eips = java.util.Arrays.copyOf(scan.eips, n);
        byte[] lens = new byte[n];
        int total = 0;
        for (int k = 0; k < n; k++) {
            lens[k] = (byte) scan.insns.get(k).len;
            total += lens[k];
        }
        byte[] bytes = new byte[total];
        int base = cpu.segBase[Cpu.CS], p = 0;
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < lens[k]; i++) {
                int a = base + eips[k] + i;
                if (cpu.fetchSlot(a) < 0) return null;
                bytes[p++] = (byte) cpu.fetchLin8(a);
            }
        }
        return new Source(lin, eip, cpu.code32, scan.flatSegs, eips, lens, bytes);
    }

    /**
     * Publishes region {@code built}, translated from {@code source}. A pristine instance
     * takes its code facts; the built one stays its machine's.
     */
    void publish(Source source, Block built) {
        if (source == null || built == null) return;
        Block template = built.fresh();
        template.copyCode(built);
        Region r = new Region(source, template, built.phys2 >= 0);
        if (count.incrementAndGet() > maxRegions) {
            byEntry.clear();
            count.set(1);
        }
        byEntry.merge(key(source.lin(), source.eip()), new Region[] {r}, (old, one) -> {
            // Newest first: a region grown from its exit profile replaces the one it grew from.
            Region[] a = new Region[Math.min(old.length + 1, 4)];
            a[0] = one[0];
            System.arraycopy(old, 0, a, 1, a.length - 1);
            return a;
        });
    }

    /**
     * A region published for CS:{@code eip} (linear {@code lin}) whose source equals the code
     * there now, in the CPU's present code size and with the segments it assumed flat still
     * flat; null if none. The caller makes its own instance of it.
     */
    Region find(Cpu cpu, int lin, int eip) {
        Region[] rs = byEntry.get(key(lin, eip));
        if (rs == null) return null;
        int flat = BlockScanner.flatSegments(cpu);
        for (Region r : rs) {
            Source s = r.source();
            if (s.code32() != cpu.code32 || (flat & s.flatSegs()) != s.flatSegs()) continue;
            if (sameCode(cpu, s)) return r;
        }
        return null;
    }

    private static boolean sameCode(Cpu cpu, Source s) {
        int base = cpu.segBase[Cpu.CS], p = 0;
        int[] eips = s.eips();
        byte[] lens = s.lens(), bytes = s.bytes();
        int page = -1;
        for (int k = 0; k < eips.length; k++) {
            for (int i = 0; i < lens[k]; i++) {
                int a = base + eips[k] + i;
                if ((a & 0xFFFFF000) != page) {
                    if (cpu.fetchSlot(a) < 0) return false;
                    page = a & 0xFFFFF000;
                }
                if ((byte) cpu.fetchLin8(a) != bytes[p++]) return false;
            }
        }
        return true;
    }
}
