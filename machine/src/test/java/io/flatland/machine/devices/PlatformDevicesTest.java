package io.flatland.machine.devices;

import io.flatland.cpu.ExitReason;
import io.flatland.cpu.IoBus;
import io.flatland.machine.firmware.FwCfg;
import io.flatland.machine.loader.E820Map;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fw_cfg, the PIIX4 PM registers and pc-testdev at the port level. */
class PlatformDevicesTest {
    private final IoBus io = new IoBus();
    private long nowNs;
    private ExitReason exit = ExitReason.NONE;
    private final MachineControl control = new MachineControl() {
        @Override public void requestExit(ExitReason why) { exit = why; }
        @Override public void setA20(boolean enabled) { }
        @Override public long instructionCount() { return 0; }
    };

    private long fw(int key, int n) {
        io.out(FwCfg.SELECTOR, 2, key);
        long v = 0;
        for (int i = 0; i < n; i++) v |= (long) io.in(FwCfg.DATA, 1) << (8 * i);
        return v;
    }

    @Test
    void fwCfgItemsAsQemuPc() {
        FwCfg f = FwCfg.forPc(new E820Map(64L << 20), 64L << 20);
        f.attach(Wiring.ports(io));
        assertEquals(0x554D4551L, fw(FwCfg.SIGNATURE, 4), "QEMU");
        assertEquals(0, io.in(FwCfg.DATA, 1), "past the end: 0");
        assertEquals(1, fw(FwCfg.ID, 4), "traditional interface only, no DMA bit");
        assertEquals(64L << 20, fw(FwCfg.RAM_SIZE, 8));
        assertEquals(1, fw(FwCfg.NB_CPUS, 2));
        assertEquals(1, fw(FwCfg.MAX_CPUS, 2));
        assertEquals(0, fw(0x11, 8), "no KERNEL_DATA (kvm-unit-tests' MAX_RAM): 0, i.e. no limit");
        assertEquals(0, fw(0x7777, 4), "unknown key");
        io.out(FwCfg.SELECTOR, 2, FwCfg.FILE_DIR);
        long count = 0;
        for (int i = 0; i < 4; i++) count = count << 8 | io.in(FwCfg.DATA, 1);
        assertEquals(1, count);
        long size = 0;
        for (int i = 0; i < 4; i++) size = size << 8 | io.in(FwCfg.DATA, 1);
        int select = io.in(FwCfg.DATA, 1) << 8 | io.in(FwCfg.DATA, 1);
        io.in(FwCfg.DATA, 1);
        io.in(FwCfg.DATA, 1);
        byte[] name = new byte[8];
        for (int i = 0; i < 8; i++) name[i] = (byte) io.in(FwCfg.DATA, 1);
        assertEquals("etc/e820", new String(name, StandardCharsets.US_ASCII));
        assertEquals(20, size);
        assertEquals(0x20, select);
        assertEquals(0, fw(select, 8), "e820 entry address");
        assertEquals(64L << 20, readLength(select), "e820 entry length: all of -m");
        f.reset();
        assertEquals('Q', io.in(FwCfg.DATA, 1), "reset selects the signature");
    }

    private long readLength(int select) {
        io.out(FwCfg.SELECTOR, 2, select);
        for (int i = 0; i < 8; i++) io.in(FwCfg.DATA, 1);
        long v = 0;
        for (int i = 0; i < 8; i++) v |= (long) io.in(FwCfg.DATA, 1) << (8 * i);
        return v;
    }

    private Piix4Pm pm() {
        Piix4Pm pm = new Piix4Pm(() -> nowNs);
        pm.attach(new Wiring(io, l -> InterruptLine.NONE, control));
        return pm;
    }

    @Test
    void pmTimerCountsAt3579545HzIn24Bits() {
        pm();
        nowNs = 1_000_000_000L;
        assertEquals(3_579_545 & 0xFFFFFF, io.in(0x608, 4));
        nowNs = 10_000_000_000L;
        assertEquals(35_795_450 & 0xFFFFFF, io.in(0x608, 4), "wraps at 24 bits");
        nowNs = 365L * 86_400 * 1_000_000_000L;   // a year: no overflow in the scaling
        assertEquals((365L * 86_400 * 3_579_545) & 0xFFFFFF, io.in(0x608, 4));
    }

    @Test
    void timerStatusSetsWhenBit23TogglesAndClearsByWritingOne() {
        pm();
        assertEquals(1, io.in(0x600, 2), "set after power-on, as QEMU reads it");
        io.out(0x600, 2, 1);
        assertEquals(0, io.in(0x600, 2) & 1);
        nowNs = 0x800000L * 1_000_000_000L / Piix4Pm.TIMER_HZ + 1000;
        assertEquals(1, io.in(0x600, 2) & 1, "bit 23 of the counter toggled");
        io.out(0x602, 2, 0x0121);
        assertEquals(0x0121, io.in(0x602, 2));
    }

    @Test
    void acpiEnableAndS5PowerOff() {
        Piix4Pm pm = pm();
        assertEquals(0, io.in(0x604, 2));
        io.out(0xB2, 1, Piix4Pm.ACPI_ENABLE);
        assertEquals(1, io.in(0x604, 2), "SCI_EN after ACPI_ENABLE at SMI_CMD");
        io.out(0x604, 2, 1 << 10 | 1 << 13 | 1);
        assertFalse(pm.poweredOff(), "S3 (SLP_TYP 1) is not power-off");
        assertEquals(ExitReason.NONE, exit);
        assertEquals(1 << 10 | 1, io.in(0x604, 2), "SLP_EN reads 0");
        io.out(0x604, 2, 1 << 13 | 1);
        assertTrue(pm.poweredOff());
        assertEquals(ExitReason.DEVICE_EXIT, exit);
        pm.reset();
        assertFalse(pm.poweredOff());
        assertEquals(0, io.in(0x604, 2));
    }

    @Test
    void pcTestdevReadsBackEveryWidth() {
        new PcTestdev().attach(Wiring.ports(io));
        io.out(0xE0, 4, 0x11223344);
        assertEquals(0x11223344, io.in(0xE0, 4));
        io.out(0xE1, 1, 0x55);
        assertEquals(0x55, io.in(0xE1, 1));
        assertEquals(0x1122, io.in(0xE2, 2));
        assertEquals(0x11225544, io.in(0xE0, 4), "QEMU's answers, recorded by the platform probe");
        io.out(0xE4, 4, 0x1000);   // flush page: nothing visible
        assertEquals(0x11225544, io.in(0xE0, 4));
    }
}
