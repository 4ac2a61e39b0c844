package io.flatland.machine;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.CpuFeature;
import io.flatland.cpu.CpuLog;
import io.flatland.cpu.DebugControl;
import io.flatland.cpu.ExitReason;
import io.flatland.cpu.SystemOps;
import io.flatland.cpu.UnimplementedFeature;
import io.flatland.machine.devices.CmosRtc;
import io.flatland.machine.devices.DebugCon;
import io.flatland.machine.devices.DebugExit;
import io.flatland.machine.devices.Device;
import io.flatland.machine.devices.DualPic;
import io.flatland.machine.devices.IoApic;
import io.flatland.machine.devices.LocalApic;
import io.flatland.machine.devices.KeyboardController;
import io.flatland.machine.devices.MachineControl;
import io.flatland.machine.devices.Pit8254;
import io.flatland.machine.devices.PostPort;
import io.flatland.machine.devices.SerialPorts;
import io.flatland.machine.devices.SystemControlPortA;
import io.flatland.machine.devices.SystemControlPortB;
import io.flatland.machine.devices.Wiring;
import io.flatland.machine.loader.BadImageException;
import io.flatland.machine.loader.BiosBoot;
import io.flatland.machine.loader.BiosRom;
import io.flatland.machine.log.LogItems;
import io.flatland.machine.loader.GuestBoot;
import io.flatland.machine.loader.LinuxLoader;
import io.flatland.machine.loader.LinuxSetupHeader;
import io.flatland.machine.loader.MultibootLoader;
import io.flatland.cpu.IoBus;
import io.flatland.mmu.GuestLog;
import io.flatland.mmu.MmioBus;
import io.flatland.mmu.Mmu;
import io.flatland.mmu.PhysicalMemory;

import java.util.List;

/**
 * A PC with a Multiboot kernel loaded, ready to run: CPU, RAM, the ISA devices (8259 pair,
 * 8254, COM1-COM4 as configured, RTC/CMOS, POST port 0x80, isa-debug-exit at 0xF4, ports 0x61/0x92, a minimal
 * 8042) and a virtual clock. Embeddable:
 *
 * <pre>{@code
 * try (Machine m = new Machine(MachineConfig.builder().kernel(Path.of("k.elf")).build())) {
 *     RunResult r = m.run();                 // until the guest exits
 *     System.out.println(r.exitStatus() + " after " + m.cpu().icount + " instructions");
 * }
 * }</pre>
 *
 * A machine runs on the calling thread; it is not thread-safe.
 */
public final class Machine implements AutoCloseable {
    /** Instructions per call into the engine, so that budgets and POST stops are checked regularly. */
    private static final long SLICE = 1L << 24;

    private final MachineConfig config;
    private final PhysicalMemory ram;
    private final Mmu mmu;
    private final IoBus io;
    private final Cpu cpu;
    private final VirtualClock clock;
    private final DualPic pic;
    private final SerialPorts serial;
    private final PostPort post;
    private final DebugExit debugExit;
    /** pc only (null on isapc). */
    private final LocalApic lapic;
    private final IoApic ioapic;
    /** The -device isa-debugcon ports (usually none). */
    private final List<DebugCon> debugcons;
    /** Every device, in the order they are attached and reset. */
    private final List<Device> devices;
    private final PcPlatform platform;
    /** pc's fw_cfg, ACPI, PCI and PM devices, or null (isapc). */
    private final io.flatland.machine.firmware.PcFirmware firmware;
    private final GuestBoot image;
    private ExecutionEngine engine;
    private MachineDebugger debugger;
    private final long hostStartNanos = System.nanoTime();
    private long resets;

