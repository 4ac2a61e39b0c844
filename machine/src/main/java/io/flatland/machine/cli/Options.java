package io.flatland.machine.cli;

import io.flatland.machine.Accel;
import io.flatland.machine.MachineConfig;

import java.util.List;

/**
 * The command line, parsed. QEMU's options are accepted with one or two dashes, as QEMU
 * does; Flatland's own use two ({@code -accel} is QEMU's spelling and keeps one).
 */
final class Options {
    String kernel;
    String initrd;
    String append;
    long ramBytes = MachineConfig.DEFAULT_RAM;
    /** One entry per -serial, COM1 first: "stdio", "null", "none" or "file:PATH". Empty: COM1 on stdio. */
    final List<String> serial = new java.util.ArrayList<>();
    boolean noReboot;
    /** -nodefaults: no device is created that was not asked for (here: no COM1 without -serial). */
    boolean noDefaults;
    /** -machine (null: pc); -machine help. */
    io.flatland.machine.MachineType machine;
    boolean machineHelp;
    /** -cpu as given (null: the machine's default model); -cpu help. Resolved by {@link #cpuModel}. */
    String cpu;
    boolean cpuHelp;
    /** -device pc-testdev, pci-testdev, isa-debugcon; -chardev ids to their "stdio" or "file:PATH". */
    boolean pcTestdev;
    boolean pciTestdev;
    final List<DeviceOption.Debugcon> debugcons = new java.util.ArrayList<>();
    final java.util.Map<String, String> chardevs = new java.util.LinkedHashMap<>();
    /** -bios FILE, or null. */
    String bios;
    Accel accel = Accel.JIT;
    String statsFile;
    /** --trace FILE: exceptions, interrupts and POST codes ({@link io.flatland.machine.log.TraceWriter}). */
    String traceFile;
    boolean icount;
    long maxInsns = Long.MAX_VALUE;
    boolean help;
    /** -gdb / -s: where the gdb stub listens (null: no stub); -S: the CPU waits for the debugger. */
    io.flatland.machine.gdb.GdbEndpoint gdb;
    boolean stopAtStart;
    /** -d: {@link io.flatland.machine.log.LogItems} bits (0: no logging); -d help; -D: the log file (null: stderr). */
    int logItems;
    boolean logHelp;
    String logFile;
    // `flatland boot` only
    String workload;
    String n;
    String syscall;

    static Options parse(List<String> args, boolean bootCommand) throws UsageException {
        Options o = new Options();
        Cursor c = new Cursor(args);
        while (c.hasNext()) {
            String a = c.next();
            String opt = a.startsWith("--") ? a.substring(1) : a;
            String inlineValue = null;
            int eq = opt.indexOf('=');
            // "--append=a=b" splits at the first '=': the value keeps the rest.
            if (opt.startsWith("-") && eq > 0) {
                inlineValue = opt.substring(eq + 1);
                opt = opt.substring(0, eq);
            }
            switch (opt) {
                case "-help", "-h" -> o.help = true;
                case "-kernel" -> o.kernel = c.value(inlineValue);
                case "-initrd" -> o.initrd = c.value(inlineValue);
                case "-append" -> o.append = c.value(inlineValue);
                case "-m" -> o.ramBytes = RamSizeOption.parse(c.value(inlineValue));
                case "-serial" -> o.serial(c.value(inlineValue));
                case "-no-reboot" -> o.noReboot = true;
                case "-nodefaults" -> o.noDefaults = true;
                case "-smp" -> SmpOption.check(c.value(inlineValue));
                case "-machine", "-M" -> {
                    String v = c.value(inlineValue);
                    if (v.equals("help") || v.equals("?")) {
                        o.machineHelp = true;
                    } else {
                        io.flatland.machine.MachineType t = MachineOption.parse(v);
                        if (t != null) o.machine = t;
                    }
                }
                case "-cpu" -> {
                    String v = c.value(inlineValue);
                    if (v.equals("help") || v.equals("?")) o.cpuHelp = true;
                    else o.cpu = v;
                }
                case "-chardev" -> ChardevOption.apply(o, c.value(inlineValue));
                case "-bios" -> o.bios = c.value(inlineValue);
                case "-nographic" -> { }
                case "-display" -> {
                    String v = c.value(inlineValue);
                    if (!v.equals("none")) throw new UsageException("-display " + v + ": only '-display none' is supported");
                }
                case "-device" -> DeviceOption.apply(o, c.value(inlineValue));
                case "-accel" -> {
                    String v = c.value(inlineValue);
                    try {
                        o.accel = Accel.parse(v);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("-accel: " + e.getMessage());
                    }
                }
                case "-stats" -> o.statsFile = c.value(inlineValue);
                case "-trace" -> o.traceFile = c.value(inlineValue);
                case "-s" -> o.gdb = io.flatland.machine.gdb.GdbEndpoint.DEFAULT;
                case "-S" -> o.stopAtStart = true;
                case "-gdb" -> {
                    try {
                        o.gdb = io.flatland.machine.gdb.GdbEndpoint.parse(c.value(inlineValue));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(e.getMessage());
                    }
                }
                case "-d" -> {
                    String v = c.value(inlineValue);
                    if (v.equals("help")) {
                        o.logHelp = true;
                    } else {
                        try {
                            o.logItems |= io.flatland.machine.log.LogItems.parse(v);
                        } catch (IllegalArgumentException e) {
                            throw new UsageException(e.getMessage());
                        }
                    }
                }
                case "-D" -> o.logFile = c.value(inlineValue);
                case "-icount" -> {
                    // Flatland's --icount takes no value; QEMU's -icount takes one (shift=0, auto, ...).
                    String v = inlineValue != null ? inlineValue : c.optionalValue();
                    if (v != null) IcountOption.check(v);
                    o.icount = true;
                }
                case "-max-insns" -> o.maxInsns = positiveLong(c.value(inlineValue), "--max-insns");
                case "-workload" -> o.workload = bootOnly(bootCommand, a, c.value(inlineValue));
                case "-n" -> o.n = String.valueOf(positiveOrZero(bootOnly(bootCommand, a, c.value(inlineValue)), "--n"));
                case "-syscall" -> {
                    String v = bootOnly(bootCommand, a, c.value(inlineValue));
                    if (!v.equals("int") && !v.equals("sysenter") && !v.equals("auto")) {
                        throw new UsageException("--syscall " + v + ": use int, sysenter or auto");
                    }
                    o.syscall = v;
                }
                default -> {
                    if (a.startsWith("-")) throw new UsageException("unknown option '" + a + "' (see --help)");
                    throw new UsageException("unexpected argument '" + a + "' (see --help)");
                }
            }
        }
        if (o.stopAtStart && o.gdb == null) {
            throw new UsageException("-S needs -s or -gdb: Flatland has no monitor, only a debugger can start the CPU");
        }
        o.checkDevices();
        return o;
    }

