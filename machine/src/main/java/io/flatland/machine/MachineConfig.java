package io.flatland.machine;

import io.flatland.machine.devices.SerialPorts;
import io.flatland.machine.loader.BadImageException;
import io.flatland.machine.loader.ImageFile;
import io.flatland.machine.loader.InitrdOption;
import io.flatland.machine.loader.MultibootLoader;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a {@link Machine} is built from. Immutable; made with {@link #builder()}:
 *
 * <pre>{@code
 * MachineConfig cfg = MachineConfig.builder()
 *         .ramMiB(64)
 *         .kernel(Path.of("kernel.elf"))
 *         .initrd("pm,rs", Path.of("."))
 *         .append("workload=boot")
 *         .icount(true)
 *         .serialOutput(System.out)
 *         .build();
 * }</pre>
 */
public final class MachineConfig {
    public static final long DEFAULT_RAM = 128L << 20;
    public static final long MIN_RAM = 2L << 20;
    public static final long MAX_RAM = 3584L << 20;

    final long ramBytes;
    final byte[] kernel;
    /** The kernel's name and the -append text as the guest gets them (bytes: see {@link Builder#append(byte[])}). */
    final byte[] kernelName;
    final List<MultibootLoader.Module> modules;
    final byte[] append;
    final Accel accel;
    final boolean icount;
    /** COM1..COM4; null entries are absent ports. */
    final List<SerialPorts.Port> serialPorts;
    final boolean noReboot;
    final Long rtcEpochSeconds;
    final PrintStream notes;
    /** QEMU's -d logging, or null (off). */
    final io.flatland.machine.log.GuestLogger log;
    final MachineType machineType;
    final boolean pcTestdev;
    final boolean pciTestdev;
    final io.flatland.cpu.CpuModel cpuModel;
    final List<Debugcon> debugcons;
    /** The -bios image (then there is no kernel), or null. */
    final byte[] bios;
    final String biosName;

    /** An isa-debugcon: its port, its readback byte, where its output goes (null: dropped). */
    public record Debugcon(int iobase, int readback, OutputStream out) { }

    private MachineConfig(Builder b) {
        this.ramBytes = b.ramBytes;
        this.kernel = b.kernel;
        this.kernelName = b.kernelName;
        this.modules = List.copyOf(b.modules);
        this.append = b.append;
        this.accel = b.accel;
        this.icount = b.icount;
        this.serialPorts = java.util.Collections.unmodifiableList(java.util.Arrays.asList(b.serial.clone()));
        this.noReboot = b.noReboot;
        this.rtcEpochSeconds = b.rtcEpochSeconds;
        this.notes = b.notes;
        this.log = b.log;
        this.machineType = b.machineType;
        this.pcTestdev = b.pcTestdev;
        this.pciTestdev = b.pciTestdev;
        this.cpuModel = b.cpuModel != null ? b.cpuModel
                : machineType == MachineType.ISAPC ? io.flatland.cpu.CpuModel.I486 : io.flatland.cpu.CpuModel.QEMU32;
        this.debugcons = List.copyOf(b.debugcons);
        this.bios = b.bios;
        this.biosName = b.biosName;
    }

    public static Builder builder() {
        return new Builder();
    }

    public long ramBytes() { return ramBytes; }
    /** The kernel's name as given, or null when a -bios ROM runs instead. */
    public String kernelName() { return kernelName == null ? null : new String(kernelName, StandardCharsets.UTF_8); }
    /** The -append text (decoded as UTF-8 for display), or null. */
    public String append() { return append == null ? null : new String(append, StandardCharsets.UTF_8); }
    public Accel accel() { return accel; }
    public boolean icount() { return icount; }
    public boolean noReboot() { return noReboot; }
    public List<MultibootLoader.Module> modules() { return modules; }
    public MachineType machineType() { return machineType; }
    /** QEMU's -device pc-testdev (kvm-unit-tests' ISA test ports). */
    public boolean pcTestdev() { return pcTestdev; }
    /** QEMU's -device pci-testdev (a PCI function with an I/O and a memory BAR; pc only). */
    public boolean pciTestdev() { return pciTestdev; }
    /** QEMU's -cpu: what CPUID reports (before the machine decides on the APIC flag). */
    public io.flatland.cpu.CpuModel cpuModel() { return cpuModel; }
    public List<Debugcon> debugcons() { return debugcons; }
    /** Whether the machine starts a -bios ROM at the reset vector rather than a kernel. */
    public boolean hasBios() { return bios != null; }

    public static final class Builder {
        private long ramBytes = DEFAULT_RAM;
        private byte[] kernel;
        private byte[] kernelName;
        private final List<MultibootLoader.Module> modules = new ArrayList<>();
        private byte[] append;
        private Accel accel = Accel.JIT;
        private boolean icount;
        private io.flatland.machine.log.GuestLogger log;
        private final SerialPorts.Port[] serial = {new SerialPorts.Port(System.out, null), null, null, null};
        private boolean noReboot;
        private Long rtcEpochSeconds;
        private PrintStream notes = System.err;
        private MachineType machineType = MachineType.PC;
        private boolean pcTestdev;
        private boolean pciTestdev;
        private io.flatland.cpu.CpuModel cpuModel;
        private final List<Debugcon> debugcons = new ArrayList<>();
        private byte[] bios;
        private String biosName;

        private Builder() { }

        /** Guest RAM (QEMU's -m): a multiple of 4 KiB from 2 MiB to 3584 MiB. */
        public Builder ram(long bytes) {
            if (bytes < MIN_RAM || bytes > MAX_RAM) {
                throw new IllegalArgumentException("RAM size must be between 2 MiB and 3584 MiB");
            }
            if ((bytes & 0xFFF) != 0) throw new IllegalArgumentException("RAM size must be a multiple of 4 KiB");
            ramBytes = bytes;
            return this;
        }

        public Builder ramMiB(long mib) {
            return ram(mib << 20);
        }

        /**
         * The kernel file; its path as given goes in front of the Multiboot command line, as in
         * QEMU. A file larger than the RAM set so far is refused: call {@link #ram} first.
         */
        public Builder kernel(Path file) throws BadImageException {
            return kernel(file.toString(), ImageFile.read(file, "kernel", file.toString(), ramBytes));
        }

        /** A kernel from memory; {@code name} plays the part of the file name on the command line. */
        public Builder kernel(String name, byte[] image) {
            return kernel(name.getBytes(StandardCharsets.UTF_8), image);
        }

        /** As {@link #kernel(String, byte[])}, the name given as the bytes the guest sees. */
        public Builder kernel(byte[] name, byte[] image) {
            kernelName = name.clone();
            kernel = image;
            return this;
        }

        /** The kernel image set so far (null before {@link #kernel}). */
        public byte[] kernelImage() { return kernel; }

        /** Adds one boot module: {@code commandLine} is its whole Multiboot string (file name first), in UTF-8. */
        public Builder module(String commandLine, byte[] data) {
            modules.add(new MultibootLoader.Module(commandLine, data));
            return this;
        }

        /** As {@link #module(String, byte[])}, the command line given as the bytes the guest sees. */
        public Builder module(byte[] commandLine, byte[] data) {
            modules.add(new MultibootLoader.Module(commandLine.clone(), data));
            return this;
        }

        /**
         * Adds the modules of a QEMU {@code -initrd} value ("file args,file2"; ",," is a literal
         * comma), reading each file relative to {@code baseDir} while keeping the string as given.
         * A file larger than the RAM set so far is refused: call {@link #ram} first.
         */
        public Builder initrd(String value, Path baseDir) throws BadImageException {
            for (String cmdline : InitrdOption.split(value)) {
                String file = InitrdOption.fileName(cmdline);
                module(cmdline, ImageFile.read(baseDir.resolve(file), "module", file, ramBytes));
            }
            return this;
        }

        /** The -append text, in UTF-8 (null: none, the command line is then "kernel " as in QEMU). */
        public Builder append(String text) {
            append = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * The -append text as the bytes the guest gets, whatever their encoding: QEMU passes its
         * arguments through unchanged, and so does the command line.
         */
        public Builder append(byte[] text) {
            append = text == null ? null : text.clone();
            return this;
        }

        public Builder accel(Accel a) {
            accel = a;
            return this;
        }

        /** Virtual time from retired instructions (1 instruction = 1 ns) instead of the host clock. */
        public Builder icount(boolean on) {
            icount = on;
            return this;
        }

        /** Where COM1's output goes; null discards it (the port still exists). Default: System.out. */
        public Builder serialOutput(OutputStream out) {
            serial[0] = new SerialPorts.Port(out, serial[0] == null ? null : serial[0].in());
            return this;
        }

        /** Where COM1's input comes from (read on a daemon thread); null: nothing can arrive. */
        public Builder serialInput(InputStream in) {
            serial[0] = new SerialPorts.Port(serial[0] == null ? null : serial[0].out(), in);
            return this;
        }

        /**
         * Serial port COM{@code com} (1-4: 0x3F8/IRQ4, 0x2F8/IRQ3, 0x3E8/IRQ4, 0x2E8/IRQ3), with its
         * output ({@code null}: dropped) and input ({@code null}: none). Only COM1 exists by default.
         */
        public Builder serialPort(int com, OutputStream out, InputStream in) {
            serial[comIndex(com)] = new SerialPorts.Port(out, in);
            return this;
        }

        /** No UART at COM{@code com} (QEMU's -serial none): its addresses read 0xFF. */
        public Builder noSerialPort(int com) {
            serial[comIndex(com)] = null;
            return this;
        }

        private static int comIndex(int com) {
            if (com < 1 || com > SerialPorts.COUNT) throw new IllegalArgumentException("serial ports are COM1 to COM4: " + com);
            return com - 1;
        }

        /** Exit instead of rebooting on a reset request or a triple fault (QEMU's -no-reboot). */
        public Builder noReboot(boolean on) {
            noReboot = on;
            return this;
        }

        /**
         * The RTC's date at power-on, in seconds since 1970 (UTC). Default: the host clock in
         * real-time mode, 2000-01-01 00:00:00 under icount so that runs repeat exactly.
         */
        public Builder rtcEpochSeconds(long seconds) {
            rtcEpochSeconds = seconds;
            return this;
        }

        /** Where one-line notes from the machine go (default System.err). */
        public Builder notes(PrintStream out) {
            notes = out;
            return this;
        }

        /**
         * QEMU's {@code -d} logging to this logger (null: off, the default). The caller owns it:
         * it flushes and closes it after the run.
         */
        public Builder log(io.flatland.machine.log.GuestLogger logger) {
            log = logger;
            return this;
        }

        /** QEMU's -machine (default pc). */
        public Builder machine(MachineType type) {
            machineType = java.util.Objects.requireNonNull(type);
            return this;
        }

        /** QEMU's -device pc-testdev. */
        public Builder pcTestdev(boolean on) {
            pcTestdev = on;
            return this;
        }

        /** QEMU's -device pci-testdev. */
        public Builder pciTestdev(boolean on) {
            pciTestdev = on;
            return this;
        }

        /** QEMU's -cpu (default: the machine type's, qemu32 on pc and 486 on isapc, as QEMU 7.2). */
        public Builder cpu(io.flatland.cpu.CpuModel model) {
            cpuModel = java.util.Objects.requireNonNull(model);
            return this;
        }

        /** Adds an isa-debugcon at {@code iobase}; {@code out} null drops its output. */
        public Builder debugcon(int iobase, int readback, OutputStream out) {
            debugcons.add(new Debugcon(iobase, readback, out));
            return this;
        }

        /**
         * QEMU's -bios: a ROM image (a multiple of 64 KiB) at the top of the address space, run
         * from the reset vector instead of a kernel.
         */
        public Builder bios(String name, byte[] image) {
            biosName = name;
            bios = image;
            return this;
        }

        public MachineConfig build() {
            if (kernel == null && bios == null) throw new IllegalStateException("no kernel given");
            if (kernel != null && bios != null) throw new IllegalStateException("-bios runs without a kernel");
            return new MachineConfig(this);
        }
    }

}