    public Machine(MachineConfig config) throws BadImageException {
        this.config = config;
        this.image = prepareBoot(config);
        MmioBus mmio = new MmioBus();
        if (image instanceof BiosBoot b) mmio.map(b.rom().base(), b.rom().size(), b.rom());
        this.ram = new PhysicalMemory(image.memoryMap().below4g(), mmio);
        this.mmu = new Mmu(ram);
        this.io = new IoBus();
        this.cpu = new Cpu(mmu, io);
        // The APIC flag follows the machine: only a machine with a local APIC may announce one.
        cpu.cpuModel = config.cpuModel.withLocalApic(config.machineType.hasApicAcpiPci());
        this.clock = new VirtualClock(cpu, config.icount);

        pic = new DualPic();
        Pit8254 pit = new Pit8254(clock);
        serial = new SerialPorts(config.serialPorts, Thread.currentThread());
        long rtcBase = config.rtcEpochSeconds != null ? config.rtcEpochSeconds
                : config.icount ? 946_684_800L : System.currentTimeMillis() / 1000;
        CmosRtc rtc = new CmosRtc(clock, rtcBase);
        rtc.setMemorySize(image.memoryMap().below4g(), image.memoryMap().above4g());
        rtc.setPcConfiguration();
        post = new PostPort();
        debugExit = new DebugExit();
        List<Device> all = new java.util.ArrayList<>(List.of(pic, pit, new SystemControlPortB(pit), serial, rtc, post,
                debugExit, new SystemControlPortA(), new KeyboardController()));
        debugcons = new java.util.ArrayList<>();
        for (MachineConfig.Debugcon d : config.debugcons) debugcons.add(new DebugCon(d.iobase(), d.readback(), d.out()));
        all.addAll(debugcons);
        // pc's firmware-visible platform (fw_cfg, ACPI tables, PCI, PIIX4 PM); isapc has none of it.
        firmware = config.machineType().hasApicAcpiPci()
                ? new io.flatland.machine.firmware.PcFirmware(image.memoryMap(), config.ramBytes, clock, io, ram.mmio(), config.pciTestdev)
                : null;
        if (firmware != null) all.addAll(firmware.devices());
        if (config.pcTestdev) all.add(new io.flatland.machine.devices.PcTestdev());
        java.util.function.IntFunction<io.flatland.machine.devices.InterruptLine> irq = pic::line;
        if (config.machineType.hasApicAcpiPci()) {
            // pc: a local APIC and an I/O APIC; every ISA line drives both the 8259 and the I/O APIC.
            lapic = new LocalApic(clock);
            lapic.connect(cpu);
            lapic.features(config.cpuModel.has(CpuFeature.X2APIC),
                    config.cpuModel.has(CpuFeature.TSC_DEADLINE));
            ioapic = new IoApic(lapic);
            ram.mmio().map(LocalApic.DEFAULT_BASE, 0x1000, lapic);
            ram.mmio().map(IoApic.BASE, 0x1000, ioapic);
            all.add(lapic);
            all.add(ioapic);
            IoApic toIoApic = ioapic;
            irq = line -> level -> {
                pic.setIrq(line, level);
                toIoApic.setIsaLine(line, level);
            };
        } else {
            lapic = null;
            ioapic = null;
        }
        devices = List.copyOf(all);
        // Each device takes the IRQ lines it declares, and asks for exits through the control.
        Wiring wiring = new Wiring(io, irq, new CpuControl(cpu,
                config.log != null && config.log.on(LogItems.GUEST_ERRORS) ? config.log : null));
        for (Device d : devices) d.attach(wiring);

        platform = new PcPlatform(clock, pic, lapic, ioapic, devices.toArray(new Device[0]), serial);
        cpu.platform = platform;
        pic.beforeRead(platform::advanceTimers);
        pit.onReprogram(() -> PcPlatform.serviceSoon(cpu));
        rtc.onReprogram(() -> PcPlatform.serviceSoon(cpu));
        if (config.log != null) config.log.attach(cpu, io, ram.mmio(), mmu);

        boot();
    }

