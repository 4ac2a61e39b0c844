package io.flatland.machine.firmware;

import io.flatland.cpu.IoBus;
import io.flatland.machine.devices.Device;
import io.flatland.machine.devices.Piix4Pm;
import io.flatland.machine.devices.Pit8254;
import io.flatland.machine.loader.E820Map;
import io.flatland.machine.pci.PciBus;
import io.flatland.machine.pci.PciMemoryWindow;
import io.flatland.machine.pci.PciTestdev;
import io.flatland.machine.pci.Piix;
import io.flatland.mmu.MmioBus;
import io.flatland.mmu.PhysicalMemory;

import java.util.ArrayList;
import java.util.List;

/**
 * What QEMU's pc shows a kernel that isapc does not, besides the APICs: fw_cfg, the ACPI
 * tables, PCI configuration space with the i440FX/PIIX functions (and pci-testdev at 00:02.0
 * when asked for), and the PIIX4 PM registers. The machine attaches {@link #devices()} with
 * its own, calls {@link #install} at every power-on and reset (after loading the kernel), and
 * asks {@link #poweredOff()} when a device ended the run.
 */
public final class PcFirmware {
    private final List<Device> devices = new ArrayList<>();
    private final AcpiTables acpi;
    private final Piix4Pm pm;

    public PcFirmware(E820Map map, long ramBytes, Pit8254.Clock clock, IoBus io, MmioBus mmio, boolean pciTestdev) {
        acpi = new AcpiTables(map.lowRamEnd());
        pm = new Piix4Pm(clock);
        PciBus pci = new PciBus();
        pci.add(0, 0, Piix.hostBridge());
        pci.add(1, 0, Piix.isaBridge());
        pci.add(1, 3, Piix.pm());
        if (pciTestdev) {
            PciTestdev testdev = new PciTestdev(io);
            pci.add(2, 0, testdev);
            new PciMemoryWindow(testdev, mmio).map();
        }
        devices.add(FwCfg.forPc(map, ramBytes));
        devices.add(pci);
        devices.add(pm);
    }

    public List<Device> devices() { return devices; }

    /** The ACPI tables into RAM (the guest may have overwritten them before a reset). */
    public void install(PhysicalMemory ram) {
        acpi.install(ram);
    }

    /** Whether the guest entered S5 through PM1a_CNT. */
    public boolean poweredOff() { return pm.poweredOff(); }
}
