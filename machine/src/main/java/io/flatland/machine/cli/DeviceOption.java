package io.flatland.machine.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * QEMU's {@code -device NAME[,prop=value...]} for the devices Flatland models: isa-debug-exit
 * (always present, at QEMU's usual place), isa-debugcon, pc-testdev and pci-testdev.
 */
final class DeviceOption {
    static final String SUPPORTED = "isa-debug-exit, isa-debugcon, pc-testdev, pci-testdev";

    /** An isa-debugcon: its port, the byte its reads return, and the -chardev id its output goes to. */
    record Debugcon(int iobase, int readback, String chardev) { }

    private DeviceOption() { }

    /** Applies one -device value to {@code o}. */
    static void apply(Options o, String v) throws UsageException {
        String[] parts = v.split(",", -1);
        String name = parts[0];
        Map<String, String> props = new LinkedHashMap<>();
        for (int k = 1; k < parts.length; k++) {
            String p = parts[k];
            int eq = p.indexOf('=');
            if (eq <= 0) throw new UsageException("-device " + v + ": malformed property '" + p + "'");
            props.put(p.substring(0, eq), p.substring(eq + 1));
        }
        switch (name) {
            case "isa-debug-exit" -> debugExit(v, props);
            case "isa-debugcon" -> o.debugcons.add(debugcon(v, props));
            case "pc-testdev" -> {
                noProperties(v, name, props);
                o.pcTestdev = true;
            }
            case "pci-testdev" -> {
                noProperties(v, name, props);
                o.pciTestdev = true;
            }
            default -> throw new UsageException("-device " + name + ": not a device Flatland models (use " + SUPPORTED + ")");
        }
    }

    private static void noProperties(String v, String name, Map<String, String> props) throws UsageException {
        if (!props.isEmpty()) {
            throw new UsageException("-device " + v + ": unknown property '" + props.keySet().iterator().next() + "' of " + name);
        }
    }

    private static void debugExit(String v, Map<String, String> props) throws UsageException {
        for (Map.Entry<String, String> e : props.entrySet()) {
            long n = number(v, e.getValue());
            switch (e.getKey()) {
                case "iobase" -> { if (n != 0xF4) throw new UsageException("-device isa-debug-exit: only iobase=0xf4 is supported"); }
                case "iosize" -> { if (n != 4) throw new UsageException("-device isa-debug-exit: only iosize=0x04 is supported"); }
                default -> throw new UsageException("-device isa-debug-exit: unknown property '" + e.getKey() + "'");
            }
        }
    }

    /** QEMU's defaults: iobase 0xE9, readback 0xE9; the chardev is required. */
    private static Debugcon debugcon(String v, Map<String, String> props) throws UsageException {
        int iobase = 0xE9, readback = 0xE9;
        String chardev = null;
        for (Map.Entry<String, String> e : props.entrySet()) {
            switch (e.getKey()) {
                case "iobase" -> {
                    long n = number(v, e.getValue());
                    if (n > 0xFFFF) throw new UsageException("-device " + v + ": iobase 0x" + Long.toHexString(n) + " is beyond the I/O space");
                    iobase = (int) n;
                }
                case "readback" -> readback = (int) number(v, e.getValue()) & 0xFF;
                case "chardev" -> chardev = e.getValue();
                default -> throw new UsageException("-device isa-debugcon: unknown property '" + e.getKey() + "'");
            }
        }
        if (chardev == null) throw new UsageException("-device " + v + ": isa-debugcon needs chardev=ID (with -chardev ...,id=ID)");
        return new Debugcon(iobase, readback, chardev);
    }

    private static long number(String v, String val) throws UsageException {
        try {
            long n = Long.decode(val);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("-device " + v + ": bad number '" + val + "'");
        }
    }
}
