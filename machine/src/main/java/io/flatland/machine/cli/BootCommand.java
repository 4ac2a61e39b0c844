package io.flatland.machine.cli;

import io.flatland.machine.DemoKernel;
import io.flatland.machine.Machine;
import io.flatland.machine.MachineConfig;
import io.flatland.machine.RunResult;
import io.flatland.machine.devices.PostPort;
import io.flatland.machine.loader.BadImageException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code flatland boot}: boots the kernel model packaged in the jar (/kernel-model/kernel
 * with modules pm, rs, vm, echo, init, as docs/kernel-model-spec.md §2.1 invokes it under QEMU) with
 * -m 128M and {@code -append "workload=W n=N ..."}, shows its console, then a boot-time
 * summary built from the POST milestones. The guest's isa-debug-exit statuses 33/35/37
 * (success/failure/panic) become 0/1/3.
 */
final class BootCommand {
    static final String RESOURCE_DIR = "/kernel-model/";
    static final List<String> MODULES = List.of("pm", "rs", "vm", "echo", "init");

    private BootCommand() { }

    static int run(List<String> args, InputStream in, PrintStream out, PrintStream err, Path cwd)
            throws UsageException, BadImageException {
        Options o = Options.parse(args, true);
        if (o.help) {
            out.print(Main.USAGE);
            return 0;
        }
        if (o.logHelp) {
            out.print(io.flatland.machine.log.LogItems.help());
            return 0;
        }
        if (o.kernel != null || o.initrd != null) throw new UsageException("'flatland boot' boots its own kernel: drop -kernel/-initrd");
        MachineConfig.Builder b = MachineConfig.builder();
        byte[] kernel = resource("kernel");
        boolean demo = kernel == null;
        String append = appendFor(o);
        if (demo) {
            err.println("flatland: this build has no kernel model (kernel-model/prebuilt was empty); booting the built-in demo kernel");
            b.kernel("demo-kernel", DemoKernel.image()).append(ByteStrings.bytes(append));
        } else {
            // Names as in the QEMU invocation: the kernel checks each module's basename.
            b.kernel("kernel-model/kernel", kernel).append(ByteStrings.bytes(append));
            for (String name : MODULES) {
                byte[] data = resource(name);
                if (data == null) throw new BadImageException("the jar has the kernel model's kernel but not its module '" + name + "'");
                b.module("kernel-model/" + name, data);
            }
        }
        RunResult result = Main.bootAnd(o, b, in, out, err, cwd,
                (m, r, wall) -> summary(m, r, wall, append, demo, o, out));
        return mapStatus(result);
    }

    /** The -append string, a byte string: "workload=W n=N syscall=S" then the user's own text. */
    static String appendFor(Options o) {
        StringBuilder sb = new StringBuilder("workload=").append(o.workload == null ? "boot" : o.workload);
        if (o.n != null) sb.append(" n=").append(o.n);
        if (o.syscall != null) sb.append(" syscall=").append(o.syscall);
        if (o.append != null && !o.append.isBlank()) sb.append(' ').append(o.append);
        return sb.toString();
    }

    static int mapStatus(RunResult r) {
        if (r.outcome() != RunResult.Outcome.DEBUG_EXIT) return r.exitStatus();
        return switch (r.exitStatus()) {
            case 33 -> 0;   // v = 0x10: success
            case 35 -> 1;   // v = 0x11: failure
            case 37 -> 3;   // v = 0x12: panic
            default -> r.exitStatus();
        };
    }

    private static byte[] resource(String name) {
        try (InputStream s = BootCommand.class.getResourceAsStream(RESOURCE_DIR + name)) {
            return s == null ? null : s.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Prints the milestones. Built by hand, not with printf: this runs after the guest has asked
     * to exit, and in a JVM that has not formatted anything yet java.util.Formatter took about
     * 15 ms (its classes and patterns), all of it between the guest's exit and the process's.
     */
    private static void summary(Machine m, RunResult r, long wall, String append, boolean demo, Options o, PrintStream out) {
        out.flush();
        StringBuilder b = new StringBuilder(1024);
        b.append("\n== flatland boot: ").append(demo ? "demo kernel" : "kernel model").append(", -append \"")
                .append(ByteStrings.display(append)).append("\", -m ").append(o.ramBytes >> 20).append("M, ")
                .append(o.accel.name().toLowerCase()).append(", ").append(o.icount ? "icount" : "real time").append(" ==\n");
        List<PostPort.Milestone> ms = m.milestones();
        long start = m.hostStartNanos();
        PostPort.Milestone first01 = null, first07 = null;
        for (PostPort.Milestone p : ms) {
            b.append("  post ").append(hex2(p.code())).append("  ").append(pad(millis(p.hostNanos() - start), 10))
                    .append(" ms  ").append(pad(grouped(p.icount()), 15)).append(" insns  ").append(meaning(p.code())).append('\n');
            if (p.code() == 0x01 && first01 == null) first01 = p;
            if (p.code() == 0x07 && first07 == null) first07 = p;
        }
        if (first01 != null && first07 != null) {
            b.append("  boot time (post 01 -> 07): ").append(millis(first07.hostNanos() - first01.hostNanos())).append(" ms, ")
                    .append(grouped(first07.icount() - first01.icount())).append(" instructions\n");
        }
        b.append("  total: ").append(millis(wall)).append(" ms wall, ").append(grouped(m.cpu().icount)).append(" instructions, ")
                .append(r.outcome().name().toLowerCase().replace('_', ' ')).append(", exit status ").append(mapStatus(r)).append('\n');
        out.print(b);
        out.flush();
    }

    /** Nanoseconds as milliseconds with three decimals, rounded half up ("12.346"). */
    static String millis(long nanos) {
        long us = Math.round(nanos / 1e3);
        String sign = us < 0 ? "-" : "";
        us = Math.abs(us);
        long frac = us % 1000;
        return sign + us / 1000 + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
    }

    /** A count with thousands separated by commas ("1,234,567"). */
    static String grouped(long v) {
        String d = Long.toString(Math.abs(v));
        StringBuilder b = new StringBuilder(v < 0 ? "-" : "");
        for (int i = 0; i < d.length(); i++) {
            if (i > 0 && (d.length() - i) % 3 == 0) b.append(',');
            b.append(d.charAt(i));
        }
        return b.toString();
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    static String hex2(int v) {
        String h = Integer.toHexString(v);
        return h.length() < 2 ? "0" + h : h;
    }

    /** docs/kernel-model-spec.md §6.1's names for the POST codes. */
    static String meaning(int code) {
        return switch (code) {
            case 0x01 -> "multiboot entry";
            case 0x02 -> "paging on";
            case 0x03 -> "kmain running high";
            case 0x04 -> "VM dispatched";
            case 0x05 -> "VM built page tables";
            case 0x06 -> "init dispatched";
            case 0x07 -> "boot complete";
            case 0x10 -> "workload start";
            case 0x11 -> "workload end";
            case 0x20 -> "service restarted";
            case 0x7E -> "shutdown (success)";
            case 0x7F -> "shutdown (failure)";
            case 0xE0 -> "kernel panic";
            default -> code >= 0x12 && code <= 0x1F ? "workload phase" : "";
        };
    }
}
