package io.flatland.machine.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits the byte stream from gdb into the remote protocol's units (gdb manual, "Remote
 * Protocol", Overview): acknowledgements {@code +}/{@code -}, the interrupt byte 0x03, and
 * packets {@code $body#cc} whose two-digit checksum is the sum of the body's bytes modulo 256.
 * In the body, 0x7d escapes the next byte (XORed with 0x20): the binary data of {@code X}
 * packets; the body is returned unescaped, one char per byte (ISO-8859-1).
 *
 * <p>Nothing the client sends can make it throw: a body longer than {@link #MAX_BODY} is
 * consumed and reported as {@link Kind#OVERSIZED} (memory stays bounded), a bad or
 * malformed checksum as {@link Kind#BAD_CHECKSUM}; bytes between packets are ignored.
 */
final class PacketReader {
    /** The PacketSize advertised in qSupported: the largest body gdb may send. */
    static final int MAX_BODY = 0x4000;

    enum Kind { ACK, NACK, INTERRUPT, PACKET, BAD_CHECKSUM, OVERSIZED, EOF }

    private final InputStream in;
    private final byte[] body = new byte[MAX_BODY];

    /** The body of the last {@link Kind#PACKET}. */
    String packet;

    PacketReader(InputStream in) { this.in = in; }

    Kind next() throws IOException {
        for (;;) {
            int c = in.read();
            switch (c) {
                case -1: return Kind.EOF;
                case '+': return Kind.ACK;
                case '-': return Kind.NACK;
                case 0x03: return Kind.INTERRUPT;
                case '$': return body();
                default: break;   // noise between packets
            }
        }
    }

    /** Reads the rest of a packet after '$'. A '$' inside the body drops it and starts a new one there. */
    private Kind body() throws IOException {
        int len = 0, sum = 0;
        boolean escaped = false, oversized = false;
        for (;;) {
            int c = in.read();
            if (c < 0) return Kind.EOF;
            if (c == '#') break;
            if (c == '$') {
                len = 0;
                sum = 0;
                escaped = false;
                oversized = false;
                continue;
            }
            sum += c;
            int b;
            if (escaped) {
                b = c ^ 0x20;
                escaped = false;
            } else if (c == 0x7d) {
                escaped = true;
                continue;
            } else {
                b = c;
            }
            if (len < MAX_BODY) body[len++] = (byte) b;
            else oversized = true;
        }
        int hi = in.read(), lo = in.read();
        if (lo < 0) return Kind.EOF;
        int h = Hex.digit(hi), l = Hex.digit(lo);
        if (h < 0 || l < 0 || (h << 4 | l) != (sum & 0xFF)) return Kind.BAD_CHECKSUM;
        if (oversized) return Kind.OVERSIZED;
        packet = new String(body, 0, len, StandardCharsets.ISO_8859_1);
        return Kind.PACKET;
    }

    /** {@code $body#cc} for a reply, escaping '$', '#', '}' and '*' (a reply may carry binary data). */
    static byte[] frame(String reply) {
        byte[] raw = reply.getBytes(StandardCharsets.ISO_8859_1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length + 8);
        out.write('$');
        int sum = 0;
        for (byte x : raw) {
            int b = x & 0xFF;
            if (b == '$' || b == '#' || b == 0x7d || b == '*') {
                out.write(0x7d);
                out.write(b ^ 0x20);
                sum += 0x7d + (b ^ 0x20);
            } else {
                out.write(b);
                sum += b;
            }
        }
        out.write('#');
        StringBuilder cs = new StringBuilder(2);
        Hex.appendByte(cs, sum & 0xFF);
        out.write(cs.charAt(0));
        out.write(cs.charAt(1));
        return out.toByteArray();
    }
}
