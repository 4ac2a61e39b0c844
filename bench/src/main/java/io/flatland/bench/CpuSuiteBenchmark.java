package io.flatland.bench;

import io.flatland.machine.Accel;
import io.flatland.machine.Machine;
import io.flatland.machine.MachineConfig;
import io.flatland.machine.RunResult;
import org.openjdk.jmh.annotations.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Macro: each bench/cpu-suite kernel (packed into the bench jar from bench/cpu-suite/prebuilt)
 * run to completion in-process through the Machine API, -m 128M, --icount (every run retires
 * exactly the same instructions). The machine is built and the kernel loaded in an
 * iteration-level @Setup, outside the measured region; the measured region is
 * {@code Machine.run()} up to the guest's isa-debug-exit. The run is checked: status 33 and
 * the serial line equal to prebuilt/NAME.expected, or the benchmark fails.
 *
 * <p>These run for many seconds each under the interpreter (the workloads take 0.2-1 s
 * natively): the defaults are 1 warm-up and 3 measured runs in 1 fork; override with JMH
 * options (-wi, -i, -f).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xss4m"})
public class CpuSuiteBenchmark {
    @Param({"alu", "crc", "sieve", "matmul", "qsort", "bytecode", "memcpy", "ptrchase", "hashtab", "lz",
            "strsearch", "recurse", "dispatch", "narrow", "bits", "float", "addrmodes", "bigcode"})
    public String kernel;

    @Param({"interp", "jit"})
    public String accel;

    private byte[] image;
    private String expected;
    private Machine machine;
    private ByteArrayOutputStream serial;

    @Setup(Level.Trial)
    public void load() throws IOException {
        image = resource(kernel + ".elf");
        expected = new String(resource(kernel + ".expected"), StandardCharsets.US_ASCII).trim();
    }

    @Setup(Level.Iteration)
    public void boot() throws Exception {
        serial = new ByteArrayOutputStream();
        machine = new Machine(MachineConfig.builder().ramMiB(128).icount(true).accel(Accel.parse(accel))
                .kernel(kernel + ".elf", image).noReboot(true).serialOutput(serial).build());
    }

    @TearDown(Level.Iteration)
    public void check() {
        machine.close();
        String out = serial.toString(StandardCharsets.US_ASCII).trim();
        if (!out.equals(expected)) throw new IllegalStateException(kernel + " printed '" + out + "', expected '" + expected + "'");
    }

    @Benchmark
    public long run() {
        RunResult r = machine.run();
        if (r.outcome() != RunResult.Outcome.DEBUG_EXIT || r.exitStatus() != 33) {
            throw new IllegalStateException(kernel + " ended with " + r);
        }
        return machine.cpu().icount;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream s = CpuSuiteBenchmark.class.getResourceAsStream("/cpu-suite/" + name)) {
            if (s == null) throw new IOException("bench jar lacks /cpu-suite/" + name);
            return s.readAllBytes();
        }
    }
}
