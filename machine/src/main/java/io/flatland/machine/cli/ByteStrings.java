package io.flatland.machine.cli;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The command line's arguments are carried as "byte strings": Java strings whose chars are
 * the argument's bytes, one each (0-255), so nothing the user typed is lost to the JVM's
 * decoding. From them come the bytes the guest gets (-append, file names on the Multiboot
 * command line), host paths that name exactly those bytes, and text for messages.
 */
final class ByteStrings {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ByteStrings() { }

    static byte[] bytes(String byteString) {
        return byteString.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String of(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The charset the JVM uses for file names and arguments (the locale's). */
    static Charset platform() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** A string encoded as the platform encodes arguments, as a byte string. */
    static String fromPlatform(String s) {
        return of(s.getBytes(platform()));
    }

    /** For messages: the bytes decoded in the locale's charset (what the terminal shows). */
    static String display(String byteString) {
        return new String(bytes(byteString), platform());
    }

    /**
     * The host file the bytes name, relative to {@code cwd}. Built through a file: URI, whose
     * percent escapes the JDK turns back into exactly these bytes: {@code Path.of(String)}
     * would encode the name in the locale's charset, which cannot express every byte (under
     * LANG=C, not even é).
     */
    static Path path(Path cwd, String byteString) {
        byte[] b = bytes(byteString);
        StringBuilder uri = new StringBuilder();
        if (b.length > 0 && b[0] == '/') {
            uri.append("file://");
        } else {
            String base = cwd.toAbsolutePath().toUri().toString();
            uri.append(base).append(base.endsWith("/") ? "" : "/");
        }
        for (byte x : b) {
            int c = x & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "/-._~".indexOf(c) >= 0) {
                uri.append((char) c);
            } else {
                uri.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return Path.of(URI.create(uri.toString()));
    }
}
