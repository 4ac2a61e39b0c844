package io.flatland.machine.loader;

import io.flatland.mmu.MmioBus;
import io.flatland.mmu.PhysicalMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loader against the Multiboot 0.6.96 spec and against what QEMU 7.2 (with SeaBIOS) was
 * observed to leave in memory for the same inputs (values read with QEMU's monitor `xp`).
 */
class MultibootLoaderTest {
    private static final long MIB = 1 << 20;
    private PhysicalMemory ram;

    @AfterEach
    void tearDown() {
        if (ram != null) ram.close();
    }

    private BootImage boot(byte[] kernel, String name, String append, List<MultibootLoader.Module> mods, long size)
            throws BadImageException {
        BootImage img = MultibootLoader.prepare(kernel, name, append, mods, size);
        ram = new PhysicalMemory(img.memoryMap.below4g(), new MmioBus());
        ram.fill(0x100000, 0x10000, 0xAA);          // garbage where BSS and padding must become zero
        MultibootLoader.load(img, ram);
        return img;
    }

    private int u32(long pa) { return ram.read32((int) pa); }

    private String cString(long pa) {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = ram.read8((int) pa++)) != 0; ) sb.append((char) c);
        return sb.toString();
    }

    @Test
    void elfSegmentsGoToPhysicalAddressesAndBssIsZeroed() throws BadImageException {
        byte[] body = "code bytes".getBytes(StandardCharsets.US_ASCII);
        byte[] k = TestImages.elf(0x100000, body, 0x800);
        BootImage img = boot(k, "k.elf", null, List.of(), 64 * MIB);
        assertEquals(0x10000C, img.entry);
        assertEquals(TestImages.MB_MAGIC, u32(0x100000));
        assertEquals('c', ram.read8(0x10000C));
        for (int a = 0x100000 + 12 + body.length; a < 0x100000 + 12 + body.length + 0x800; a++) {
            assertEquals(0, ram.read8(a), "BSS byte at " + Integer.toHexString(a));
        }
    }

    @Test
    void infoStructureMatchesQemuFor64MiB() throws BadImageException {
        BootImage img = boot(TestImages.elf(0x100000, new byte[16], 0), "k.elf", null, List.of(), 64 * MIB);
        int mbi = img.infoAddress();
        assertEquals(0x9500, mbi);
        assertEquals(0x24F, u32(mbi), "mem, boot device, cmdline, mods, mmap, loader name");
        assertEquals(639, u32(mbi + 4));
        assertEquals(0xFB80, u32(mbi + 8));
        assertEquals(0x8000FFFF, u32(mbi + 12));
        assertEquals(0, u32(mbi + 20), "no modules");
        assertEquals(6 * 24, u32(mbi + 44));
        assertEquals(0x9000, u32(mbi + 48));
        assertEquals("qemu", cString(u32(mbi + 64) & 0xFFFFFFFFL));
        long[][] expected = {
            {0, 0x9FC00, 1}, {0x9FC00, 0x400, 2}, {0xF0000, 0x10000, 2},
            {0x100000, 0x3EE0000, 1}, {0x3FE0000, 0x20000, 2}, {0xFFFC0000L, 0x40000, 2},
        };
        for (int i = 0; i < expected.length; i++) {
            int e = 0x9000 + 24 * i;
            assertEquals(20, u32(e));
            assertEquals(expected[i][0], (u32(e + 4) & 0xFFFFFFFFL) | (long) u32(e + 8) << 32);
            assertEquals(expected[i][1], (u32(e + 12) & 0xFFFFFFFFL) | (long) u32(e + 16) << 32);
            assertEquals(expected[i][2], u32(e + 20));
        }
    }

    @Test
    void withoutAppendTheCommandLineIsThePathAndASpace() throws BadImageException {
        boot(TestImages.elf(0x100000, new byte[16], 0), "p.elf", null, List.of(), 64 * MIB);
        assertEquals("p.elf ", cString(u32(0x9500 + 16) & 0xFFFFFFFFL));
        assertEquals(0x101000, u32(0x9500 + 16), "strings follow the page-aligned kernel");
        assertEquals(0x101007, u32(0x9500 + 64));
    }

    @Test
    void modulesAndStringsAreLaidOutAsQemuDoes() throws BadImageException {
        // QEMU 7.2: -kernel p.elf -initrd "m1 arg1 arg2,m2" -append "hello world" -m 64,
        // with m1 = "hello mod\n" (10 bytes) and m2 = 5000 bytes.
        byte[] m2 = new byte[5000];
        Arrays.fill(m2, (byte) 'x');
        List<MultibootLoader.Module> mods = new ArrayList<>();
        mods.add(new MultibootLoader.Module("m1 arg1 arg2", "hello mod\n".getBytes(StandardCharsets.US_ASCII)));
        mods.add(new MultibootLoader.Module("m2", m2));
        boot(TestImages.elf(0x100000, new byte[16], 0), "p.elf", "hello world", mods, 64 * MIB);
        assertEquals(2, u32(0x9500 + 20));
        assertEquals(0x101000, u32(0x9500 + 24));
        int[] expected = {0x102000, 0x10200A, 0x101020, 0, 0x103000, 0x104388, 0x10102D, 0};
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], u32(0x101000 + 4 * i), "mods word " + i);
        assertEquals("m1 arg1 arg2", cString(0x101020));
        assertEquals("m2", cString(0x10102D));
        assertEquals(0x101030, u32(0x9500 + 16));
        assertEquals("p.elf hello world", cString(0x101030));
        assertEquals(0x101042, u32(0x9500 + 64));
        assertEquals("hello mod\n", cString(0x102000));
        assertEquals('x', ram.read8(0x104387));
        assertEquals(0, ram.read8(0x104388), "module padding is zero");
    }

    @Test
    void ramOfThreeAndAHalfGibPutsHalfAGibAbove4GiB() {
        E820Map map = new E820Map(3584 * MIB);
        assertEquals(0xC0000000L, map.below4g());
        assertEquals(7, map.entries().size());
        assertEquals(new E820Map.Entry(0x1_0000_0000L, 0x20000000L, 1), map.entries().get(6));
        assertEquals(0x2FFB80, map.memUpperKiB());
        E820Map small = new E820Map(2 * MIB);
        assertEquals(0x380, small.memUpperKiB());
        assertEquals(new E820Map.Entry(0x100000, 0xE0000, 1), small.entries().get(3));
    }

    @Test
    void aoutKludgeUsesTheHeaderAddresses() throws BadImageException {
        byte[] k = new byte[64];
        int flags = 0x10000;
        TestImages.put32(k, 0, TestImages.MB_MAGIC);
        TestImages.put32(k, 4, flags);
        TestImages.put32(k, 8, -(TestImages.MB_MAGIC + flags));
        TestImages.put32(k, 12, 0x200000);          // header_addr
        TestImages.put32(k, 16, 0x200000);          // load_addr
        TestImages.put32(k, 20, 0x200040);          // load_end_addr
        TestImages.put32(k, 24, 0x201000);          // bss_end_addr
        TestImages.put32(k, 28, 0x200020);          // entry
        k[32] = (byte) 0xF4;
        BootImage img = boot(k, "a.out", null, List.of(), 64 * MIB);
        assertEquals(0x200020, img.entry);
        assertEquals(0xF4, ram.read8(0x200020));
        assertEquals(0x201000, u32(0x9500 + 16), "info follows the page-aligned BSS end");
    }

    @Test
    void headerMustBeInTheFirst8KiBWithAValidChecksum() {
        byte[] k = new byte[16384];
        TestImages.put32(k, 8192, TestImages.MB_MAGIC);
        TestImages.put32(k, 8196, 0);
        TestImages.put32(k, 8200, -TestImages.MB_MAGIC);
        assertEquals(-1, MultibootLoader.findHeader(k));
        TestImages.put32(k, 100, TestImages.MB_MAGIC);
        TestImages.put32(k, 104, 3);
        TestImages.put32(k, 108, 12345);
        assertEquals(-1, MultibootLoader.findHeader(k), "bad checksum");
        TestImages.put32(k, 108, -(TestImages.MB_MAGIC + 3));
        assertEquals(100, MultibootLoader.findHeader(k));
    }

    private static String rejected(byte[] k, long ram, List<MultibootLoader.Module> mods) {
        BadImageException e = assertThrows(BadImageException.class, () -> MultibootLoader.prepare(k, "k", null, mods, ram));
        assertTrue(!e.getMessage().contains("\n"), "one line");
        return e.getMessage();
    }

    @Test
    void badImagesAreRejectedWithAMessage() {
        byte[] good = TestImages.elf(0x100000, new byte[16], 0);
        assertTrue(rejected(new byte[100], 64 * MIB, List.of()).contains("Multiboot"));
        byte[] truncated = Arrays.copyOf(good, 40);
        rejected(truncated, 64 * MIB, List.of());
        byte[] phBeyond = good.clone();
        TestImages.put32(phBeyond, 28, 0x7FFF0000);                 // e_phoff
        assertTrue(rejected(phBeyond, 64 * MIB, List.of()).contains("program headers"));
        byte[] segBeyond = good.clone();
        TestImages.put32(segBeyond, 52 + 16, 0x100000);             // p_filesz larger than the file
        TestImages.put32(segBeyond, 52 + 20, 0x100000);
        assertTrue(rejected(segBeyond, 64 * MIB, List.of()).contains("beyond the end"));
        byte[] outside = TestImages.elf(0x3FFF000, new byte[16], 0x10000);
        assertTrue(rejected(outside, 64 * MIB, List.of()).contains("outside RAM"));
        byte[] elf64 = good.clone();
        elf64[4] = 2;
        assertTrue(rejected(elf64, 64 * MIB, List.of()).contains("64"));
        byte[] notI386 = good.clone();
        notI386[18] = 40;                                          // EM_ARM
        rejected(notI386, 64 * MIB, List.of());
        List<MultibootLoader.Module> huge = List.of(new MultibootLoader.Module("big", new byte[3 << 20]));
        assertTrue(rejected(good, 2 * MIB, huge).contains("does not fit"));
    }

    /** An a.out-kludge image: header at offset 0 loaded at 1 MiB, then {@code body}. */
    private static byte[] aout(int loadEnd, int bssEnd, byte[] body) {
        byte[] k = new byte[32 + body.length];
        int flags = 0x00010000;
        TestImages.put32(k, 0, TestImages.MB_MAGIC);
        TestImages.put32(k, 4, flags);
        TestImages.put32(k, 8, -(TestImages.MB_MAGIC + flags));
        TestImages.put32(k, 12, 0x100000);
        TestImages.put32(k, 16, 0x100000);
        TestImages.put32(k, 20, loadEnd);
        TestImages.put32(k, 24, bssEnd);
        TestImages.put32(k, 28, 0x100020);
        System.arraycopy(body, 0, k, 32, body.length);
        return k;
    }

    @Test
    void truncatedAoutKludgeImagesAreRejectedWithAMessage() {
        // Cut after the checksum, in the middle of the addresses, and short of load_end_addr:
        // every cut is a one-line BadImageException, never an index error.
        int[][] fields = {{0, 0}, {0x100040, 0}, {0x100040, 0x100100}, {0x7FFFFFF0, 0}, {0, 0x100010}};
        for (int[] f : fields) {
            byte[] full = aout(f[0], f[1], new byte[32]);
            for (int len = 12; len < full.length; len++) {
                byte[] k = Arrays.copyOf(full, len);
                try {
                    MultibootLoader.prepare(k, "k", null, List.of(), 64 * MIB);
                } catch (BadImageException e) {
                    assertTrue(!e.getMessage().contains("\n"), "one line");
                } catch (RuntimeException e) {
                    throw new AssertionError("length " + len + ", load_end " + Integer.toHexString(f[0]) + ": " + e, e);
                }
            }
        }
        assertTrue(rejected(Arrays.copyOf(aout(0, 0, new byte[0]), 20), 64 * MIB, List.of()).contains("cut off"));
    }

    @Test
    void initrdSplitsOnCommasWithDoubledCommaAsLiteral() throws BadImageException {
        assertEquals(List.of("a,b c", "d"), InitrdOption.split("a,,b c,d"));
        assertEquals("a", InitrdOption.fileName("a b,c"));
        assertEquals("a,,b c,d", InitrdOption.join(List.of("a,b c", "d")));
        assertThrows(BadImageException.class, () -> InitrdOption.split("a,"));
        assertThrows(BadImageException.class, () -> InitrdOption.split(""));
    }

    @Test
    void optionRomGdtIsInPlace() throws BadImageException {
        boot(TestImages.elf(0x100000, new byte[16], 0), "k", null, List.of(), 64 * MIB);
        assertArrayEquals(new int[] {0x0000FFFF, 0x00CF9A00}, new int[] {u32(0xCB2B8 + 8), u32(0xCB2B8 + 12)});
    }
}
