package io.flatland.bench;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Decoder;
import io.flatland.cpu.Insn;
import io.flatland.machine.Accel;
import io.flatland.machine.Machine;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The decoder alone on a fixed byte stream of 20 varied instructions in guest RAM
 * ({@link GuestCode#DECODE_STREAM}). One operation = one instruction decoded (fetch through
 * the TLB included), so ns/op is the cost a cold (uncached) instruction pays for decoding.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xss4m"})
public class DecoderBenchmark {
    private Machine machine;
    private Cpu cpu;
    private final Insn insn = new Insn();
    private int offset;

    @Setup
    public void setUp() {
        machine = GuestCode.machine(GuestCode.DECODE_STREAM, Accel.INTERP);
        cpu = machine.cpu();
    }

    @TearDown
    public void tearDown() { machine.close(); }

    @Benchmark
    public int decode() {
        Decoder.decode(cpu, GuestCode.ENTRY + offset, insn);
        int next = offset + insn.len;
        offset = next >= GuestCode.DECODE_STREAM.length ? 0 : next;
        return insn.len;
    }
}
