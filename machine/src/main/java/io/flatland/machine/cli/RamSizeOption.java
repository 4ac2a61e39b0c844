package io.flatland.machine.cli;

import io.flatland.machine.MachineConfig;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * QEMU's {@code -m} value, spelled as QEMU 7.2 accepts it: a decimal or 0x-hexadecimal number
 * (hex digits are taken greedily, as strtoull does, so "0x10B" is 0x10B MiB), an optional
 * B/K/M/G/T suffix (MiB without one), a decimal fraction only together with a suffix ("1.5G",
 * not "1.5"), an optional "size=" prefix; 0 means the default size. As in QEMU the result is
 * rounded up to 8 KiB.
 */
final class RamSizeOption {
    private static final long ALIGN = 8192;
    private static final Pattern HEX = Pattern.compile("0[xX]([0-9a-fA-F]+)(.*)");
    private static final Pattern DEC = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(.*)");

    private RamSizeOption() { }

    static long parse(String v) throws UsageException {
        String s = v.startsWith("size=") ? v.substring(5) : v;
        BigDecimal n;
        String suffix;
        Matcher m = HEX.matcher(s);
        if (m.matches()) {
            n = new BigDecimal(new BigInteger(m.group(1), 16));
        } else if ((m = DEC.matcher(s)).matches()) {
            n = new BigDecimal(m.group(1));
        } else {
            throw new UsageException("-m " + v + ": not a size");
        }
        suffix = m.group(2);
        long unit = switch (suffix.toUpperCase()) {
            case "" -> 1L << 20;
            case "B" -> 1;
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            case "G" -> 1L << 30;
            case "T" -> 1L << 40;
            default -> throw new UsageException("-m " + v + ": unknown size suffix '" + suffix + "' (use K, M or G)");
        };
        if (suffix.isEmpty() && n.scale() > 0) throw new UsageException("-m " + v + ": a fraction needs a unit (e.g. 1.5G)");
        if (n.signum() == 0) return MachineConfig.DEFAULT_RAM;
        BigDecimal bytes = n.multiply(BigDecimal.valueOf(unit));
        if (bytes.compareTo(BigDecimal.valueOf(MachineConfig.MAX_RAM)) > 0) {
            throw new UsageException("-m " + v + ": too large, at most 3584 MiB (3.5 GiB)");
        }
        long b = bytes.longValue();                       // a fraction of a byte is dropped
        b = (b + ALIGN - 1) / ALIGN * ALIGN;
        if (b < MachineConfig.MIN_RAM) throw new UsageException("-m " + v + ": too small, Flatland needs at least 2 MiB");
        return b;
    }
}
