package io.flatland.machine.cli;

import io.flatland.cpu.CpuFeature;
import io.flatland.cpu.CpuModel;
import io.flatland.machine.MachineType;

/**
 * QEMU's {@code -cpu NAME[,+feat][,-feat][,feat=on|off][,feat]}: one of {@link CpuModel#ALL}
 * with its flags switched. Turning on a flag Flatland does not implement is refused (the
 * guest would use it and fail); turning one off is always fine.
 */
final class CpuOption {
    private CpuOption() { }

    /**
     * The model {@code v} names; {@code v} null means the machine's default, which QEMU 7.2
     * makes qemu32 for pc and 486 for isapc.
     */
    static CpuModel parse(String v, MachineType machine) throws UsageException {
        if (v == null) return machine == MachineType.ISAPC ? CpuModel.I486 : CpuModel.QEMU32;
        String[] parts = v.split(",", -1);
        CpuModel m = CpuModel.byName(parts[0]);
        if (m == null) {
            throw new UsageException("-cpu " + parts[0] + ": unsupported CPU model (use " + names() + ")");
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            boolean sign = p.startsWith("+") || p.startsWith("-");
            int eq = p.indexOf('=');
            String name = sign ? p.substring(1) : eq >= 0 ? p.substring(0, eq) : p;
            CpuFeature f = CpuFeature.byQemuName(name);
            if (f == null && !isNoOpProperty(name)) {
                throw new UsageException("-cpu " + v + ": unknown CPU feature or property '" + name + "'");
            }
            boolean on = sign ? p.charAt(0) == '+' : eq < 0 || bool(v, p.substring(eq + 1));
            if (f == null) continue;
            // The local APIC's flags are the machine's to report (with its local APIC), so asking for them is fine.
            if (on && !f.implemented() && !f.ofLocalApic()) {
                throw new UsageException("-cpu " + v + ": Flatland does not implement the CPU feature '" + f.qemuName() + "'");
            }
            m = m.withFeature(f, on);
        }
        return m;
    }

    /**
     * QEMU CPU properties that change nothing here. host-phys-bits makes QEMU's physical address
     * width the host's; Flatland's does not depend on the host (CPUID.80000008 says 32 bits), so
     * either value leaves the CPU as it is.
     */
    private static boolean isNoOpProperty(String name) {
        return name.replace('_', '-').equals("host-phys-bits");
    }

    private static boolean bool(String v, String s) throws UsageException {
        return switch (s) {
            case "on", "yes", "true", "y" -> true;
            case "off", "no", "false", "n" -> false;
            default -> throw new UsageException("-cpu " + v + ": '" + s + "' is not on or off");
        };
    }

    private static String names() {
        StringBuilder s = new StringBuilder();
        for (CpuModel m : CpuModel.ALL) s.append(s.length() == 0 ? "" : ", ").append(m.name);
        return s.toString();
    }

    /** What -cpu help prints: the models in QEMU's layout, then the flags Flatland can report. */
    static String help() {
        StringBuilder s = new StringBuilder("Available CPUs:\n");
        for (CpuModel m : CpuModel.ALL) {
            String what = m.brand != null ? m.brand : m.vendor + " family " + m.family + " model " + m.model;
            s.append(String.format("x86 %-12s %s%s%n", m.name, what,
                    m == CpuModel.QEMU32 ? " (default; 486 on isapc)" : ""));
        }
        s.append("\nRecognized CPUID flags (only these can be turned on; apic follows the machine):\n ");
        for (CpuFeature f : CpuFeature.values()) if (f.implemented() || f.ofLocalApic()) s.append(' ').append(f.qemuName());
        return s.append('\n').toString();
    }
}
