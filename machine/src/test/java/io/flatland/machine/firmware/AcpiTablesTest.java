package io.flatland.machine.firmware;

import io.flatland.machine.loader.E820Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flatland's ACPI tables against QEMU 7.2's (SeaBIOS's, recorded at -m 64), field by field
 * where they must match. Legitimate differences: the creator ID ("FLAT" for "BXPC"), table
 * addresses (the RSDT's entries, FADT's FACS/DSDT pointers), QEMU's HPET table (Flatland has
 * no HPET), and the DSDT's body (QEMU's is 6 KiB of AML; Flatland's holds PCI0 and \_S5).
 */
class AcpiTablesTest {
    static QemuDump qemu;
    static final E820Map MAP = new E820Map(64L << 20);
    static final AcpiTables ours = new AcpiTables(MAP.lowRamEnd());

    @BeforeAll
    static void load() throws Exception {
        qemu = QemuDump.load();
    }

    static int sum(byte[] b, int len) {
        int s = 0;
        for (int i = 0; i < len; i++) s += b[i];
        return s & 0xFF;
    }

    static int u32(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    static void sameHeader(byte[] q, byte[] f) {
        String sig = new String(f, 0, 4, StandardCharsets.US_ASCII);
        assertEquals(new String(q, 0, 4, StandardCharsets.US_ASCII), sig);
        assertEquals(f.length, u32(f, 4), sig + " length field");
        assertEquals(q[8], f[8], sig + " revision");
        assertArrayEquals(Arrays.copyOfRange(q, 10, 28), Arrays.copyOfRange(f, 10, 28), sig + " OEM ID, table ID, revision");
        assertEquals("FLAT", new String(f, 28, 4, StandardCharsets.US_ASCII));
        assertEquals(0, sum(f, f.length), sig + " checksum");
        assertEquals(0, sum(q, q.length), "QEMU's " + sig + " checksum");
    }

    @Test
    void rsdpAsSeaBios() {
        byte[] q = qemu.tables.get("RSD PTR "), f = ours.rsdp();
        assertEquals(20, f.length);
        assertArrayEquals(Arrays.copyOf(q, 8), Arrays.copyOf(f, 8));
        assertArrayEquals(Arrays.copyOfRange(q, 9, 16), Arrays.copyOfRange(f, 9, 16), "OEM ID and revision 0");
        assertEquals(0, sum(f, 20));
        assertEquals((int) qemu.tableAddresses.get("RSD PTR "), AcpiTables.RSDP_ADDRESS, "where SeaBIOS puts it");
        assertEquals(ours.rsdtAddress(), u32(f, 16));
    }

    @Test
    void rsdtListsQemusTablesButHpet() {
        byte[] f = ours.rsdt();
        sameHeader(qemu.tables.get("RSDT"), f);
        assertEquals(36 + 3 * 4, f.length, "FACP, APIC, WAET");
        long hi = MAP.lowRamEnd();
        for (int i = 36; i < f.length; i += 4) {
            long a = u32(f, i) & 0xFFFFFFFFL;
            assertTrue(a >= hi && a < MAP.below4g(), "table in SeaBIOS's high-tables area: " + Long.toHexString(a));
        }
    }

    @Test
    void fadtFieldsAsQemu() {
        byte[] q = qemu.tables.get("FACP"), f = ours.fadt();
        sameHeader(q, f);
        assertEquals(q.length, f.length);
        // Everything after the FACS and DSDT pointers: SCI 9, SMI_CMD 0xB2, 0xF1/0xF0, the PM blocks, lengths, flags.
        assertArrayEquals(Arrays.copyOfRange(q, 44, q.length), Arrays.copyOfRange(f, 44, f.length));
        assertEquals((int) MAP.lowRamEnd(), u32(f, 36), "FACS at the start of the high tables, as SeaBIOS");
        assertEquals(qemu.tableAddresses.get("FACS") + 64, (int) qemu.tableAddresses.get("DSDT"));
        assertEquals((int) MAP.lowRamEnd() + 64, u32(f, 40), "DSDT after the FACS, as SeaBIOS");
    }

    @Test
    void madtAsQemu() {
        byte[] q = qemu.tables.get("APIC"), f = ours.madt();
        sameHeader(q, f);
        assertArrayEquals(Arrays.copyOfRange(q, 36, q.length), Arrays.copyOfRange(f, 36, f.length),
                "local APIC address, PCAT_COMPAT, CPU 0, I/O APIC, IRQ0->GSI2, PCI IRQ overrides, LINT1 NMI");
    }

    @Test
    void dsdtIsValidAmlWithS5AndPci0() {
        byte[] q = qemu.tables.get("DSDT"), f = ours.dsdt();
        sameHeader(q, f);
        byte[] s5 = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0};
        assertTrue(indexOf(q, s5) > 0, "QEMU's \\_S5 encoding");
        assertTrue(indexOf(f, s5) > 0, "the same \\_S5 in ours");
        byte[] hid = {0x08, '_', 'H', 'I', 'D', 0x0C, 0x41, (byte) 0xD0, 0x0A, 0x03};
        assertTrue(indexOf(q, hid) > 0 && indexOf(f, hid) > 0, "_HID EisaId(PNP0A03) in both");
        // Scope (\_SB_) { Device (PCI0) { ... } }: the PkgLengths cover exactly what follows.
        int scope = 36;
        assertEquals(0x10, f[scope]);
        int scopeLen = f[scope + 1];
        assertEquals(new String(f, scope + 2, 5, StandardCharsets.US_ASCII), "\\_SB_");
        int dev = scope + 7;
        assertEquals(0x5B, f[dev]);
        assertEquals((byte) 0x82, f[dev + 1]);
        assertEquals("PCI0", new String(f, dev + 3, 4, StandardCharsets.US_ASCII));
        assertEquals(scope + 1 + scopeLen, dev + 2 + f[dev + 2], "the device ends where the scope ends");
        assertEquals(scope + 1 + scopeLen, indexOf(f, s5), "\\_S5 follows the scope");
        assertEquals(f.length, indexOf(f, s5) + s5.length);
    }

