package io.flatland.machine.cli;

/**
 * QEMU's {@code -icount} value ("shift=N", a bare "N", "auto", with optional ",sleep=on|off"),
 * for users who type QEMU's spelling of Flatland's {@code --icount}. Flatland has one
 * instruction-count mode: 1 instruction = 1 ns of virtual time (QEMU's shift=0), and halted
 * time is skipped. So shift=0 and shift=auto (QEMU's adaptive shift, which has no meaning
 * without host-time alignment) both select it, sleep= is accepted and ignored, and every
 * other shift or sub-option is refused with a message saying so.
 */
final class IcountOption {
    private IcountOption() { }

    /** Checks {@code value}; returns normally if it asks for Flatland's icount mode. */
    static void check(String value) throws UsageException {
        if (value.isEmpty()) throw new UsageException("-icount: empty value (use --icount, or QEMU's -icount shift=0)");
        String[] parts = value.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            String shift = i == 0 && p.indexOf('=') < 0 ? p : p.startsWith("shift=") ? p.substring(6) : null;
            if (shift != null) {
                if (!shift.equals("0") && !shift.equals("auto")) {
                    throw new UsageException("-icount " + value + ": Flatland runs one instruction per virtual nanosecond "
                            + "(shift=0) only; use --icount, -icount shift=0 or -icount auto");
                }
            } else if (!p.equals("sleep=on") && !p.equals("sleep=off")) {
                throw new UsageException("-icount " + value + ": '" + p + "' is not supported (Flatland accepts shift=0|auto "
                        + "and sleep=on|off, and always skips halted time)");
            }
        }
    }
}
