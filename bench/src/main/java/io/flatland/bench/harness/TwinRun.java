package io.flatland.bench.harness;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Flags;
import io.flatland.machine.Accel;
import io.flatland.machine.Machine;
import io.flatland.machine.MachineConfig;
import io.flatland.machine.MachineType;
import io.flatland.machine.RunResult;
import io.flatland.machine.loader.BadImageException;
import io.flatland.machine.loader.LinuxSetupHeader;
import io.flatland.mmu.PhysicalMemory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * {@code flatland bench twin [--instructions N] [--every K] [--memory-every M] -- QEMU-OPTIONS}:
 * the same guest on two machines in one process, {@code -accel interp} and {@code -accel jit},
 * both under {@code --icount}, stopped every K instructions to compare their state: the
 * general registers, EIP, EFLAGS, segment selectors and bases, control registers, the
 * instruction count, the serial output so far, and every M instructions a CRC of all of RAM.
 * Both machines get the same empty serial input. Prints the first interval at which they
 * differ (and what differs), or how far they agreed; exits 1 on a difference.
 *
 * <p>The guest options are a subset of the emulator's: {@code -kernel}, {@code -initrd},
 * {@code -append}, {@code -m} (MiB), {@code -machine pc|isapc}.
 */
final class TwinRun {
    private TwinRun() { }

    static final String USAGE = "usage: flatland bench twin [--instructions N] [--every K] [--memory-every M] -- "
            + "-kernel FILE [-initrd FILE] [-append TEXT] [-m MIB] [-machine pc|isapc]";

    static int main(List<String> args, Path cwd, PrintStream out) throws IOException, BadImageException {
        long total = 100_000_000, every = 1_000_000, memoryEvery = 10_000_000;
        int sep = args.indexOf("--");
        if (sep < 0) throw new IllegalArgumentException("bench twin needs '--' before the guest's options; " + USAGE);
        for (int i = 0; i < sep; i++) {
            String a = args.get(i);
            if (i + 1 >= sep) throw new IllegalArgumentException(a + " needs a value; " + USAGE);
            long v = Long.parseLong(args.get(++i).replace("_", ""));
            if (v <= 0) throw new IllegalArgumentException(a + " must be positive");
            switch (a) {
                case "--instructions" -> total = v;
                case "--every" -> every = v;
                case "--memory-every" -> memoryEvery = v;
                default -> throw new IllegalArgumentException("unknown option " + a + "; " + USAGE);
            }
        }
        List<String> guest = args.subList(sep + 1, args.size());
        ByteArrayOutputStream serialInterp = new ByteArrayOutputStream(), serialJit = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        try (Machine interp = new Machine(config(guest, cwd, Accel.INTERP, serialInterp));
             Machine jit = new Machine(config(guest, cwd, Accel.JIT, serialJit))) {
            long done = 0, nextMemory = memoryEvery, memoryChecks = 0;
            while (done < total) {
                long step = Math.min(every, total - done);
                RunResult ri = interp.run(step), rj = jit.run(step);
                done = interp.cpu().icount;
                String diff = differences(interp, jit, serialInterp, serialJit);
                if (diff.isEmpty() && ri.outcome() != rj.outcome()) diff = "run outcome " + ri.outcome() + " vs " + rj.outcome();
                boolean memoryDue = done >= nextMemory || ri.outcome() != RunResult.Outcome.BUDGET;
                if (diff.isEmpty() && memoryDue) {
                    memoryChecks++;
                    nextMemory += memoryEvery;
                    long ci = ramCrc(interp.ram()), cj = ramCrc(jit.ram());
                    if (ci != cj) diff = String.format("RAM CRC32C %08x vs %08x", ci, cj);
                }
                if (!diff.isEmpty()) {
                    out.printf("twin: DIFFERENT after %,d instructions (the previous check, %,d, agreed): %s%n",
                            done, Math.max(0, done - step), diff);
                    return 1;
                }
                if (ri.outcome() != RunResult.Outcome.BUDGET) {
                    out.printf("twin: both ended (%s) after %,d instructions%n", ri.outcome(), done);
                    break;
                }
            }
            out.printf("twin: interp and jit agree at every %,d instructions up to %,d (registers, EFLAGS, segments, "
                    + "control registers, serial output: %,d bytes; all of RAM %d times); %.1f s%n",
                    every, done, serialInterp.size(), memoryChecks, (System.nanoTime() - t0) / 1e9);
            out.printf("twin: the JIT translated %s regions%n", jit.engineCounters().getOrDefault("jit_translations", 0L));
            return 0;
        }
    }

