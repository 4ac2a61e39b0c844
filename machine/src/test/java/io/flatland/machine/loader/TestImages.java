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

    /**
     * A bzImage as Documentation/x86/boot.rst describes it: {@code setupSects} + 1 sectors of
     * real-mode part (boot sector with the setup header at 0x1F1), then {@code pm}, the
     * protected-mode kernel; LOADED_HIGH set, code32_start 0x100000, initrd_addr_max
     * 0x7FFFFFFF, syssize covering {@code pm}.
     */
    public static byte[] bzImage(int version, int setupSects, byte[] pm) {
        int setup = ((setupSects == 0 ? 4 : setupSects) + 1) * 512;      // 0 means 4
        byte[] k = new byte[setup + (pm.length + 15) / 16 * 16];          // padded to 16 bytes, as the kernel's build does
        k[0x1F1] = (byte) setupSects;
        put32(k, 0x1F4, (pm.length + 15) / 16);
        k[0x1FE] = 0x55;
        k[0x1FF] = (byte) 0xAA;
        k[0x200] = (byte) 0xEB;                   // jmp short over the header, which ends at 0x202 + 0x66
        k[0x201] = 0x66;
        put32(k, 0x202, 0x53726448);             // "HdrS"
        k[0x206] = (byte) version;
        k[0x207] = (byte) (version >> 8);
        k[0x211] = 0x01;                          // LOADED_HIGH
        put32(k, 0x214, 0x100000);
        put32(k, 0x22C, 0x7FFFFFFF);
        put32(k, 0x238, 2047);
        k[0x270] = 0x5A;                          // setup code past the header's end (0x268): not part of boot_params
        System.arraycopy(pm, 0, k, setup, pm.length);
        return k;
    }

    public static void put32(byte[] a, int off, int v) {
        a[off] = (byte) v;
        a[off + 1] = (byte) (v >> 8);
        a[off + 2] = (byte) (v >> 16);
        a[off + 3] = (byte) (v >> 24);
    }
}