    /** A Linux bzImage (the "HdrS" signature) boots by the Linux boot protocol, anything else by Multiboot. */
    private static GuestBoot prepareBoot(MachineConfig config) throws BadImageException {
        if (config.bios != null) return new BiosBoot(new BiosRom(config.bios, config.biosName), config.ramBytes);
        if (!LinuxSetupHeader.isLinux(config.kernel)) {
            return MultibootLoader.prepare(config.kernel, config.kernelName, config.append, config.modules, config.ramBytes);
        }
        if (config.modules.size() > 1) throw new BadImageException("a Linux kernel takes one -initrd file");
        MultibootLoader.Module initrd = config.modules.isEmpty() ? null : config.modules.get(0);
        return LinuxLoader.prepare(config.kernel, config.append, initrd == null ? null : initrd.data(),
                initrd == null ? null : new String(initrd.commandLine(), java.nio.charset.StandardCharsets.UTF_8),
                config.ramBytes);
    }

    /**
     * Power-on (or reset) of the CPU, then what QEMU's firmware does for -kernel: load the
     * kernel and leave the CPU in the state its option ROM (Multiboot or Linux) leaves.
     */
    private void boot() {
        if (config.log != null) config.log.cpuReset(cpu, (resets == 0 ? "power-on" : "reset " + resets) + " (CPU 0), state before:");
        SystemOps.reset(cpu);
        mmu.setA20(true);              // a reset enables A20 again (QEMU's CPU reset does)
        boolean standIn = image.standsInForFirmware();
        if (standIn) FirmwareHandoff.apply(io, ram, lapic);
        image.load(ram, serial.presentBases());
        if (standIn && firmware != null) firmware.install(ram);
        image.enter(cpu);
        engine = ExecutionEngine.create(config.accel, cpu);
        platform.schedule(cpu);
        if (config.log != null) config.log.cpuReset(cpu, "state after reset and the " + image.loaderName() + " loader:");
    }

    /** A reset (port 0x92, 8042 0xFE, triple fault): devices to power-on state, then the same kernel again. */
    private void reboot() {
        resets++;
        for (Device d : devices) d.reset();
        boot();
    }

    /** The machine's controls as devices see them: exit requests, the A20 gate and the instruction count of the CPU. */
    private record CpuControl(Cpu cpu, GuestLog guestErrors) implements MachineControl {
        @Override public void requestExit(ExitReason why) { cpu.exitRequest = why; }
        @Override public void guestError(String what) { if (guestErrors != null) guestErrors.line("guest_errors: " + what); }
        @Override public void setA20(boolean enabled) { cpu.mmu.setA20(enabled); }
        @Override public long instructionCount() { return cpu.icount; }
    }

    private final List<MachineListener> listeners = new java.util.ArrayList<>();
    private final List<MachineListener> blockListeners = new java.util.ArrayList<>();
    private ListenerHub hub;

    /**
     * Registers {@code l} for the machine's life (see {@link MachineListener}). Call it between
     * runs, on the machine's thread. The first listener puts a hub on the CPU's delivery hook
     * (after the {@code -d int} log, if any) and on the POST port; the first that
     * {@linkplain MachineListener#wantsBlocks wants blocks} on the block hook.
     */
    public void addListener(MachineListener l) {
        java.util.Objects.requireNonNull(l);
        if (hub == null) {
            hub = new ListenerHub(cpu.intLog);
            cpu.intLog = hub;
            post.onWrite = m -> {
                for (int i = 0; i < listeners.size(); i++) listeners.get(i).postCode(this, m.code(), m.icount());
            };
        }
        listeners.add(l);
        if (l.wantsBlocks()) {
            if (blockListeners.isEmpty()) {
                DebugControl d = cpu.debug != null ? cpu.debug : new DebugControl(cpu);
                hub.nextBlockLog = d.blockLog;
                d.blockLog = hub;
                cpu.debug = d;
            }
            blockListeners.add(l);
        }
    }

    /** The CPU's log hooks, fanned out to the listeners after whatever -d log held them before. */
    private final class ListenerHub implements CpuLog {
        private final CpuLog nextIntLog;
        CpuLog nextBlockLog;
        private final MachineListener.Source[] sources = {
            MachineListener.Source.SOFTWARE, MachineListener.Source.EXCEPTION, MachineListener.Source.HARDWARE};

        ListenerHub(CpuLog nextIntLog) { this.nextIntLog = nextIntLog; }

