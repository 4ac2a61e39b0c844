package io.flatland.machine;

import java.nio.charset.StandardCharsets;

/**
 * A tiny Multiboot kernel made here, byte by byte, for `flatland boot` when the jar holds
 * no kernel model: it writes POST 0x01, prints one line on COM1 (polling LSR bit 5), writes
 * POST 0x07 and leaves through isa-debug-exit with v = 0x10 (status 33, "success").
 * It uses the a.out kludge (header flag 16) so it needs no ELF headers:
 * load_addr = header_addr = 1 MiB, the whole file loaded, entry right after the header.
 * {@link #aout} wraps other hand-assembled code the same way (tests, examples).
 */
public final class DemoKernel {
    public static final String MESSAGE = "Flatland demo kernel: hello from a Multiboot guest\n";
    private static final int BASE = 0x100000, HEADER_SIZE = 32, CODE_SIZE = 48;

    private DemoKernel() { }

    public static byte[] image() {
        byte[] msg = (MESSAGE + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] k = new byte[HEADER_SIZE + CODE_SIZE + msg.length];
        int magic = 0x1BADB002, flags = 0x00010000;
        put32(k, 0, magic);
        put32(k, 4, flags);
        put32(k, 8, -(magic + flags));
        put32(k, 12, BASE);               // header_addr
        put32(k, 16, BASE);               // load_addr
        put32(k, 20, 0);                  // load_end_addr: the whole file
        put32(k, 24, 0);                  // bss_end_addr: no BSS
        put32(k, 28, BASE + HEADER_SIZE); // entry_addr
        int msgAddr = BASE + HEADER_SIZE + CODE_SIZE;
        byte[] code = {
            (byte) 0xB0, 0x01,                         // +0  mov al, 1
            (byte) 0xE6, (byte) 0x80,                  // +2  out 0x80, al
            (byte) 0xBE, 0, 0, 0, 0,                   // +4  mov esi, msg
            (byte) 0xAC,                               // +9  next: lodsb
            (byte) 0x84, (byte) 0xC0,                  // +10 test al, al
            0x74, 0x14,                                // +12 jz done (+34)
            (byte) 0x88, (byte) 0xC3,                  // +14 mov bl, al
            0x66, (byte) 0xBA, (byte) 0xFD, 0x03,      // +16 mov dx, 0x3FD (LSR)
            (byte) 0xEC,                               // +20 poll: in al, dx
            (byte) 0xA8, 0x20,                         // +21 test al, 0x20 (THRE)
            0x74, (byte) 0xFB,                         // +23 jz poll
            (byte) 0x88, (byte) 0xD8,                  // +25 mov al, bl
            0x66, (byte) 0xBA, (byte) 0xF8, 0x03,      // +27 mov dx, 0x3F8 (THR)
            (byte) 0xEE,                               // +31 out dx, al
            (byte) 0xEB, (byte) 0xE7,                  // +32 jmp next
            (byte) 0xB0, 0x07,                         // +34 done: mov al, 7
            (byte) 0xE6, (byte) 0x80,                  // +36 out 0x80, al
            (byte) 0xB0, 0x10,                         // +38 mov al, 0x10
            (byte) 0xE6, (byte) 0xF4,                  // +40 out 0xF4, al (isa-debug-exit)
            (byte) 0xFA,                               // +42 cli
            (byte) 0xF4,                               // +43 hlt
            (byte) 0xEB, (byte) 0xFC,                  // +44 jmp +42
            (byte) 0x90, (byte) 0x90,                  // +46 padding
        };
        put32(code, 5, msgAddr);
        System.arraycopy(code, 0, k, HEADER_SIZE, code.length);
        System.arraycopy(msg, 0, k, HEADER_SIZE + CODE_SIZE, msg.length);
        return k;
    }

    /** A Multiboot a.out-kludge image: the header, then {@code code} at 1 MiB + 32, which is the entry. */
    public static byte[] aout(byte[] code) {
        byte[] k = new byte[HEADER_SIZE + code.length];
        int magic = 0x1BADB002, flags = 0x00010000;
        put32(k, 0, magic);
        put32(k, 4, flags);
        put32(k, 8, -(magic + flags));
        put32(k, 12, BASE);
        put32(k, 16, BASE);
        put32(k, 28, BASE + HEADER_SIZE);
        System.arraycopy(code, 0, k, HEADER_SIZE, code.length);
        return k;
    }

    private static void put32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }
}
