package io.flatland.machine.cli;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.UnimplementedFeature;
import io.flatland.machine.CrashReport;
import io.flatland.machine.Machine;
import io.flatland.machine.MachineConfig;
import io.flatland.machine.RunResult;
import io.flatland.machine.gdb.GdbServer;
import io.flatland.machine.log.GuestLogger;
import io.flatland.machine.loader.BadImageException;
import io.flatland.machine.loader.ImageFile;
import io.flatland.machine.loader.InitrdOption;
import io.flatland.machine.loader.LinuxSetupHeader;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code flatland} command: QEMU's way of booting a Multiboot kernel, plus
 * {@code flatland boot} for the embedded kernel model.
 *
 * <p>Exit statuses: 0 clean shutdown, (v&lt;&lt;1)|1 from isa-debug-exit, 2 bad arguments or
 * image (one "flatland: " line on stderr), 3 triple fault under -no-reboot, 4 --max-insns
 * reached, 5 something Flatland does not implement, 6 the guest halted and nothing can wake
 * it (QEMU would hang), 7 an internal error (a bug in Flatland: one line on stderr naming a
 * crash report file, see {@link CrashReport}).
 */
public final class Main {
    public static final int EXIT_USAGE = 2;

    static final String USAGE = """
            usage: flatland -kernel FILE [options]      boot a Multiboot kernel or a Linux bzImage, as qemu-system-i386 does
                   flatland boot [boot options] [options]  boot the embedded kernel model
                   flatland linux-kit [--dir DIR]           fetch Debian's i686 kernel and busybox, build an initramfs
                   flatland bench jmh|boot|model|exit|linux|lockstep|twin|baseline ...   benchmarks (see README, Measuring)
                   flatland gate [--baseline REV] ...       performance regression gate

            QEMU options:
              -kernel FILE            Multiboot v1 kernel (ELF32, or a.out kludge), or a Linux bzImage
              -initrd "F1 ARGS,F2"    Multiboot modules, comma separated (",," is a comma); for Linux one file
              -append TEXT            kernel command line (after the kernel's file name)
              -m SIZE                 RAM: MiB, or with B/K/M/G suffix, 0x hex, fractions with a
                                      suffix (1.5G); 0 = default 128M; 2M..3584M, rounded up to 8K
              -bios FILE              run a ROM image (a multiple of 64 KiB) from the reset vector
                                      instead of a kernel; mapped below 4 GiB and (its last 128K) 1 MiB
              -serial stdio|file:PATH|null|none   COM1; a second -serial is COM2, and so on up to
                                      COM4 (default: COM1 on stdio; none leaves its port out)
              -nodefaults             no default devices: without -serial, no serial port at all
              -no-reboot              exit instead of rebooting on reset or triple fault
              -machine, -M TYPE[,pit=on][,accel=tcg]   pc (default) or isapc; -machine help
              -cpu MODEL[,+F|-F|F=on|off...]   qemu32 (default; 486 on isapc), pentium, pentium2,
                                      pentium3, 486, max, qemu64; CPUID reports only the flags
                                      Flatland implements, +F of another is refused; -cpu help
              -smp 1                  one CPU (SMP is not modelled: more is refused)
              -device isa-debug-exit,iobase=0xf4,iosize=0x04   always present at 0xF4
              -device pc-testdev | pci-testdev   kvm-unit-tests' test devices (pci-testdev: pc only)
              -device isa-debugcon[,iobase=0xe9][,readback=0xe9],chardev=ID   bytes written to the
                                      port go to the chardev; reads return the readback byte
              -chardev stdio,id=ID | file,id=ID,path=PATH   an output for isa-debugcon
              -nographic, -display none   accepted (there is no display)
              Every option may also be spelled with two dashes, and take its value after '='.
            Flatland options:
              -accel interp|jit       execution engine (default jit; QEMU's tcg means jit)
              --icount                virtual time from instructions (1 insn = 1 ns): repeatable runs;
                                      QEMU's -icount shift=0 and -icount auto mean the same, other
                                      shifts are refused
              --max-insns N           stop after N instructions (exit status 4)
              -gdb tcp::PORT | tcp:HOST:PORT   gdb remote stub (localhost unless HOST is given)
              -s                      the same as -gdb tcp::1234
              -S                      do not start the CPU until the debugger continues it
              -d ITEM,...             log events (QEMU's items: int, cpu_reset, guest_errors, mmu,
                                      unimp, exec, cpu, in_asm; -d help lists them)
              -D FILE                 write the -d log to FILE (default: stderr)
              --stats FILE            write counters and POST milestones as JSON
              --trace FILE            write each exception, interrupt and POST code to FILE
              --help                  this text
            boot options:
              --workload W  --n N  --syscall int|sysenter|auto  --append TEXT

            exit status: 0 shutdown, (v<<1)|1 isa-debug-exit, 2 bad arguments or image,
                         3 triple fault (-no-reboot), 4 --max-insns reached, 5 unimplemented,
                         6 guest halted and nothing can wake it (e.g. cli; hlt),
                         7 internal error (a bug: stderr names a crash report in java.io.tmpdir)
            """;

