package io.flatland.jit;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/** A minimal assembler for test programs: raw bytes, labels, rel32/abs32 fixups. */
final class Code {
    final int origin;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> labels = new HashMap<>();
    private final Map<Integer, String> rel32 = new HashMap<>(), abs32 = new HashMap<>();

    Code(int origin) { this.origin = origin; }

    Code b(int... bytes) { for (int x : bytes) out.write(x); return this; }
    Code d(int v) { out.write(v); out.write(v >>> 8); out.write(v >>> 16); out.write(v >>> 24); return this; }
    Code label(String name) { labels.put(name, here()); return this; }
    int here() { return origin + out.size(); }
    /** A 32-bit displacement to {@code label}, relative to the end of the field. */
    Code rel(String label) { rel32.put(out.size(), label); return d(0); }
    /** The absolute address of {@code label} (plus nothing). */
    Code abs(String label) { abs32.put(out.size(), label); return d(0); }
    /** Pads with NOPs up to {@code addr}. */
    Code padTo(int addr) { while (here() < addr) out.write(0x90); return this; }
    int addr(String label) { return labels.get(label); }

    byte[] bytes() {
        byte[] b = out.toByteArray();
        rel32.forEach((pos, l) -> put(b, pos, labels.get(l) - (origin + pos + 4)));
        abs32.forEach((pos, l) -> put(b, pos, labels.get(l)));
        return b;
    }

    private static void put(byte[] b, int pos, int v) {
        for (int i = 0; i < 4; i++) b[pos + i] = (byte) (v >>> (8 * i));
    }

    // Common instructions.
    Code movEaxImm(int v) { return b(0xB8).d(v); }
    Code movMemImm(int addr, int v) { return b(0xC7, 0x05).d(addr).d(v); }
    /** dec dword [addr]; jnz label */
    Code loop(int counter, String label) { return b(0xFF, 0x0D).d(counter).b(0x0F, 0x85).rel(label); }
    Code addMemEax(int addr) { return b(0x01, 0x05).d(addr); }
    /** The program's final stop; labelled "end". */
    Code cliHlt() { return label("end").b(0xFA, 0xF4); }
}
