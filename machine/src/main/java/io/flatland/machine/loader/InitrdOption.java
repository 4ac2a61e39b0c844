package io.flatland.machine.loader;

import java.util.ArrayList;
import java.util.List;

/**
 * QEMU's {@code -initrd} value for Multiboot kernels: modules separated by commas, a doubled
 * comma standing for a literal one (QEMU's get_opt_value). Each element is the module's
 * whole command line; the file to load is the text before its first space.
 */
public final class InitrdOption {
    private InitrdOption() { }

    public static List<String> split(String value) throws BadImageException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int i = 0;
        while (true) {
            if (i == value.length()) {
                out.add(cur.toString());
                break;
            }
            char c = value.charAt(i);
            if (c == ',') {
                if (i + 1 < value.length() && value.charAt(i + 1) == ',') {
                    cur.append(',');
                    i += 2;
                    continue;
                }
                out.add(cur.toString());
                cur.setLength(0);
                i++;
                continue;
            }
            cur.append(c);
            i++;
        }
        for (String s : out) {
            if (fileName(s).isEmpty()) throw new BadImageException("-initrd: empty module file name in \"" + value + "\"");
        }
        return out;
    }

    /** The file part of a module command line: the text before the first space. */
    public static String fileName(String commandLine) {
        int sp = commandLine.indexOf(' ');
        return sp < 0 ? commandLine : commandLine.substring(0, sp);
    }

    /** Length in bytes of the {@code -initrd} text {@link #join} would make of these command lines. */
    public static long joinedLength(List<byte[]> commandLines) {
        long n = Math.max(0, commandLines.size() - 1);          // the separating commas
        for (byte[] s : commandLines) {
            n += s.length;
            for (byte b : s) if (b == ',') n++;                 // each literal comma is doubled
        }
        return n;
    }

    /** The {@code -initrd} string that {@link #split} turns back into {@code commandLines}. */
    public static String join(List<String> commandLines) {
        StringBuilder sb = new StringBuilder();
        for (String s : commandLines) {
            if (sb.length() > 0) sb.append(',');
            sb.append(s.replace(",", ",,"));
        }
        return sb.toString();
    }
}
