package io.flatland.machine.cli;

import io.flatland.machine.MachineType;

/**
 * QEMU's {@code -machine TYPE[,prop=value...]} (also {@code -M}, and {@code type=TYPE}). The
 * types are {@link MachineType}'s; of QEMU's machine properties only those Flatland can honour
 * are accepted.
 */
final class MachineOption {
    private MachineOption() { }

    /** The machine type; null when none is named (only properties given). */
    static MachineType parse(String v) throws UsageException {
        MachineType type = null;
        String[] parts = v.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int eq = p.indexOf('=');
            String key = eq < 0 && i == 0 ? "type" : eq < 0 ? p : p.substring(0, eq);
            String val = eq < 0 ? (i == 0 ? p : "on") : p.substring(eq + 1);
            switch (key) {
                case "type" -> {
                    try {
                        type = MachineType.parse(val);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("-machine " + v + ": " + e.getMessage() + " (-machine help lists them)");
                    }
                }
                // The timer is Flatland's 8254; kvm-unit-tests asks for pit=off only in SMP tests.
                case "pit" -> {
                    if (!val.equals("on")) throw new UsageException("-machine " + v + ": pit=off is not supported, the 8254 PIT is always present");
                }
                case "accel" -> {
                    if (!val.equals("tcg")) throw new UsageException("-machine " + v + ": accel=" + val + " is not supported (Flatland is TCG-like; see -accel)");
                }
                default -> throw new UsageException("-machine " + v + ": property '" + key + "' is not supported by Flatland");
            }
        }
        return type;
    }

    /** What -machine help prints, in QEMU's layout. */
    static String help() {
        StringBuilder s = new StringBuilder("Supported machines are:\n");
        for (MachineType t : MachineType.values()) {
            s.append(String.format("%-20s %s%s%n", t.qemuName(), t.description(), t == MachineType.PC ? " (default)" : ""));
        }
        return s.toString();
    }
}