    private static MachineConfig config(List<String> guest, Path cwd, Accel accel, ByteArrayOutputStream serial)
            throws IOException, BadImageException {
        MachineConfig.Builder b = MachineConfig.builder();
        String kernel = null, initrd = null;
        for (int i = 0; i < guest.size(); i++) {
            String a = guest.get(i).startsWith("--") ? guest.get(i).substring(1) : guest.get(i);
            if (i + 1 >= guest.size()) throw new IllegalArgumentException(a + " needs a value; " + USAGE);
            String v = guest.get(++i);
            switch (a) {
                case "-kernel" -> kernel = v;
                case "-initrd" -> initrd = v;
                case "-append" -> b.append(v);
                case "-m" -> b.ramMiB(Long.parseLong(v.endsWith("M") ? v.substring(0, v.length() - 1) : v));
                case "-machine", "-M" -> b.machine(MachineType.parse(v));
                default -> throw new IllegalArgumentException("bench twin: guest option " + a + " is not supported; " + USAGE);
            }
        }
        if (kernel == null) throw new IllegalArgumentException("no -kernel; " + USAGE);
        Path k = cwd.resolve(kernel);
        byte[] image = Files.readAllBytes(k);
        b.kernel(kernel, image);
        if (initrd != null) {
            if (LinuxSetupHeader.isLinux(image)) b.module(initrd, Files.readAllBytes(cwd.resolve(initrd)));
            else b.initrd(initrd, cwd);
        }
        return b.accel(accel).icount(true).noReboot(true).serialOutput(serial)
                .serialInput(new java.io.ByteArrayInputStream(new byte[0])).notes(new PrintStream(java.io.OutputStream.nullOutputStream()))
                .build();
    }

    /** What differs between the two machines' visible state, or "" when nothing does. */
    static String differences(Machine a, Machine b, ByteArrayOutputStream sa, ByteArrayOutputStream sb) {
        Cpu x = a.cpu(), y = b.cpu();
        StringBuilder d = new StringBuilder();
        if (x.icount != y.icount) d.append(String.format("icount %d vs %d; ", x.icount, y.icount));
        if (x.eip != y.eip) d.append(String.format("EIP %08x vs %08x; ", x.eip, y.eip));
        String[] names = {"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"};
        for (int r = 0; r < 8; r++) {
            if (x.reg[r] != y.reg[r]) d.append(String.format("%s %08x vs %08x; ", names[r], x.reg[r], y.reg[r]));
        }
        int fx = Flags.get(x), fy = Flags.get(y);
        if (fx != fy) d.append(String.format("EFLAGS %08x vs %08x; ", fx, fy));
        if (!Arrays.equals(x.segSel, y.segSel)) d.append("segment selectors ").append(Arrays.toString(x.segSel))
                .append(" vs ").append(Arrays.toString(y.segSel)).append("; ");
        if (!Arrays.equals(x.segBase, y.segBase)) d.append("segment bases differ; ");
        if (x.mmu.cr0() != y.mmu.cr0() || x.mmu.cr3() != y.mmu.cr3() || x.mmu.cr4() != y.mmu.cr4() || x.cr2 != y.cr2) {
            d.append("control registers differ; ");
        }
        if (x.halted != y.halted) d.append("halted ").append(x.halted).append(" vs ").append(y.halted).append("; ");
        if (!Arrays.equals(sa.toByteArray(), sb.toByteArray())) d.append(String.format("serial output (%d vs %d bytes); ", sa.size(), sb.size()));
        return d.toString();
    }

    /** CRC32C of all of RAM, 1 MiB at a time. */
    static long ramCrc(PhysicalMemory ram) {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 20];
        for (long pa = 0; pa < ram.size(); pa += buf.length) {
            int n = (int) Math.min(buf.length, ram.size() - pa);
            ram.store(pa, buf, 0, n);
            crc.update(buf, 0, n);
        }
        return crc.getValue();
    }
}
