package io.flatland.bench;

import io.flatland.machine.Accel;
import io.flatland.machine.Machine;
import io.flatland.cpu.IoBus;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * Device I/O round trips through the IoBus, as the CPU's OUT/IN reach them: one operation =
 * an OUT then an IN of the same register (PIC master's interrupt mask, UART scratch register).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xss4m"})
public class IoBenchmark {
    private Machine machine;
    private IoBus io;
    private int value;

    @Setup
    public void setUp() {
        machine = GuestCode.machine(GuestCode.REG_MEM_LOOP, Accel.INTERP);
        io = machine.io();
    }

    @TearDown
    public void tearDown() {
        io.out(0x21, 1, 0xFF);
        machine.close();
    }

    @Benchmark
    public int picMaskOutIn() {
        value = (value + 1) & 0xFF;
        io.out(0x21, 1, value);
        return io.in(0x21, 1);
    }

    @Benchmark
    public int uartScratchOutIn() {
        value = (value + 1) & 0xFF;
        io.out(0x3FF, 1, value);
        return io.in(0x3FF, 1);
    }
}
