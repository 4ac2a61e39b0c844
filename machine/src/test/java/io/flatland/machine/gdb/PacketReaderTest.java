package io.flatland.machine.gdb;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Framing of the remote protocol: checksums, escapes, interrupts, malformed and oversized input. */
class PacketReaderTest {
    private static PacketReader reader(String s) {
        return new PacketReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static PacketReader reader(byte[] b) {
        return new PacketReader(new ByteArrayInputStream(b));
    }

    @Test
    void readsAcksInterruptsAndPacketsWithTheirChecksum() throws IOException {
        // "g" sums to 0x67; "qC" to 0x71+0x43 = 0xb4 (upper-case digits accepted too).
        PacketReader r = reader("+-\u0003$g#67junk$qC#B4");
        assertEquals(PacketReader.Kind.ACK, r.next());
        assertEquals(PacketReader.Kind.NACK, r.next());
        assertEquals(PacketReader.Kind.INTERRUPT, r.next());
        assertEquals(PacketReader.Kind.PACKET, r.next());
        assertEquals("g", r.packet);
        assertEquals(PacketReader.Kind.PACKET, r.next());
        assertEquals("qC", r.packet);
        assertEquals(PacketReader.Kind.EOF, r.next());
    }

    @Test
    void badOrMalformedChecksumIsReportedNotThrown() throws IOException {
        PacketReader r = reader("$g#68$g#zz$g#6");
        assertEquals(PacketReader.Kind.BAD_CHECKSUM, r.next());
        assertEquals(PacketReader.Kind.BAD_CHECKSUM, r.next());
        assertEquals(PacketReader.Kind.EOF, r.next(), "a packet cut short ends the stream");
    }

    @Test
    void escapedBytesAreDecodedAndTheChecksumCoversTheRawBytes() throws IOException {
        // X packet carrying the bytes 0x23 '#', 0x7d '}' and 0x2a '*': escaped as 7d 03, 7d 5d, 7d 0a.
        byte[] body = {'X', '1', ',', '3', ':', 0x7d, 0x03, 0x7d, 0x5d, 0x7d, 0x0a};
        int sum = 0;
        for (byte b : body) sum += b & 0xFF;
        byte[] all = new byte[body.length + 4];
        all[0] = '$';
        System.arraycopy(body, 0, all, 1, body.length);
        all[body.length + 1] = '#';
        String cs = String.format("%02x", sum & 0xFF);
        all[body.length + 2] = (byte) cs.charAt(0);
        all[body.length + 3] = (byte) cs.charAt(1);
        PacketReader r = reader(all);
        assertEquals(PacketReader.Kind.PACKET, r.next());
        assertEquals("X1,3:#}*", r.packet);
    }

    @Test
    void aDollarInsideABodyStartsOver() throws IOException {
        PacketReader r = reader("$garbage$g#67");
        assertEquals(PacketReader.Kind.PACKET, r.next());
        assertEquals("g", r.packet);
    }

    @Test
    void oversizedPacketIsConsumedAndReported() throws IOException {
        StringBuilder sb = new StringBuilder("$");
        int sum = 0;
        for (int i = 0; i < PacketReader.MAX_BODY + 100; i++) {
            sb.append('a');
            sum += 'a';
        }
        sb.append('#').append(String.format("%02x", sum & 0xFF)).append("$g#67");
        PacketReader r = reader(sb.toString());
        assertEquals(PacketReader.Kind.OVERSIZED, r.next());
        assertEquals(PacketReader.Kind.PACKET, r.next(), "the stream stays in step after it");
        assertEquals("g", r.packet);
    }

    @Test
    void framingEscapesSpecialBytesAndRoundTrips() throws IOException {
        String reply = "a$b#c}d*e";
        byte[] framed = PacketReader.frame(reply);
        String text = new String(framed, StandardCharsets.ISO_8859_1);
        assertEquals("$a}\u0004b}\u0003c}]d}\ne#", text.substring(0, text.length() - 2));
        PacketReader r = reader(framed);
        assertEquals(PacketReader.Kind.PACKET, r.next());
        assertEquals(reply, r.packet);
        assertEquals("$OK#9a", new String(PacketReader.frame("OK"), StandardCharsets.ISO_8859_1));
    }
}
