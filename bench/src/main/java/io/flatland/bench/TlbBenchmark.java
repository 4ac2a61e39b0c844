package io.flatland.bench;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.IoBus;
import io.flatland.mmu.MmioBus;
import io.flatland.mmu.Mmu;
import io.flatland.mmu.PhysicalMemory;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The memory-access paths every guest load takes: a TLB hit (tag compare + off-heap read),
 * a TLB miss that walks two levels of page tables, and a store through the fast path.
 * One operation = one guest access.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
public class TlbBenchmark {
    private static final int PD = 0x1000, PT = 0x2000, PAGES = 256;

    private PhysicalMemory ram;
    private Mmu mmu;
    private Cpu cpu;
    private int lin;

    @Setup
    public void setUp() {
        ram = new PhysicalMemory(16L << 20, new MmioBus());
        mmu = new Mmu(ram);
        cpu = new Cpu(mmu, new IoBus());
        ram.write32(PD + 4, PT | 7);
        for (int i = 0; i < PAGES; i++) ram.write32(PT + 4 * i, (0x300000 + (i << 12)) | 7);
        mmu.setCr3(PD);
        mmu.setCr0(Mmu.CR0_PE | Mmu.CR0_PG);
    }

    @TearDown
    public void tearDown() { ram.close(); }

    /** Reads walk over 256 pages already in the TLB. */
    @Benchmark
    public int readHit() {
        lin = (lin + 0x1004) & 0xFFFFC;
        return cpu.readLin32(0x400000 + lin);
    }

    @Benchmark
    public void writeHit() {
        lin = (lin + 0x1004) & 0xFFFFC;
        cpu.writeLin32(0x400000 + lin, lin);
    }

    /** Every read misses: the entry is dropped first, so each access walks PDE and PTE. */
    @Benchmark
    public int readMissWalk() {
        lin = (lin + 0x1004) & 0xFFFFC;
        int a = 0x400000 + lin;
        mmu.invlpg(a);
        return cpu.readLin32(a);
    }

    /**
     * A microkernel address-space switch: CR3 reload, then 32 pages touched again (each a
     * miss and a walk). One operation = the reload plus the 32 refills.
     */
    @Benchmark
    public int cr3ReloadAndRefill32() {
        mmu.setCr3(PD);
        int sum = 0;
        for (int p = 0; p < 32; p++) sum += cpu.readLin32(0x400000 + (p << 12));
        return sum;
    }
}
