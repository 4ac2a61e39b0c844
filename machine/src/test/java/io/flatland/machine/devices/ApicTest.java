package io.flatland.machine.devices;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local APIC's timer arithmetic and global enable, and the I/O APIC's trigger modes (SDM Vol.
 * 3A chapter 11, 82093AA datasheet), at the register level. What a guest sees end to end is the
 * probe kernel lapic, compared with QEMU.
 */
class ApicTest {
    private static final int APIC = (int) LocalApic.DEFAULT_BASE, IOAPIC = (int) IoApic.BASE;
    private long now;
    private LocalApic lapic;
    private IoApic ioapic;

    @BeforeEach
    void setUp() {
        lapic = new LocalApic(() -> now);
        ioapic = new IoApic(lapic);
        lapic.write(APIC + 0xF0, 4, 0x1FF);           // software enable
    }

    private int reg(int off) { return lapic.read(APIC + off, 4); }

    private void ioWrite(int index, int value) {
        ioapic.write(IOAPIC, 4, index);
        ioapic.write(IOAPIC + 0x10, 4, value);
    }

    private int ioRead(int index) {
        ioapic.write(IOAPIC, 4, index);
        return ioapic.read(IOAPIC + 0x10, 4);
    }

    @Test
    void oneShotTimerCountsDownThroughTheDivideRegisterAndFiresOnce() {
        lapic.write(APIC + 0x3E0, 4, 0x1);             // divide by 4
        lapic.write(APIC + 0x320, 4, 0x40);            // one-shot, vector 0x40
        now = 1000;
        lapic.write(APIC + 0x380, 4, 100);              // 100 ticks of 4 ns
        assertEquals(1000 + 101 * 4 - 4, lapic.nextDeadlineNs());
        now += 40;
        assertEquals(90, reg(0x390));
        now = lapic.nextDeadlineNs();
        lapic.advance();
        assertEquals(0x40, lapic.deliverable());
        assertEquals(0, reg(0x390));
        assertEquals(Device.NO_DEADLINE, lapic.nextDeadlineNs(), "one-shot: nothing more");
    }

    @Test
    void periodicTimerReloadsFromItsInitialCount() {
        lapic.write(APIC + 0x3E0, 4, 0xB);             // divide by 1
        lapic.write(APIC + 0x320, 4, 0x20041);
        now = 0;
        lapic.write(APIC + 0x380, 4, 9);                // period 10 ns
        assertEquals(10, lapic.nextDeadlineNs());
        now = 10;
        lapic.advance();
        assertEquals(20, lapic.nextDeadlineNs());
        now = 13;
        assertEquals(6, reg(0x390));
        assertEquals(0x41, lapic.acknowledge());
        assertEquals(0x41, lapic.read(APIC + 0x100 + 0x20, 4) == 2 ? 0x41 : -1, "0x41 in service");
    }

    @Test
    void taskPriorityHoldsBackAClassUntilLowered() {
        lapic.accept(0, 0x35, false);
        lapic.write(APIC + 0x80, 4, 0x30);
        assertEquals(-1, lapic.deliverable());
        assertEquals(0x30, reg(0xA0));
        lapic.write(APIC + 0x80, 4, 0x20);
        assertEquals(0x35, lapic.deliverable());
    }

    @Test
    void globalDisableLosesTheStateAndLetsThe8259Through() {
        lapic.write(APIC + 0x350, 4, 0x10700);          // LINT0 masked: the 8259 is cut off
        assertFalse(lapic.acceptsPicInterrupts());
        lapic.accept(0, 0x50, false);
        lapic.writeBase(lapic.readBase() & ~LocalApic.ENABLE);
        assertTrue(lapic.acceptsPicInterrupts(), "disabled: INTR straight from the 8259");
        assertEquals(-1, lapic.deliverable());
        lapic.writeBase(lapic.readBase() | LocalApic.ENABLE);
        assertEquals(0xFF, reg(0xF0), "re-enabled as after reset: software-disabled");
        assertEquals(0, reg(0x200 + 0x20), "IRR cleared");
    }

    @Test
    void reservedBitsOfTheBaseMsrAreRefused() {
        // Bit 10 (x2APIC) exists only when the CPU model has x2APIC.
        assertEquals(13, org.junit.jupiter.api.Assertions.assertThrows(io.flatland.mmu.GuestFault.class,
                () -> lapic.writeBase(0xFEE0_0C00L)).vector);
        lapic.writeBase(0xFEE0_0900L);
        assertEquals(0xFEE0_0900L, lapic.readBase());
    }

