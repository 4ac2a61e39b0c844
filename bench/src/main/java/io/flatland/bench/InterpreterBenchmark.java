package io.flatland.bench;

import io.flatland.machine.Accel;
import io.flatland.machine.Machine;
import io.flatland.machine.RunResult;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The execution engines on a fixed instruction mix, through the embeddable Machine API.
 * One invocation retires exactly {@link #INSNS} guest instructions and JMH counts each as
 * an operation, so the score in ops/us is millions of guest instructions per second (MIPS).
 *
 * <ul>
 * <li>{@code regMemLoop}: {@link GuestCode#REG_MEM_LOOP}, loads, stores, read-modify-write,
 *     ALU and a counted loop; with {@code accel=jit} this is one translated hot block.</li>
 * <li>{@code blockChain}: eight three-instruction blocks jumping to each other; with
 *     {@code accel=jit} it measures block lookup and chaining, with {@code interp} the
 *     branch-heavy decoded-instruction path.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xss4m"})
public class InterpreterBenchmark {
    static final int INSNS = 1_000_000;

    @Param({"interp", "jit"})
    public String accel;

    private Machine loop, chain;

    @Setup
    public void setUp() {
        loop = GuestCode.machine(GuestCode.REG_MEM_LOOP, Accel.parse(accel));
        chain = GuestCode.machine(GuestCode.blockChain(), Accel.parse(accel));
    }

    @TearDown
    public void tearDown() {
        loop.close();
        chain.close();
    }

    @Benchmark
    @OperationsPerInvocation(INSNS)
    public long regMemLoop() {
        return check(loop, loop.cpu().icount, loop.run(INSNS));
    }

    @Benchmark
    @OperationsPerInvocation(INSNS)
    public long blockChain() {
        return check(chain, chain.cpu().icount, chain.run(INSNS));
    }

    private static long check(Machine m, long before, RunResult r) {
        if (r.outcome() != RunResult.Outcome.BUDGET) throw new IllegalStateException("guest loop ended: " + r);
        long n = m.cpu().icount - before;
        if (n != INSNS) throw new IllegalStateException("retired " + n + " instructions instead of " + INSNS);
        return m.cpu().icount;
    }
}
