package io.flatland.machine.gdb;

/** Hexadecimal as the remote protocol writes it: lower case, bytes in memory order. */
final class Hex {
    private Hex() { }

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    static int digit(int c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** An unsigned number of at most 8 digits (a 32-bit address or length), or -1 if malformed. */
    static long number(String s) {
        if (s.isEmpty() || s.length() > 8) return -1;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = digit(s.charAt(i));
            if (d < 0) return -1;
            v = v << 4 | d;
        }
        return v;
    }

    /** Decodes pairs of digits; null if the length is odd or a digit is bad. */
    static byte[] bytes(String s) {
        if ((s.length() & 1) != 0) return null;
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = digit(s.charAt(2 * i)), lo = digit(s.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) return null;
            b[i] = (byte) (hi << 4 | lo);
        }
        return b;
    }

    static void append(StringBuilder sb, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) appendByte(sb, b[i]);
    }

    static void appendByte(StringBuilder sb, int v) {
        sb.append(DIGITS[(v >> 4) & 0xF]).append(DIGITS[v & 0xF]);
    }

    static String of(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        append(sb, b, 0, b.length);
        return sb.toString();
    }
}
