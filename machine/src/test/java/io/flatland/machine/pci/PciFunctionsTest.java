package io.flatland.machine.pci;

import io.flatland.cpu.IoBus;
import io.flatland.machine.devices.Wiring;
import io.flatland.machine.firmware.QemuDump;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configuration space through 0xCF8/0xCFC against QEMU 7.2's recorded dumps, BAR sizing and pci-testdev. */
class PciFunctionsTest {
    private final IoBus io = new IoBus();
    private final PciTestdev testdev = new PciTestdev(io);
    private final PciBus bus = new PciBus();

    PciFunctionsTest() {
        bus.add(0, 0, Piix.hostBridge());
        bus.add(1, 0, Piix.isaBridge());
        bus.add(1, 3, Piix.pm());
        bus.add(2, 0, testdev);
        bus.attach(Wiring.ports(io));
    }

    private int cfg(int dev, int fn, int reg, int size) {
        io.out(0xCF8, 4, 0x8000_0000 | dev << 11 | fn << 8 | (reg & 0xFC));
        return io.in(0xCFC + (reg & 3), size);
    }

    private void cfgWrite(int dev, int fn, int reg, int size, int v) {
        io.out(0xCF8, 4, 0x8000_0000 | dev << 11 | fn << 8 | (reg & 0xFC));
        io.out(0xCFC + (reg & 3), size, v);
    }

    @Test
    void everyFunctionReadsAsQemuRecordedIt() throws Exception {
        Map<String, byte[]> q = QemuDump.load().configs;
        assertTrue(q.containsKey("01.1"), "QEMU has the PIIX3 IDE function, which Flatland leaves out");
        assertEquals(-1, cfg(1, 1, 0, 4));
        for (String f : new String[] {"00.0", "01.0", "01.3", "02.0"}) {
            int dev = Integer.parseInt(f.substring(0, 2), 16), fn = f.charAt(3) - '0';
            byte[] ours = new byte[256];
            for (int r = 0; r < 256; r++) ours[r] = (byte) cfg(dev, fn, r, 1);
            assertArrayEquals(q.get(f), ours, "configuration space of 00:" + f);
        }
    }

    @Test
    void addressRegisterAndAbsentFunctions() {
        io.out(0xCF8, 4, 0x8000_0000);
        assertEquals(0x8000_0000, io.in(0xCF8, 4));
        assertEquals(0, io.in(0xCFB, 1), "a byte of 0xCF8-0xCFB reads 0 (QEMU's 0xCFB)");
        assertEquals(0x1237_8086, cfg(0, 0, 0, 4));
        assertEquals(0x1237, cfg(0, 0, 2, 2));
        assertEquals(0x80, cfg(1, 0, 0x0E, 1), "PIIX3 is multi-function");
        assertEquals(-1, cfg(0x1F, 0, 0, 4));
        assertEquals(0xFFFF, cfg(0x1F, 0, 2, 2));
        io.out(0xCF8, 4, 0x8001_0000);
        assertEquals(-1, io.in(0xCFC, 4), "bus 1 is empty");
        io.out(0xCF8, 4, 0x0000_0000);
        assertEquals(-1, io.in(0xCFC, 4), "enable bit clear");
    }

    @Test
    void readOnlyRegistersStay() {
        cfgWrite(1, 0, 0, 4, 0x12345678);
        assertEquals(0x7000_8086, cfg(1, 0, 0, 4), "IDs are read-only (QEMU: 70008086 after the same write)");
        cfgWrite(1, 3, 0x40, 4, 0xB001);
        assertEquals(0x601, cfg(1, 3, 0x40, 4), "the PM base stays at 0x600");
        cfgWrite(0, 0, 0x3C, 1, 0x0B);
        assertEquals(0x0B, cfg(0, 0, 0x3C, 1), "interrupt line is read/write");
        cfgWrite(0, 0, 0x04, 2, 0xFFFF);
        assertEquals(0x0547, cfg(0, 0, 0x04, 2), "command keeps QEMU's writable bits");
    }

    @Test
    void barSizingAndMoving() {
        cfgWrite(2, 0, 0x10, 4, -1);
        assertEquals(0xFFFFF000, cfg(2, 0, 0x10, 4), "4 KiB memory BAR (QEMU: fffff000)");
        cfgWrite(2, 0, 0x14, 4, -1);
        assertEquals(0xFFFFFF01, cfg(2, 0, 0x14, 4), "256-port I/O BAR (QEMU: ffffff01)");
        cfgWrite(2, 0, 0x18, 4, -1);
        assertEquals(0, cfg(2, 0, 0x18, 4), "no BAR2");
        cfgWrite(2, 0, 0x14, 4, 0xD000);
        assertEquals(0xD000, testdev.barAddress(1));
        io.out(0xD000, 1, 1);
        assertEquals(0x84, io.in(0xD004, 4), "the I/O BAR moved: portio test 1 at 0xD000");
        assertEquals(0xFF, io.in(0xC000, 1), "nothing left at the old address");
        cfgWrite(2, 0, 0x04, 2, 0x0000);
        assertEquals(-1, testdev.barAddress(0), "memory disabled");
        assertEquals(0xFF, io.in(0xD000, 1), "I/O disabled");
        bus.reset();
        assertEquals(PciTestdev.MEM_BAR_ADDRESS & 0xFFFFFFFFL, testdev.barAddress(0));
        assertEquals(PciTestdev.IO_BAR_ADDRESS, testdev.barAddress(1));
    }

    @Test
    void testdevProtocolAsKvmUnitTestsUsesIt() {
        // lib/pci-testdev.c: select test n, read width/offset/data, 16 writes of the data, count 0 or 16.
        for (int type = 0; type < 2; type++) {
            for (int n = 0; n < 3; n++) {
                testdev.barWrite(type, 0, 1, n);
                assertEquals(0, testdev.barRead(12, 4));
                assertEquals(1, testdev.barRead(1, 1));
                int off = testdev.barRead(4, 4), data = testdev.barRead(8, 4);
                assertEquals((type == 0 ? 0x800 : 0x80) + 3 * type + n, off);
                for (int i = 0; i < 16; i++) testdev.barWrite(type, off, 1, data);
                assertEquals(n == 0 ? 16 : 0, testdev.barRead(12, 4), "type " + type + " test " + n);
                StringBuilder name = new StringBuilder();
                for (int i = 16; testdev.barRead(i, 1) != 0; i++) name.append((char) testdev.barRead(i, 1));
                assertTrue(name.toString().startsWith(type == 0 ? "mmio-" : "portio-"), name.toString());
            }
            testdev.barWrite(type, 0, 1, 3);
            assertEquals(0, testdev.barRead(1, 1), "no test selected: reads 0");
        }
        testdev.barWrite(0, 0, 1, 0);
        testdev.barWrite(0, 0x800, 4, 0xFA);
        assertEquals(1, testdev.barRead(12, 4), "MMIO hands the device each byte: the dword's low byte counts");
        testdev.barWrite(0, 0x802, 4, 0xFA);
        assertEquals(1, testdev.barRead(12, 4), "unaligned: dropped");
        assertFalse(testdev.barIsIo(0));
    }
}
