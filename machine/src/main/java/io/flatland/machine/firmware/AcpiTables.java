package io.flatland.machine.firmware;

import io.flatland.mmu.PhysicalMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The ACPI tables SeaBIOS installs on QEMU 7.2's pc with one CPU (ACPI 1.0 layouts, as
 * recorded by the platform probe), built by Flatland, which has no SeaBIOS:
 *
 * <ul>
 * <li>RSDP (revision 0, OEM "BOCHS ") in the F-segment at {@link #RSDP_ADDRESS}, where this
 *     SeaBIOS build puts it;</li>
 * <li>in the reserved top 128 KiB of low RAM, packed as SeaBIOS packs them: FACS (64 bytes),
 *     DSDT, FADT, MADT, WAET, RSDT.</li>
 * </ul>
 *
 * FADT (revision 1), MADT and WAET carry QEMU's values field for field. The DSDT is minimal
 * but valid AML: the \_SB.PCI0 host bridge (_HID PNP0A03, _ADR 0, _UID 0) and \_S5 =
 * Package {0, 0, 0, 0}, the SLP_TYP that PIIX4 PM treats as power-off. QEMU's HPET table is
 * left out (Flatland has no HPET). Table headers say OEM "BOCHS " / "BXPC    " revision 1 as
 * QEMU's; the creator is "FLAT" (QEMU's "BXPC").
 */
public final class AcpiTables {
    public static final int RSDP_ADDRESS = 0xF59D0;
    public static final int FACS_LENGTH = 64;
    static final String OEM_ID = "BOCHS ", OEM_TABLE_ID = "BXPC    ", CREATOR = "FLAT";
    public static final int LAPIC_ADDRESS = 0xFEE00000, IOAPIC_ADDRESS = 0xFEC00000;

    private final byte[] rsdp, facs, dsdt, fadt, madt, waet, rsdt;
    private final int facsAt, dsdtAt, fadtAt, madtAt, waetAt, rsdtAt;

    /** The tables for a machine whose high-tables area starts at {@code highTables} (E820Map.lowRamEnd()). */
    public AcpiTables(long highTables) {
        facsAt = (int) highTables;
        facs = buildFacs();
        dsdtAt = facsAt + facs.length;
        dsdt = buildDsdt();
        fadtAt = dsdtAt + dsdt.length;
        fadt = buildFadt(facsAt, dsdtAt);
        madtAt = fadtAt + fadt.length;
        madt = buildMadt();
        waetAt = madtAt + madt.length;
        waet = buildWaet();
        rsdtAt = waetAt + waet.length;
        rsdt = buildRsdt(fadtAt, madtAt, waetAt);
        rsdp = buildRsdp(rsdtAt);
    }

    /** Writes every table into RAM at power-on and after each reset: the guest may have overwritten them. Addresses are unsigned: the high tables may lie above 2 GiB. */
    public void install(PhysicalMemory ram) {
        ram.load(RSDP_ADDRESS, rsdp, 0, rsdp.length);
        ram.load(Integer.toUnsignedLong(facsAt), facs, 0, facs.length);
        ram.load(Integer.toUnsignedLong(dsdtAt), dsdt, 0, dsdt.length);
        ram.load(Integer.toUnsignedLong(fadtAt), fadt, 0, fadt.length);
        ram.load(Integer.toUnsignedLong(madtAt), madt, 0, madt.length);
        ram.load(Integer.toUnsignedLong(waetAt), waet, 0, waet.length);
        ram.load(Integer.toUnsignedLong(rsdtAt), rsdt, 0, rsdt.length);
    }

