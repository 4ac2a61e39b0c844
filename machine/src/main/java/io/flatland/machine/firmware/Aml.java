package io.flatland.machine.firmware;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few ACPI Machine Language encodings (ACPI spec, chapter 20) the DSDT needs: names,
 * constants, packages, scopes and devices with their PkgLength prefixes.
 */
final class Aml {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    byte[] bytes() { return out.toByteArray(); }

    /** NameOp NameSeg: the object that follows is named {@code seg} (4 characters). */
    Aml name(String seg) {
        out.write(0x08);
        nameSeg(seg);
        return this;
    }

    Aml zero() {
        out.write(0x00);
        return this;
    }

    /** DWordConst. */
    Aml dword(int v) {
        out.write(0x0C);
        for (int i = 0; i < 4; i++) out.write(v >>> (8 * i));
        return this;
    }

    /** Package (n) {Zero, ...}. */
    Aml packageOfZeros(int n) {
        byte[] body = new byte[1 + n];
        body[0] = (byte) n;
        out.write(0x12);
        withLength(body);
        return this;
    }

    /** Scope (path) {...}: {@code path} a root-relative name such as "\\_SB_". */
    Aml scope(String path, Aml content) {
        out.write(0x10);
        withLength(concat(path.getBytes(StandardCharsets.US_ASCII), content.bytes()));
        return this;
    }

    /** Device (seg) {...}. */
    Aml device(String seg, Aml content) {
        out.write(0x5B);
        out.write(0x82);
        withLength(concat(seg.getBytes(StandardCharsets.US_ASCII), content.bytes()));
        return this;
    }

    private void nameSeg(String seg) {
        if (seg.length() != 4) throw new IllegalArgumentException("AML NameSeg must be 4 characters: " + seg);
        out.writeBytes(seg.getBytes(StandardCharsets.US_ASCII));
    }

    /** PkgLength (counting itself) followed by {@code body}: one byte below 64, else 2-4 bytes. */
    private void withLength(byte[] body) {
        int n = body.length;
        int len = n + 1;
        if (len < 64) {
            out.write(len);
        } else {
            int extra = len + 1 < 1 << 12 ? 1 : len + 2 < 1 << 20 ? 2 : 3;
            len = n + 1 + extra;
            out.write(extra << 6 | (len & 0xF));
            for (int i = 0; i < extra; i++) out.write(len >>> (4 + 8 * i));
        }
        out.writeBytes(body);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
