package io.flatland.machine.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds small kernel images for loader tests, following the ELF32 and Multiboot layouts. */
public final class TestImages {
    private TestImages() { }

    public static final int MB_MAGIC = 0x1BADB002;

    /**
     * An ELF32 i386 executable with one PT_LOAD segment: the segment holds a Multiboot header
     * (flags 3) followed by {@code body}; it is loaded at {@code paddr} (linked at vaddr + 0xC0000000)
     * with {@code bss} extra zero bytes.
     */
    public static byte[] elf(int paddr, byte[] body, int bss) {
        int hdr = 52, ph = 32, seg = 12 + body.length;
        ByteBuffer b = ByteBuffer.allocate(hdr + ph + seg).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1, 0}).put(new byte[8]);
        b.putShort((short) 2).putShort((short) 3).putInt(1);        // ET_EXEC, EM_386, EV_CURRENT
        b.putInt(paddr + 12);                                      // e_entry: right after the header
        b.putInt(hdr).putInt(0).putInt(0);                         // e_phoff, e_shoff, e_flags
        b.putShort((short) hdr).putShort((short) ph).putShort((short) 1);
        b.putShort((short) 40).putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(hdr + ph).putInt(paddr + 0xC0000000).putInt(paddr);   // PT_LOAD
        b.putInt(seg).putInt(seg + bss).putInt(7).putInt(0x1000);
        b.putInt(MB_MAGIC).putInt(3).putInt(-(MB_MAGIC + 3));
        b.put(body);
        return b.array();
    }

    public static void put32(byte[] a, int off, int v) {
        a[off] = (byte) v;
        a[off + 1] = (byte) (v >> 8);
        a[off + 2] = (byte) (v >> 16);
        a[off + 3] = (byte) (v >> 24);
    }
}
