package io.flatland.bench;

import io.flatland.machine.Accel;
import io.flatland.machine.KernelModel;
import io.flatland.machine.Machine;
import io.flatland.machine.MachineConfig;
import io.flatland.machine.RunResult;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * Macro: each kernel-model workload booted and run to its shutdown in-process through the
 * Machine API (the images packaged in the machine jar, -m 128M, {@code -append
 * "workload=W postlog=0"}, --icount so every run retires the same instructions). Building
 * the machine (loading kernel and modules) is an iteration-level @Setup outside the measured
 * region; the measured region is {@code Machine.run()} from the first instruction to the
 * guest's isa-debug-exit, which must say success (status 33). JMH's warm-up iterations
 * warm the emulator's own JVM code; two forks show the run-to-run spread of JIT compilation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 2, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xss4m"})
public class KernelModelBenchmark {
    @Param({"boot", "forkstorm", "pfstorm", "cow", "ipc", "mmap", "brk", "crash", "cpu", "all"})
    public String workload;

    @Param({"interp", "jit"})
    public String accel;

    private Machine machine;

    @Setup(Level.Iteration)
    public void boot() throws Exception {
        MachineConfig.Builder b = MachineConfig.builder().ramMiB(128).icount(true).accel(Accel.parse(accel))
                .noReboot(true).serialOutput(null);
        machine = new Machine(KernelModel.configure(b, "workload=" + workload + " postlog=0").build());
    }

    @TearDown(Level.Iteration)
    public void close() {
        machine.close();
    }

    @Benchmark
    public long run() {
        RunResult r = machine.run();
        if (r.outcome() != RunResult.Outcome.DEBUG_EXIT || r.exitStatus() != 33) {
            throw new IllegalStateException("workload " + workload + " ended with " + r);
        }
        return machine.cpu().icount;
    }
}
