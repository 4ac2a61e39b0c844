package io.flatland.mmu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PhysicalMemoryTest {
    private final PhysicalMemory ram = new PhysicalMemory(2L << 20, new MmioBus());

    @AfterEach
    void close() { ram.close(); }

    @Test
    void ramStartsZeroedAndIsLittleEndian() {
        assertEquals(0, ram.read32(0x1234));
        ram.write32(0x100, 0x11223344);
        assertEquals(0x44, ram.read8(0x100));
        assertEquals(0x3344, ram.read16(0x100));
        assertEquals(0x11, ram.read8(0x103));
    }

    @Test
    void addressesAboveRamReadAsZeroAndIgnoreWrites() {
        int above = 2 << 20;
        assertEquals(0, ram.read8(above));
        assertEquals(0, ram.read16(above));
        assertEquals(0, ram.read32(0xFFFFFFFC));
        ram.write32(above, -1);           // must neither fail nor land anywhere
        assertEquals(0, ram.read32(above));
    }

    @Test
    void accessStraddlingTheEndOfRamSplitsIntoRamAndUnassignedMemory() {
        int last = (2 << 20) - 2;
        ram.write16(last, 0xBEEF);
        assertEquals(0x0000BEEF, ram.read32(last));
        ram.write32(last, 0x12345678);     // upper half is dropped
        assertEquals(0x5678, ram.read16(last));
        assertEquals(0x5678, ram.read32(last));
    }

    @Test
    void mmioRegionReceivesAccessesOutsideRam() {
        MmioBus bus = new MmioBus();
        int[] seen = new int[2];
        bus.map(0xFEC00000L, 0x1000, new MmioBus.Region() {
            @Override public int read(int pa, int size) { return 0xCAFE0000 | size; }
            @Override public void write(int pa, int size, int value) { seen[0] = pa; seen[1] = value; }
        });
        try (PhysicalMemory m = new PhysicalMemory(1L << 20, bus)) {
            assertEquals(0xCAFE0004, m.read32(0xFEC00010));
            m.write32(0xFEC00020, 77);
            assertEquals(0xFEC00020, seen[0]);
            assertEquals(77, seen[1]);
        }
    }

    @Test
    void loaderCopiesAreBoundedByRam() {
        byte[] data = {1, 2, 3, 4};
        ram.load(0x1000, data, 0, 4);
        assertEquals(0x04030201, ram.read32(0x1000));
        assertThrows(IndexOutOfBoundsException.class, () -> ram.load((2L << 20) - 2, data, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> ram.load(-1, data, 0, 1));
    }

    @Test
    void hostAddressIsRefusedOutsideRam() {
        assertTrue(ram.isRamPage(0x1FF000));
        assertFalse(ram.isRamPage(0x200000));
        assertThrows(IllegalStateException.class, () -> ram.hostAddress(0x200000));
    }

    /**
     * RAM is zero by construction, not because the allocator returned zeros: over a block
     * filled with garbage first, every way of reaching RAM sees zeros where nothing was written.
     */
    @Test
    void neverWrittenRamReadsZeroThroughEveryPathEvenOverGarbage() {
        try (PhysicalMemory m = new PhysicalMemory(2L << 20, new MmioBus(), true)) {
            assertEquals(0, m.materializedChunks());
            assertEquals(0, m.read8(0x10));
            assertEquals(0, m.read16(0x1FFFF));                    // straddles two chunks
            assertEquals(0, m.read32(0x2FFFE));
            assertEquals(0, PhysicalMemory.getInt(m.hostAddress(0x40000) + 0xFFC));  // the TLB's way in
            byte[] b = new byte[100];
            java.util.Arrays.fill(b, (byte) 7);
            m.store(0x50000 - 50, b, 0, 100);
            for (byte x : b) assertEquals(0, x);
            m.write8(0x60005, 0x99);                                // a write zeroes the rest of its chunk
            assertEquals(0, m.read32(0x60000));
            assertEquals(0x99, m.read8(0x60005));
            m.fill(0x70010, 16, 0x11);                              // partial fill: the chunk's rest is zero
            assertEquals(0, m.read32(0x7000C));
            assertEquals(0x11111111, m.read32(0x70010));
            assertEquals(0, m.read32(0x70020));
            m.load(0x80000 + 3, new byte[] {1, 2}, 0, 2);          // partial load
            assertEquals(0x00020100, m.read32(0x80002));
            assertEquals(0, m.read32(0x80008));
            m.copy(0x90000, 0xA0008, 8);                             // copy from and into untouched chunks
            assertEquals(0, m.read32(0xA0000));
            assertEquals(0, m.read32(0xA0008));
            assertEquals(0, m.read32(0xA0010));
            byte[] whole = new byte[(int) PhysicalMemory.CHUNK_SIZE];
            java.util.Arrays.fill(whole, (byte) 3);
            m.load(0xB0000, whole, 0, whole.length);                 // a whole chunk overwritten is not zeroed first
            assertEquals(0x03030303, m.read32(0xBFFFC));
        }
    }

    @Test
    void onlyTouchedChunksAreMaterialized() {
        try (PhysicalMemory m = new PhysicalMemory(PhysicalMemory.MAX_SIZE, new MmioBus())) {
            assertEquals(0, m.materializedChunks(), "3.5 GiB reserved, nothing committed");
            m.write32(0x100000, 1);
            m.read32(0x100004);
            m.hostAddress(0xDFFFF000);
            assertEquals(2, m.materializedChunks());
            assertEquals(0, m.read32(0xDFFFFFFC));
        }
    }

    @Test
    void sizeLimitsAreEnforced() {
        assertThrows(IllegalArgumentException.class, () -> new PhysicalMemory(4096, new MmioBus()));
        assertThrows(IllegalArgumentException.class, () -> new PhysicalMemory((1L << 20) + 1, new MmioBus()));
        assertThrows(IllegalArgumentException.class, () -> new PhysicalMemory(4L << 30, new MmioBus()));
    }
}