    @Test
    void facsAndWaetAsQemu() {
        assertEquals(64, qemu.tables.get("FACS").length);
        assertEquals(AcpiTables.FACS_LENGTH, qemu.tables.get("FACS").length);
        byte[] q = qemu.tables.get("WAET");
        assertEquals(2, u32(q, 36), "QEMU's WAET: PM timer good");
    }

    @Test
    void installedTablesAreWhereTheRsdtSays() throws Exception {
        try (io.flatland.mmu.PhysicalMemory ram = new io.flatland.mmu.PhysicalMemory(MAP.below4g(), new io.flatland.mmu.MmioBus())) {
            ours.install(ram);
            int rsdt = ram.read32(AcpiTables.RSDP_ADDRESS + 16);
            assertEquals(ours.rsdtAddress(), rsdt);
            StringBuilder sigs = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                int t = ram.read32(rsdt + 36 + 4 * i);
                for (int k = 0; k < 4; k++) sigs.append((char) ram.read8(t + k));
            }
            assertEquals("FACPAPICWAET", sigs.toString());
            int fadt = ram.read32(rsdt + 36);
            assertEquals(0x53434146, ram.read32(ram.read32(fadt + 36)), "FACS signature where FIRMWARE_CTRL points");
            assertEquals(0x54445344, ram.read32(ram.read32(fadt + 40)), "DSDT signature where the FADT points");
        }
    }

    /** With -m 3584 the high tables start at 0xBFFE0000, above 2 GiB: addresses are unsigned. */
    @Test
    void tablesInstallAboveTwoGiB() throws Exception {
        E820Map big = new E820Map(3584L << 20);
        AcpiTables t = new AcpiTables(big.lowRamEnd());
        try (io.flatland.mmu.PhysicalMemory ram = new io.flatland.mmu.PhysicalMemory(big.below4g(), new io.flatland.mmu.MmioBus())) {
            t.install(ram);
            assertEquals(0x53434146, ram.read32((int) big.lowRamEnd()), "FACS at 0xBFFE0000");
            assertEquals(t.rsdtAddress(), ram.read32(AcpiTables.RSDP_ADDRESS + 16));
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