    @Test
    void x2apicModeServesTheRegistersAsMsrsAndSelfIpi() {
        lapic.features(true, true);
        assertThrows13(() -> lapic.rdmsr(0x802), "xAPIC mode: the x2APIC MSRs #GP");
        lapic.writeBase(0xFEE0_0D00L);                   // x2APIC + enable
        assertEquals(0, lapic.rdmsr(0x802), "32-bit ID");
        assertEquals(1, lapic.rdmsr(0x80D), "logical ID: cluster 0, bit 0");
        lapic.wrmsr(0x83F, 0x44);                        // SELF IPI
        assertEquals(0x44, lapic.deliverable());
        assertThrows13(() -> lapic.rdmsr(0x83F), "SELF IPI is write-only");
        assertThrows13(() -> lapic.wrmsr(0x80B, 1), "EOI takes only 0");
        assertThrows13(() -> lapic.writeBase(0xFEE0_0900L), "x2APIC to xAPIC directly");
        lapic.writeBase(0xFEE0_0000L);                   // through disabled
        lapic.writeBase(0xFEE0_0900L);
        assertEquals(0xFEE0_0900L, lapic.readBase());
    }

    @Test
    void tscDeadlineModeFiresAtTheDeadlineAndClearsIt() {
        lapic.features(true, true);
        lapic.write(APIC + 0x320, 4, 0x40000 | 0x48);     // TSC-deadline mode
        now = 500;
        lapic.wrmsr(0x6E0, 2000);
        assertEquals(2000, lapic.nextDeadlineNs());
        now = 2000;
        lapic.advance();
        assertEquals(0x48, lapic.deliverable());
        assertEquals(0, lapic.rdmsr(0x6E0), "the deadline passed");
        lapic.wrmsr(0x6E0, 100);                          // already in the past: at once
        assertEquals(2000, lapic.nextDeadlineNs());
    }

    private static void assertThrows13(org.junit.jupiter.api.function.Executable e, String what) {
        assertEquals(13, org.junit.jupiter.api.Assertions.assertThrows(io.flatland.mmu.GuestFault.class, e, what).vector, what);
    }

    @Test
    void levelTriggeredPinWaitsForTheLocalApicsEoiAndFiresAgainWhileHigh() {
        ioWrite(0x10 + 2 * 9, 0xA000 | 0x59);            // pin 9: level, active low, vector 0x59
        ioapic.setPin(9, true);
        assertEquals(0x59, lapic.deliverable());
        assertTrue((ioRead(0x10 + 2 * 9) & 1 << 14) != 0, "remote IRR set");
        assertEquals(0x59, lapic.acknowledge());
        ioapic.setPin(9, true);                          // still high: nothing new while remote IRR is set
        assertEquals(-1, lapic.deliverable());
        lapic.write(APIC + 0xB0, 4, 0);                  // EOI of a level vector reaches the I/O APIC
        assertEquals(0x59, lapic.deliverable(), "the line is still high: delivered again");
        assertTrue((ioRead(0x10 + 2 * 9) & 1 << 14) != 0, "remote IRR set again");
        assertEquals(0x59, lapic.acknowledge());
        ioapic.setPin(9, false);
        lapic.write(APIC + 0xB0, 4, 0);
        assertEquals(0, ioRead(0x10 + 2 * 9) & 1 << 14, "line low at the EOI: remote IRR cleared");
        assertEquals(-1, lapic.deliverable());
    }

    @Test
    void edgesOnAMaskedPinAreLostAndIsaLineZeroIsPinTwo() {
        ioWrite(0x10 + 2 * 2, 0x1_0062);                 // masked
        ioapic.setIsaLine(0, true);
        ioapic.setIsaLine(0, false);
        ioWrite(0x10 + 2 * 2, 0x62);                      // unmasked afterwards: the edge is gone
        assertEquals(-1, lapic.deliverable());
        ioapic.setIsaLine(0, true);
        assertEquals(0x62, lapic.deliverable());
        assertEquals(0x00170020, ioRead(1), "version 0x20, 24 pins");
    }
}