        @Override
        public void event(Cpu c, int vector, int errorCode, int kind) {
            if (nextIntLog != null) nextIntLog.event(c, vector, errorCode, kind);
            MachineListener.Source s = sources[kind];
            for (int i = 0; i < listeners.size(); i++) listeners.get(i).interrupt(Machine.this, vector, errorCode, s);
        }

        @Override
        public void blockEntered(Cpu c) {
            if (nextBlockLog != null) nextBlockLog.blockEntered(c);
            for (int i = 0; i < blockListeners.size(); i++) blockListeners.get(i).blockEntered(Machine.this);
        }
    }

    /** Runs until the guest exits, halts for good, or (without -no-reboot) forever across resets. */
    public RunResult run() {
        return run(Long.MAX_VALUE);
    }

    /** Runs at most {@code maxInstructions} more instructions. */
    public RunResult run(long maxInstructions) {
        return runUntil(-1, maxInstructions);
    }

    /** Runs until the guest writes {@code postCode} to port 0x80 (or anything else ends the run). */
    public RunResult runUntilPost(int postCode, long maxInstructions) {
        return runUntil(postCode & 0xFF, maxInstructions);
    }

    /**
     * Attaches a debugger (the gdb stub, {@link io.flatland.machine.gdb.GdbServer}); from the next
     * {@link #run} on, the run loop stops for it. One at a time.
     */
    public void attachDebugger(MachineDebugger d) {
        if (debugger != null && d != null) throw new IllegalStateException("a debugger is already attached");
        debugger = d;
    }

    private RunResult runUntil(int postCode, long maxInstructions) {
        RunResult r = runSlices(postCode, maxInstructions);
        if (debugger != null) debugger.ended(r);
        return r;
    }

    /** Stops for the debugger; false when it killed the machine. The virtual clock stands still meanwhile. */
    private boolean debugStop() {
        clock.pause();
        try {
            return debugger.stopped(cpu);
        } finally {
            clock.resume();
        }
    }

    private static final RunResult KILLED = new RunResult(RunResult.Outcome.KILLED, 0, null);

    private RunResult runSlices(int postCode, long maxInstructions) {
        post.stopAt(postCode);
        long end = maxInstructions == Long.MAX_VALUE ? Long.MAX_VALUE : cpu.icount + maxInstructions;
        try {
            for (;;) {
                if (debugger != null && debugger.stopPending() && !debugStop()) return KILLED;
                long left = end - cpu.icount;
                if (left <= 0) return new RunResult(RunResult.Outcome.BUDGET, RunResult.STATUS_BUDGET, null);
                ExitReason why = engine.run(cpu, Math.min(left, SLICE));
                // A request raised by the budget's last instruction (isa-debug-exit, reset) is
                // still pending when the engine stops for the budget: the guest's request wins.
                if ((why == ExitReason.BUDGET || why == ExitReason.NONE) && cpu.exitRequest != ExitReason.NONE) {
                    why = cpu.exitRequest;
                }
                cpu.exitRequest = ExitReason.NONE;
                switch (why) {
                    case BUDGET, NONE -> { }
                    case DEBUG -> {
                        if (debugger != null && !debugStop()) return KILLED;
                    }
                    case DEVICE_EXIT -> {
                        if (debugExit.status() >= 0) {
                            return new RunResult(RunResult.Outcome.DEBUG_EXIT, debugExit.status(), null);
                        }
                        if (post.stopHit()) return new RunResult(RunResult.Outcome.POST_MILESTONE, 0, null);
                        if (firmware != null && firmware.poweredOff()) return new RunResult(RunResult.Outcome.POWER_OFF, 0, null);
                    }
                    case RESET -> {
                        if (config.noReboot) return new RunResult(RunResult.Outcome.RESET, 0, null);
                        reboot();
                    }
                    case TRIPLE_FAULT -> {
                        if (config.noReboot) {
                            return new RunResult(RunResult.Outcome.TRIPLE_FAULT, RunResult.STATUS_TRIPLE_FAULT, null);
                        }
                        reboot();
                    }
                    case HALTED_FOREVER -> {
                        return halted();
                    }
                    case UNIMPLEMENTED -> {
                        if (config.log != null) config.log.unimplemented(cpu, cpu.exitMessage == null ? "unknown" : cpu.exitMessage);
                        return new RunResult(RunResult.Outcome.UNIMPLEMENTED, RunResult.STATUS_UNIMPLEMENTED,
                                cpu.exitMessage == null ? "unknown" : cpu.exitMessage);
                    }
                    case INTERNAL_ERROR -> {
                        return internalError(cpu.internalError, cpu.exitMessage);
                    }
                }
            }
        } catch (UnimplementedFeature e) {
            if (config.log != null) config.log.unimplemented(cpu, e.getMessage());
            return new RunResult(RunResult.Outcome.UNIMPLEMENTED, RunResult.STATUS_UNIMPLEMENTED, e.getMessage());
        } catch (RuntimeException | Error e) {
            // Outside the engines' own loops (the JIT's dispatcher, a reset): a bug all the same.
            cpu.internalError = e;
            return internalError(e, null);
        } finally {
            serial.flush();
            for (DebugCon d : debugcons) d.flush();
            if (config.log != null) config.log.flush();
        }
    }

