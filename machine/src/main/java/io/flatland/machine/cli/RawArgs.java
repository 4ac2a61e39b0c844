package io.flatland.machine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process's arguments as byte strings ({@link ByteStrings}). The JVM has already
 * decoded argv in the locale's charset, which loses bytes: under LANG=C every non-ASCII byte
 * becomes U+FFFD, and under UTF-8 so does every byte that is not valid UTF-8. On Linux the
 * exact bytes are in /proc/self/cmdline, whose last entries are the program's arguments;
 * they are used when they agree with what the JVM decoded. Elsewhere the decoded strings
 * are encoded back, which is exact whenever the locale could express them.
 */
final class RawArgs {
    private RawArgs() { }

    static List<String> ofProcess(String[] args) {
        List<String> raw = fromProcCmdline(args);
        return raw != null ? raw : ofStrings(args);
    }

    /** Arguments given as Java strings (tests, embedders): encoded as the platform would pass them. */
    static List<String> ofStrings(String[] args) {
        List<String> out = new ArrayList<>();
        for (String a : args) out.add(ByteStrings.fromPlatform(a));
        return out;
    }

    private static List<String> fromProcCmdline(String[] args) {
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<String> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                entries.add(new String(cmdline, start, i - start, java.nio.charset.StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        if (entries.size() < args.length) return null;
        List<String> tail = entries.subList(entries.size() - args.length, entries.size());
        for (int i = 0; i < args.length; i++) {
            if (!ascii(tail.get(i)).equals(ascii(args[i]))) return null;
        }
        return new ArrayList<>(tail);
    }

    /** The ASCII characters of s: what every decoding of the same bytes agrees on. */
    private static String ascii(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < 0x80) sb.append(s.charAt(i));
        return sb.toString();
    }
}