    public byte[] rsdp() { return rsdp.clone(); }
    public byte[] dsdt() { return dsdt.clone(); }
    public byte[] fadt() { return fadt.clone(); }
    public byte[] madt() { return madt.clone(); }
    public byte[] rsdt() { return rsdt.clone(); }
    public int rsdtAddress() { return rsdtAt; }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void ascii(ByteBuffer b, String s) {
        b.put(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** The 36-byte System Description Table header; the checksum is filled by {@link #seal}. */
    private static ByteBuffer table(String signature, int length, int revision) {
        ByteBuffer b = le(length);
        ascii(b, signature);
        b.putInt(length).put((byte) revision).put((byte) 0);
        ascii(b, OEM_ID);
        ascii(b, OEM_TABLE_ID);
        b.putInt(1);
        ascii(b, CREATOR);
        b.putInt(1);
        return b;
    }

    /** Sets the byte at {@code at} so that all bytes of {@code t} sum to 0 (mod 256). */
    static byte[] seal(byte[] t, int at) {
        t[at] = 0;
        int sum = 0;
        for (byte x : t) sum += x;
        t[at] = (byte) -sum;
        return t;
    }

    private static byte[] buildRsdp(int rsdt) {
        ByteBuffer b = le(20);
        ascii(b, "RSD PTR ");
        b.put((byte) 0);
        ascii(b, OEM_ID);
        b.put((byte) 0).putInt(rsdt);
        return seal(b.array(), 8);
    }

    private static byte[] buildFacs() {
        ByteBuffer b = le(FACS_LENGTH);
        ascii(b, "FACS");
        b.putInt(FACS_LENGTH);
        return b.array();
    }

    private static byte[] buildRsdt(int... tables) {
        ByteBuffer b = table("RSDT", 36 + 4 * tables.length, 1);
        for (int t : tables) b.putInt(t);
        return seal(b.array(), 9);
    }

    /** FADT revision 1 (116 bytes) with QEMU's PIIX4 values. */
    private static byte[] buildFadt(int facs, int dsdt) {
        ByteBuffer b = table("FACP", 116, 1);
        b.putInt(facs).putInt(dsdt);
        b.put((byte) 1).put((byte) 0);                     // INT_MODEL (1.0), preferred PM profile
        b.putShort((short) 9);                               // SCI_INT
        b.putInt(0xB2);                                      // SMI_CMD
        b.put((byte) 0xF1).put((byte) 0xF0).put((byte) 0).put((byte) 0);   // ACPI_ENABLE/DISABLE, S4BIOS, PSTATE
        b.putInt(0x600).putInt(0).putInt(0x604).putInt(0).putInt(0).putInt(0x608);   // PM1a/b EVT, CNT, PM2, TMR
        b.putInt(0xAFE0).putInt(0);                          // GPE0, GPE1 blocks
        b.put((byte) 4).put((byte) 2).put((byte) 0).put((byte) 4).put((byte) 4).put((byte) 0).put((byte) 0).put((byte) 0);
        b.putShort((short) 0x0FFF).putShort((short) 0x0FFF);  // P_LVL2/3 latency: C2/C3 not supported
        b.position(108);
        b.put((byte) 0x32);                                  // CENTURY: CMOS register 0x32
        b.position(112);
        b.putInt(0x80A5);                                    // WBINVD, PROC_C1, SLP_BUTTON, RTC_S4, USE_PLATFORM_CLOCK
        return seal(b.array(), 9);
    }

    /** MADT: one enabled local APIC (id 0), the I/O APIC (id 0, GSI 0), QEMU's overrides and LINT1 NMI. */
    private static byte[] buildMadt() {
        int[] pciIrqs = {5, 9, 10, 11};
        ByteBuffer b = table("APIC", 44 + 8 + 12 + 10 * (1 + pciIrqs.length) + 6, 1);
        b.putInt(LAPIC_ADDRESS).putInt(1);                   // PCAT_COMPAT: there are 8259s
        b.put((byte) 0).put((byte) 8).put((byte) 0).put((byte) 0).putInt(1);
        b.put((byte) 1).put((byte) 12).put((byte) 0).put((byte) 0).putInt(IOAPIC_ADDRESS).putInt(0);
        b.put((byte) 2).put((byte) 10).put((byte) 0).put((byte) 0).putInt(2).putShort((short) 0);   // IRQ0 -> GSI 2
        for (int irq : pciIrqs) {                            // PCI interrupts: level-triggered, active high
            b.put((byte) 2).put((byte) 10).put((byte) 0).put((byte) irq).putInt(irq).putShort((short) 0x000D);
        }
        b.put((byte) 4).put((byte) 6).put((byte) 0xFF).putShort((short) 0).put((byte) 1);  // every CPU's LINT1 is NMI
        return seal(b.array(), 9);
    }

    /** WAET: the PM timer is reliable (one read suffices), as QEMU says. */
    private static byte[] buildWaet() {
        ByteBuffer b = table("WAET", 40, 1);
        b.putInt(2);
        return seal(b.array(), 9);
    }

    private static byte[] buildDsdt() {
        Aml pci0 = new Aml()
                .name("_HID").dword(0x030AD041)              // EisaId("PNP0A03")
                .name("_ADR").zero()
                .name("_UID").zero();
        Aml body = new Aml()
                .scope("\\_SB_", new Aml().device("PCI0", pci0))
                .name("_S5_").packageOfZeros(4);
        byte[] aml = body.bytes();
        ByteBuffer b = table("DSDT", 36 + aml.length, 1);
        b.put(aml);
        return seal(b.array(), 9);
    }
}