    /** Checks that need every option: the machine a device sits on, the chardevs devices name. */
    private void checkDevices() throws UsageException {
        // QEMU's wording: isapc has no PCI bus.
        if (pciTestdev && !machineType().hasApicAcpiPci()) {
            throw new UsageException("-device pci-testdev: No 'PCI' bus found for device 'pci-testdev'");
        }
        int stdio = serial.contains("stdio") ? 1 : 0;
        for (DeviceOption.Debugcon d : debugcons) {
            String spec = chardevs.get(d.chardev());
            if (spec == null) throw new UsageException("-device isa-debugcon: no -chardev with id '" + d.chardev() + "'");
            if (spec.equals("stdio")) stdio++;
        }
        if (stdio > 1) throw new UsageException("-chardev stdio: standard input and output can serve only one device");
    }

    io.flatland.machine.MachineType machineType() {
        return machine == null ? io.flatland.machine.MachineType.PC : machine;
    }

    /** The -cpu model for this machine (its default without -cpu). */
    io.flatland.cpu.CpuModel cpuModel() throws UsageException {
        return CpuOption.parse(cpu, machineType());
    }

    /** Walks the arguments; an option's value is either inline ("--x=v") or the next argument. */
    private static final class Cursor {
        private final List<String> args;
        private int i;
        private String current;

        Cursor(List<String> args) { this.args = args; }

        boolean hasNext() { return i < args.size(); }

        String next() { return current = args.get(i++); }

        /** The next argument if it is not an option (QEMU's -icount VALUE), else null. */
        String optionalValue() {
            if (i < args.size() && !args.get(i).startsWith("-")) return args.get(i++);
            return null;
        }

        String value(String inline) throws UsageException {
            if (inline != null) return inline;
            if (i >= args.size()) throw new UsageException(current + " needs a value");
            return args.get(i++);
        }
    }

    private static String bootOnly(boolean boot, String opt, String v) throws UsageException {
        if (!boot) throw new UsageException(opt + " is an option of 'flatland boot'");
        return v;
    }

    /**
     * Each -serial takes the next port, COM1 first, as in QEMU: "none" leaves its port out,
     * "null" has a port whose output is dropped. Like QEMU, only one port can use stdio.
     */
    private void serial(String v) throws UsageException {
        if (v.equals("stdio") && serial.contains("stdio")) {
            throw new UsageException("-serial stdio: standard input and output can serve only one serial port");
        }
        if (v.equals("stdio") || v.equals("none") || v.equals("null") || v.startsWith("file:") && v.length() > 5) {
            serial.add(v);
        } else {
            throw new UsageException("-serial " + v + ": use stdio, file:PATH, null or none");
        }
    }

    /**
     * The -serial values for COM1..COM4 (QEMU ignores more than four). None given: COM1 on
     * stdio, or no serial port at all under -nodefaults (as QEMU).
     */
    List<String> serialPorts() {
        if (serial.isEmpty()) return noDefaults ? List.of() : List.of("stdio");
        return serial.subList(0, Math.min(serial.size(), 4));
    }

    private static long positiveLong(String v, String opt) throws UsageException {
        long n = positiveOrZero(v, opt);
        if (n == 0) throw new UsageException(opt + " " + v + ": must be positive");
        return n;
    }

    private static long positiveOrZero(String v, String opt) throws UsageException {
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new UsageException(opt + " " + v + ": must not be negative");
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(opt + " " + v + ": not a number");
        }
    }
}
