package io.flatland.machine.pci;

/**
 * The chipset functions of QEMU 7.2's pc (i440FX + PIIX3, with the PIIX4 ACPI function QEMU
 * adds) as a kernel finds them after SeaBIOS, with the register values recorded from QEMU by
 * the platform probe (src/test/resources/platform): IDs, revisions, classes, command and
 * status, QEMU's subsystem ID 1af4:1100, and the device-specific registers SeaBIOS leaves
 * (PAM and SMRAM on the host bridge, PIRQ routing on the ISA bridge, the PM and SMBus bases).
 *
 * <p>QEMU's 00:01.1 (PIIX3 IDE) is left out: Flatland has no IDE controller behind it, and a
 * function whose BARs lead nowhere would make drivers probe for disks that cannot answer.
 */
public final class Piix {
    /** QEMU's subsystem vendor (Red Hat/virtio) and subsystem ID on every function of pc. */
    static final int SUBSYSTEM = 0x1100_1AF4;
    /** What SeaBIOS leaves in every function's command register: I/O, memory, SERR. */
    static final int COMMAND = 0x0103;

    private Piix() { }

    /** 00:00.0, the i440FX host bridge (8086:1237 rev 02). */
    public static PciFunction hostBridge() {
        PciFunction f = new PciFunction("i440FX host bridge", 0x8086, 0x1237, 0x02, 0x060000) { };
        common(f);
        f.set(0x57, 1, 0x08);                  // DRAMC
        f.set(0x59, 1, 0x10);                  // PAM0: BIOS area read from RAM (SeaBIOS's shadowing)
        f.set(0x5A, 4, 0x11111111);            // PAM1-PAM4
        f.set(0x5E, 2, 0x3311);                // PAM5, PAM6
        f.set(0x72, 1, 0x0A);                  // SMRAM: closed, C_BASE_SEG
        return f;
    }

    /** 00:01.0, the PIIX3 PCI-to-ISA bridge (8086:7000), multi-function (its header type 0x80). */
    public static PciFunction isaBridge() {
        PciFunction f = new PciFunction("PIIX3 ISA bridge", 0x8086, 0x7000, 0x00, 0x060100) { };
        common(f);
        f.set(0x06, 2, 0x0200);                // status: medium DEVSEL
        f.set(0x0E, 1, 0x80);
        f.set(0x4C, 1, 0x4D);                  // IORT
        f.set(0x4E, 1, 0x03);                  // XBCS
        f.set(0x60, 4, 0x0B0B0A0A);            // PIRQA-D routed to IRQ 10, 10, 11, 11 (SeaBIOS)
        f.set(0x69, 1, 0x02);                  // TOM
        f.set(0x70, 1, 0x80);                  // MBIRQ0 disabled
        f.set(0x76, 2, 0x0C0C);                // MBDMA0/1 disabled
        f.set(0x78, 1, 0x02);                  // PCSC
        f.set(0xA0, 1, 0x08);                  // SMICNTL
        f.set(0xA8, 1, 0x0F);                  // SMIREQ
        return f;
    }

    /**
     * 00:01.3, the PIIX4 power-management function (8086:7113 rev 03) with its ACPI registers at
     * 0x600 (base register 0x40 = 0x601, enabled by PMREGMISC 0x80) and SCI on IRQ 9, pin A. The
     * base and enable registers are read-only here: the PM block stays where SeaBIOS put it (and
     * where the FADT says it is). The SMBus base (0x90 = 0x701) reads as SeaBIOS left it, but no
     * SMBus controller answers at 0x700.
     */
    public static PciFunction pm() {
        PciFunction f = new PciFunction("PIIX4 ACPI", 0x8086, 0x7113, 0x03, 0x068000) { };
        common(f);
        f.set(0x06, 2, 0x0280);                // status: medium DEVSEL, fast back-to-back
        f.set(0x3C, 1, 9);
        f.set(0x3D, 1, 1);
        f.set(0x40, 4, 0x601);
        f.setWritable(0x40, 4, 0);
        f.set(0x5B, 1, 0x02);                  // DEVACTB
        f.set(0x5F, 1, 0x10);                  // DEVRESA
        f.set(0x63, 1, 0x60);                  // DEVRESB
        f.set(0x67, 1, 0x08);                  // DEVRESC
        f.set(0x80, 1, 0x01);
        f.setWritable(0x80, 1, 0);
        f.set(0x90, 4, 0x701);
        f.set(0xD2, 1, 0x09);                  // SMBHSTCFG
        return f;
    }

    static void common(PciFunction f) {
        f.set(PciFunction.COMMAND, 2, COMMAND);
        f.set(0x2C, 4, SUBSYSTEM);
    }
}
