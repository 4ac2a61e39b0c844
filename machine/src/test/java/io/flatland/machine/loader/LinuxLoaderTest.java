package io.flatland.machine.loader;

import io.flatland.mmu.MmioBus;
import io.flatland.mmu.PhysicalMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Linux boot protocol loader against Documentation/x86/boot.rst and zero-page.rst, and
 * against QEMU 7.2 for the same files (the initrd address, the E820 table and the command line
 * as Debian's 6.1 kernel reports them under qemu-system-i386 -m 256).
 */
class LinuxLoaderTest {
    private static final long MIB = 1 << 20;
    private PhysicalMemory ram;

    @AfterEach
    void tearDown() {
        if (ram != null) ram.close();
    }

    private static byte[] pm(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 1);
        return b;
    }

    private LinuxBootImage load(byte[] kernel, String append, byte[] initrd, long size) throws BadImageException {
        LinuxBootImage img = LinuxLoader.prepare(kernel, append == null ? null : append.getBytes(StandardCharsets.UTF_8),
                initrd, "initrd.img", size);
        ram = new PhysicalMemory(img.memoryMap().below4g(), new MmioBus());
        img.load(ram, new int[] {0x3F8});
        return img;
    }

    @Test
    void recognisesTheHdrSSignatureOnly() {
        assertTrue(LinuxSetupHeader.isLinux(TestImages.bzImage(0x20F, 4, pm(64))));
        assertFalse(LinuxSetupHeader.isLinux(TestImages.elf(0x100000, new byte[16], 0)));
        assertFalse(LinuxSetupHeader.isLinux(new byte[0x205]));
    }

    @Test
    void layoutIsQemus() throws BadImageException {
        byte[] pm = pm(10000);
        byte[] k = TestImages.bzImage(0x20F, 39, pm);
        byte[] initrd = pm(1063723);
        LinuxBootImage img = load(k, "console=ttyS0 earlyprintk=serial,ttyS0", initrd, 256 * MIB);
        int bp = LinuxLoader.BOOT_PARAMS;
        assertEquals(0x10000, bp);
        // The protected-mode kernel at 1 MiB, the setup sectors left out.
        for (int i = 0; i < pm.length; i += 997) assertEquals(pm[i] & 0xFF, ram.read8(0x100000 + i));
        // Header copied up to its end (0x202 + byte at 0x201), loader fields as QEMU writes them.
        assertEquals(39, ram.read8(bp + 0x1F1));
        assertEquals(0x53726448, ram.read32(bp + 0x202));
        assertEquals(0x20F, ram.read16(bp + 0x206));
        assertEquals(0, ram.read8(bp + 0x270), "bytes past the header are not copied");
        assertEquals(0xB0, ram.read8(bp + 0x210), "type_of_loader: QEMU");
        assertEquals(0x81, ram.read8(bp + 0x211), "LOADED_HIGH | CAN_USE_HEAP");
        assertEquals(0xFE00, ram.read16(bp + 0x224), "heap_end_ptr");
        assertEquals(0x20000, ram.read32(bp + 0x228), "cmd_line_ptr");
        assertEquals(0x100000, ram.read32(bp + 0x214), "code32_start");
        // QEMU 7.2 put this initrd at 0x0FEDC000 ("RAMDISK: [mem 0x0fedc000-0x0ffdffff]").
        assertEquals(0x0FEDC000, ram.read32(bp + 0x218));
        assertEquals(0x0FEDC000L, img.initrdAddress());
        assertEquals(initrd.length, ram.read32(bp + 0x21C));
        assertEquals(initrd[12345] & 0xFF, ram.read8(0x0FEDC000 + 12345));
        StringBuilder cmd = new StringBuilder();
        for (int a = 0x20000, c; (c = ram.read8(a)) != 0; a++) cmd.append((char) c);
        assertEquals("console=ttyS0 earlyprintk=serial,ttyS0", cmd.toString(), "the -append text alone");
        // The E820 table the kernel printed under QEMU for -m 256.
        long[][] e820 = {{0, 0x9FC00, 1}, {0x9FC00, 0x400, 2}, {0xF0000, 0x10000, 2},
                {0x100000, 0xFEE0000, 1}, {0xFFE0000, 0x20000, 2}, {0xFFFC0000L, 0x40000, 2}};
        assertEquals(e820.length, ram.read8(bp + 0x1E8));
        for (int i = 0; i < e820.length; i++) {
            int o = bp + 0x2D0 + 20 * i;
            assertEquals(e820[i][0], ram.read32(o) & 0xFFFFFFFFL | (long) ram.read32(o + 4) << 32, "entry " + i);
            assertEquals(e820[i][1], ram.read32(o + 8) & 0xFFFFFFFFL | (long) ram.read32(o + 12) << 32, "entry " + i);
            assertEquals(e820[i][2], ram.read32(o + 16), "entry " + i);
        }
        // The GDT of the 32-bit boot protocol: 0x10 flat code, 0x18 flat data.
        int gdt = LinuxBootImage.GDT_BASE;
        assertEquals(0x0000FFFF, ram.read32(gdt + 0x10));
        assertEquals(0x00CF9A00, ram.read32(gdt + 0x14));
        assertEquals(0x00CF9300, ram.read32(gdt + 0x1C));
        assertEquals(0x9FC0, ram.read16(0x40E), "EBDA segment in the BIOS data area");
    }

    @Test
    void noInitrdNoAppend() throws BadImageException {
        load(TestImages.bzImage(0x202, 0, pm(100)), null, null, 64 * MIB);
        assertEquals(0, ram.read32(LinuxLoader.BOOT_PARAMS + 0x218));
        assertEquals(0, ram.read32(LinuxLoader.BOOT_PARAMS + 0x21C));
        assertEquals(0, ram.read8(0x20000), "an empty command line");
        assertEquals(1, ram.read8(0x100000 + 0), "setup_sects 0 means 4: the kernel starts at 5 × 512");
    }

    @Test
    void initrdBelowInitrdAddrMax() throws BadImageException {
        byte[] k = TestImages.bzImage(0x20F, 4, pm(100));
        TestImages.put32(k, 0x22C, 0x00FFFFFF);
        LinuxBootImage img = load(k, null, pm(5000), 256 * MIB);
        assertEquals(0x00FFE000L, img.initrdAddress(), "highest page with its end below initrd_addr_max + 1");
    }

    private static String refused(byte[] kernel, byte[] initrd, long size) {
        return assertThrows(BadImageException.class,
                () -> LinuxLoader.prepare(kernel, null, initrd, "initrd.img", size)).getMessage();
    }

    @Test
    void badImagesAreRefused() {
        assertTrue(refused(TestImages.bzImage(0x201, 4, pm(100)), null, 64 * MIB).contains("2.01 is too old"));
        byte[] k = TestImages.bzImage(0x20F, 39, pm(100));
        assertTrue(refused(java.util.Arrays.copyOf(k, 3000), null, 64 * MIB).contains("truncated"), "cut in the setup code");
        assertTrue(refused(java.util.Arrays.copyOf(k, 0x230), null, 64 * MIB).contains("truncated"), "cut in the header");
        byte[] cut = java.util.Arrays.copyOf(k, k.length - 20);
        assertTrue(refused(cut, null, 64 * MIB).contains("truncated"), "shorter than syssize");
        byte[] zimage = TestImages.bzImage(0x20F, 4, pm(100));
        zimage[0x211] = 0;
        assertTrue(refused(zimage, null, 64 * MIB).contains("zImage"));
        assertTrue(refused(TestImages.bzImage(0x20F, 4, pm((3 << 20) + 16)), null, 4 * MIB).contains("does not fit"));
        String big = refused(TestImages.bzImage(0x20F, 4, pm(100)), new byte[(int) (8 * MIB)], 8 * MIB);
        assertTrue(big.contains("too large") && big.contains("initrd.img"), big);
    }

    @Test
    void initrdMustFitAboveTheKernel() throws BadImageException {
        // QEMU 7.2 with -m 8: "initrd is too large, cannot support.(max: 8224767, ...)"; a smaller
        // one that would reach down into the kernel (QEMU loads it there) is refused as well.
        byte[] k = TestImages.bzImage(0x20F, 4, pm(100));
        refused(k, new byte[8224767], 8 * MIB);
        refused(k, new byte[0x6E0000], 8 * MIB);
        LinuxBootImage img = LinuxLoader.prepare(k, null, new byte[0x6D0000], "initrd.img", 8 * MIB);
        assertEquals(0x10F000L, img.initrdAddress());
    }
}
