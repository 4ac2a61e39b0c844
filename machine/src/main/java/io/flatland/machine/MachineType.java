package io.flatland.machine;

/**
 * QEMU's {@code -machine} types Flatland models. {@code pc} is QEMU's default i440FX PC: the
 * ISA devices plus a local APIC, an I/O APIC, ACPI tables with the PIIX4 power-management
 * block, fw_cfg and PCI configuration space. {@code isapc} is the same PC without APIC, ACPI
 * and PCI, as QEMU's isapc.
 */
public enum MachineType {
    PC("pc", "Standard PC (i440FX + PIIX, 1996)"),
    ISAPC("isapc", "ISA-only PC");

    private final String qemuName;
    private final String description;

    MachineType(String qemuName, String description) {
        this.qemuName = qemuName;
        this.description = description;
    }

    /** The name -machine takes. */
    public String qemuName() { return qemuName; }

    public String description() { return description; }

    /** Whether the machine has the local APIC, I/O APIC, ACPI and PCI (everything but isapc). */
    public boolean hasApicAcpiPci() { return this == PC; }

    /** The type named {@code name} as -machine spells it ("pc-i440fx-7.2" and "pc-i440fx-*" are pc). */
    public static MachineType parse(String name) {
        if (name.equals("pc") || name.startsWith("pc-i440fx")) return PC;
        if (name.equals("isapc")) return ISAPC;
        throw new IllegalArgumentException("unsupported machine type '" + name + "' (use pc or isapc)");
    }
}