    private Main() { }

    public static void main(String[] args) {
        // Buffered: the serial port flushes it when the guest's output goes quiet (and at exit); a
        // summary printed piece by piece would otherwise be a system call per piece.
        PrintStream out = new PrintStream(new java.io.BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        int status = run(RawArgs.ofProcess(args), System.in, out, System.err, Path.of(""));
        out.flush();
        ProcessExit.exit(status);
    }

    /**
     * The whole command, returning the exit status instead of exiting (tests call this). The
     * arguments are encoded as the platform would pass them to a process.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Path cwd) {
        return run(RawArgs.ofStrings(args), in, out, err, cwd);
    }

    /** The whole command on byte-string arguments ({@link ByteStrings}). */
    static int run(List<String> list, InputStream in, PrintStream out, PrintStream err, Path cwd) {
        try {
            if (!list.isEmpty() && list.get(0).equals("boot")) {
                return BootCommand.run(list.subList(1, list.size()), in, out, err, cwd);
            }
            Options o = Options.parse(list, false);
            if (o.help) {
                out.print(USAGE);
                return 0;
            }
            if (o.logHelp) {
                out.print(io.flatland.machine.log.LogItems.help());
                return 0;
            }
            if (o.machineHelp) {
                out.print(MachineOption.help());
                return 0;
            }
            if (o.cpuHelp) {
                out.print(CpuOption.help());
                return 0;
            }
            if (o.bios != null) {
                // QEMU hands -kernel to its own option ROMs, which a foreign ROM does not run.
                if (o.kernel != null) throw new UsageException("-bios with -kernel: Flatland's -bios runs the ROM alone, without a kernel");
                MachineConfig.Builder b = MachineConfig.builder().ram(o.ramBytes)
                        .bios(ByteStrings.display(o.bios), ImageFile.read(ByteStrings.path(cwd, o.bios), "BIOS",
                                ByteStrings.display(o.bios), io.flatland.machine.loader.BiosRom.MAX_SIZE));
                return boot(o, b, in, out, err, cwd).exitStatus();
            }
            if (o.kernel == null) throw new UsageException("no kernel given: use -kernel FILE, or 'flatland boot' (see --help)");
            MachineConfig.Builder b = MachineConfig.builder()
                    .ram(o.ramBytes)
                    .kernel(ByteStrings.bytes(o.kernel), ImageFile.read(ByteStrings.path(cwd, o.kernel), "kernel",
                            ByteStrings.display(o.kernel), o.ramBytes));
            if (o.append != null) b.append(ByteStrings.bytes(o.append));
            // QEMU boots an empty -initrd "" without modules.
            if (o.initrd != null && !o.initrd.isEmpty()) {
                if (LinuxSetupHeader.isLinux(b.kernelImage())) {
                    // For Linux, QEMU 7.2 opens the whole -initrd value as one file name (no comma lists).
                    b.module(ByteStrings.bytes(o.initrd), ImageFile.read(ByteStrings.path(cwd, o.initrd), "initrd",
                            ByteStrings.display(o.initrd), o.ramBytes));
                } else {
                    modules(b, o.initrd, o.ramBytes, cwd);
                }
            }
            return boot(o, b, in, out, err, cwd).exitStatus();
        } catch (UsageException | BadImageException e) {
            err.println("flatland: " + e.getMessage());
            return EXIT_USAGE;
        } catch (java.nio.file.InvalidPathException e) {
            err.println("flatland: cannot use the path '" + e.getInput() + "': " + e.getReason());
            return EXIT_USAGE;
        } catch (UnimplementedFeature e) {
            err.println("flatland: unimplemented: " + e.getMessage());
            return RunResult.STATUS_UNIMPLEMENTED;
        } catch (OutOfMemoryError e) {
            // Outside the run (Machine.run reports its own): building the machine, reading images.
            err.println("flatland: out of host memory: " + e.getMessage() + " (try a smaller -m)");
            return EXIT_USAGE;
        } catch (RuntimeException | StackOverflowError e) {
            // A bug outside any running machine: no registers to report, the Java stack still helps.
            err.println(internalErrorLine(e, null, null, null));
            return RunResult.STATUS_INTERNAL_ERROR;
        }
    }

    /** The -initrd modules, each file named by its bytes and its command line passed on unchanged. */
    private static void modules(MachineConfig.Builder b, String initrd, long ram, Path cwd) throws BadImageException {
        for (String cmdline : InitrdOption.split(initrd)) {
            String file = InitrdOption.fileName(cmdline);
            byte[] data = ImageFile.read(ByteStrings.path(cwd, file), "module", ByteStrings.display(file), ram);
            b.module(ByteStrings.bytes(cmdline), data);
        }
    }

    /** Builds the machine from the common options, runs it, writes --stats; the machine is closed afterwards. */
    static RunResult boot(Options o, MachineConfig.Builder b, InputStream in, PrintStream out, PrintStream err, Path cwd)
            throws UsageException, BadImageException {
        return bootAnd(o, b, in, out, err, cwd, null);
    }

    interface AfterRun {
        void accept(Machine m, RunResult r, long wallNanos);
    }

    static RunResult bootAnd(Options o, MachineConfig.Builder b, InputStream in, PrintStream out, PrintStream err, Path cwd,
                           AfterRun after) throws UsageException, BadImageException {
        List<String> specs = o.serialPorts();
        List<OutputStream> sinks = new java.util.ArrayList<>();
        List<OutputStream> chardevFiles = new java.util.ArrayList<>();
        Thread hook = null;
        GuestLogger log = null;
        io.flatland.machine.log.TraceWriter trace = null;
        try {
            log = openLog(o, err, cwd);
            if (o.traceFile != null) {
                try {
                    trace = new io.flatland.machine.log.TraceWriter(Files.newOutputStream(ByteStrings.path(cwd, o.traceFile)));
                } catch (IOException e) {
                    throw new UsageException("--trace " + ByteStrings.display(o.traceFile) + ": cannot open: "
                            + ByteStrings.fromPlatform(String.valueOf(e.getMessage())));
                }
            }
            b.log(log);
            for (int i = 0; i < specs.size(); i++) {
                String spec = specs.get(i);
                OutputStream sink = null;
                if (spec.equals("stdio")) {
                    sink = new BufferedOutputStream(out, 8192);
                } else if (spec.startsWith("file:")) {
                    String file = spec.substring(5);
                    sink = open(cwd, file, "-serial file:");
                }
                sinks.add(sink);
                if (spec.equals("none")) b.noSerialPort(i + 1);
                else b.serialPort(i + 1, sink, spec.equals("stdio") ? in : null);
            }
            // -nodefaults without -serial: no serial port at all, as QEMU.
            if (specs.isEmpty()) b.noSerialPort(1);
            for (DeviceOption.Debugcon d : o.debugcons) {
                String spec = o.chardevs.get(d.chardev());
                OutputStream sink = spec.equals("stdio") ? out : open(cwd, spec.substring(5), "-chardev file,path=");
                if (!spec.equals("stdio")) chardevFiles.add(sink);
                b.debugcon(d.iobase(), d.readback(), sink);
            }
            b.ram(o.ramBytes).accel(o.accel).icount(o.icount).noReboot(o.noReboot).notes(err)
                    .machine(o.machineType()).cpu(o.cpuModel()).pcTestdev(o.pcTestdev).pciTestdev(o.pciTestdev);
            List<OutputStream> flushed = new java.util.ArrayList<>(sinks);
            flushed.addAll(chardevFiles);
            hook = flushOnExit(flushed, out, log, trace);
            long t0 = System.nanoTime();
            try (Machine m = new Machine(b.build())) {
                if (trace != null) m.addListener(trace);
                if (beforeRun != null) beforeRun.accept(m);
                if (o.gdb != null) {
                    try {
                        GdbServer.start(m, o.gdb, o.stopAtStart, err);
                    } catch (IOException e) {
                        throw new UsageException("-gdb " + o.gdb + ": cannot listen: " + e.getMessage());
                    }
                }
                RunResult r = m.run(o.maxInsns);
                long wall = System.nanoTime() - t0;
                for (OutputStream sink : sinks) flushQuietly(sink);
                report(r, m, err);
                warnTranslationFailures(m, err);
                if (o.statsFile != null) {
                    try {
                        Files.writeString(ByteStrings.path(cwd, o.statsFile), m.statsJson(wall));
                    } catch (IOException e) {
                        err.println("flatland: cannot write --stats file: " + e.getMessage());
                    }
                }
                if (after != null) after.accept(m, r, wall);
                return r;
            }
        } finally {
            if (log != null) log.close();
            if (trace != null) trace.close();
            for (int i = 0; i < sinks.size(); i++) {
                if (specs.get(i).startsWith("file:")) closeQuietly(sinks.get(i));
            }
            for (OutputStream f : chardevFiles) closeQuietly(f);
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is already exiting: the hook is running or has run
                }
            }
        }
    }

    /**
     * Makes a kill (SIGTERM, SIGINT, SIGHUP) flush what the guest wrote: the serial sinks
     * buffer up to a newline or until the transmitter goes quiet, and the last partial line
     * would otherwise be lost. The sinks are synchronized streams, so flushing from the hook's
     * thread while the CPU thread still writes is safe.
     */
    static Thread flushOnExit(List<OutputStream> sinks, PrintStream out, GuestLogger log,
                              io.flatland.machine.log.TraceWriter trace) {
        List<OutputStream> copy = new java.util.ArrayList<>(sinks);
        Thread hook = new Thread(() -> {
            for (OutputStream sink : copy) flushQuietly(sink);
            out.flush();
            if (log != null) log.flush();
            if (trace != null) trace.flush();
        }, "flatland-flush-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** A file the guest's output goes to (created or truncated, as QEMU does); {@code what} names the option in errors. */
    private static OutputStream open(Path cwd, String file, String what) throws UsageException {
        try {
            return new BufferedOutputStream(Files.newOutputStream(ByteStrings.path(cwd, file)));
        } catch (IOException e) {
            throw new UsageException(what + ByteStrings.display(file) + ": cannot open: " + ByteStrings.fromPlatform(String.valueOf(e.getMessage())));
        }
    }

    /** The -d log: to -D's file (created or truncated, as QEMU does) or to stderr; null without -d. */
    private static GuestLogger openLog(Options o, PrintStream err, Path cwd) throws UsageException {
        if (o.logItems == 0) return null;
        if (o.logFile == null) return new GuestLogger(o.logItems, err, false);
        try {
            return new GuestLogger(o.logItems, Files.newOutputStream(ByteStrings.path(cwd, o.logFile)), true);
        } catch (IOException e) {
            throw new UsageException("-D " + ByteStrings.display(o.logFile) + ": cannot open: "
                    + ByteStrings.fromPlatform(String.valueOf(e.getMessage())));
        }
    }

    private static void flushQuietly(OutputStream s) {
        if (s == null) return;
        try {
            s.flush();
        } catch (IOException e) {
            // output is lost, nothing else to do
        }
    }

    private static void closeQuietly(OutputStream s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException e) {
            // output is lost, nothing else to do
        }
    }

    /**
     * A translator failure is a bug that the guest does not see (the code runs interpreted):
     * say so, so that it is not silent. Tests check that their runs print no such line.
     */
    private static void warnTranslationFailures(Machine m, PrintStream err) {
        Long failed = m.engineCounters().get("jit_translation_failures");
        if (failed != null && failed > 0) {
            err.println("flatland: warning: the JIT failed to translate " + failed + " region(s), which ran interpreted (a bug): "
                    + m.lastTranslationFailure());
        }
    }

    /** Tests only: runs on the machine after it is built and before it runs (to plant a failing device). */
    static java.util.function.Consumer<Machine> beforeRun;

    /**
     * The one line an internal error prints: {@code flatland: internal error: CLASS: MESSAGE at
     * EIP=X ; crash report: PATH}, after writing the report ({@link CrashReport}). When the report
     * cannot be written (the disk, or no memory left even now) the line says so instead.
     */
    static String internalErrorLine(Throwable e, Cpu cpu, String engine, String where) {
        String at = cpu == null ? "" : " at EIP=0x" + Integer.toHexString(cpu.eip);
        String report;
        try {
            report = "crash report: " + CrashReport.write(CrashReport.directory(), e, cpu, engine, where);
        } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError failed) {
            report = "no crash report (" + failed + ")";
        }
        return "flatland: internal error: " + CrashReport.oneLine(e) + at + " ; " + report;
    }

    private static void report(RunResult r, Machine m, PrintStream err) {
        switch (r.outcome()) {
            case UNIMPLEMENTED -> err.println("flatland: unimplemented: " + r.message());
            case INTERNAL_ERROR -> err.println(internalErrorLine(r.error(), m.cpu(), m.config().accel().name().toLowerCase(),
                    r.message()));
            case BUDGET -> err.println("flatland: --max-insns reached");
            case TRIPLE_FAULT -> err.println("flatland: triple fault (guest crashed), exiting because of -no-reboot");
            case HALTED -> err.println("flatland: " + r.message());
            default -> { }
        }
    }
}