    private static RunResult internalError(Throwable e, String where) {
        if (e == null) e = new IllegalStateException("internal error reported without its cause");
        return new RunResult(RunResult.Outcome.INTERNAL_ERROR, RunResult.STATUS_INTERNAL_ERROR, where, e);
    }

    /**
     * The CPU halted and nothing can wake it: QEMU would wait forever; Flatland ends the run
     * with its own status so that a panicked kernel does not look like a clean shutdown.
     */
    private RunResult halted() {
        String why = (cpu.eflags & Cpu.IF) == 0
                ? RunResult.HALTED_IF_CLEAR
                : RunResult.HALTED_NO_WAKEUP;
        return new RunResult(RunResult.Outcome.HALTED, RunResult.STATUS_HALTED, why);
    }

    public Cpu cpu() { return cpu; }

    public PhysicalMemory ram() { return ram; }

    public IoBus io() { return io; }

    public MachineConfig config() { return config; }

    public GuestBoot bootImage() { return image; }

    /** POST codes written so far, in order. */
    public List<PostPort.Milestone> milestones() { return post.milestones(); }

    /** Host {@link System#nanoTime} when the machine was created (milestone times are relative to it). */
    public long hostStartNanos() { return hostStartNanos; }

    public long resets() { return resets; }

    public DualPic pic() { return pic; }

    /** The local APIC (null on isapc). */
    public LocalApic localApic() { return lapic; }

    /** The I/O APIC (null on isapc). */
    public IoApic ioApic() { return ioapic; }

    public VirtualClock clock() { return clock; }

    public PcPlatform platform() { return platform; }

    /** The isa-debug-exit status the guest requested, or -1. */
    public int debugExitStatus() { return debugExit.status(); }

    /** Why the JIT's last translation failed (a bug: the code ran interpreted), or null. */
    public String lastTranslationFailure() {
        return engine == null ? null : engine.lastTranslationFailure();
    }

    /** Counters of the execution engine itself (empty for the interpreter); see {@link ExecutionEngine#engineCounters}. */
    public java.util.Map<String, Long> engineCounters() {
        return engine == null ? java.util.Map.of() : engine.engineCounters();
    }

    /**
     * The counters --stats reports (retired instructions, TLB misses, page walks, page faults,
     * CR3 loads, exceptions/interrupts by vector, interrupts by IRQ line, I/O operations, ...),
     * host-time fields left out: equal between two --icount runs of the same guest.
     */
    public java.util.Map<String, Long> counters() {
        return Stats.counters(this);
    }

    /** Statistics as a JSON object (what --stats writes). */
    public String statsJson(long wallNanos) {
        return Stats.json(this, wallNanos);
    }

    Mmu mmu() { return mmu; }

    @Override
    public void close() {
        if (engine != null) engine.close();
        serial.flush();
        serial.close();
        ram.close();
    }
}
