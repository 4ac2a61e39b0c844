package io.flatland.machine.devices;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MC146818 registers per the Motorola datasheet; memory-size bytes per the PC/AT CMOS layout. */
class CmosRtcTest {
    private long nowNs;
    private boolean irq8;
    private CmosRtc rtc;
    private final java.util.List<String> guestErrors = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() {
        long base = LocalDateTime.of(2024, 2, 29, 21, 5, 9).toEpochSecond(ZoneOffset.UTC);
        rtc = new CmosRtc(() -> nowNs, base);
        // The RTC takes the line it declares, ISA IRQ 8, from the wiring.
        rtc.attach(new Wiring(new io.flatland.cpu.IoBus(), line -> {
            org.junit.jupiter.api.Assertions.assertEquals(8, line, "the RTC drives IRQ 8");
            return level -> irq8 = level;
        }, new MachineControl() {
            @Override public void requestExit(io.flatland.cpu.ExitReason why) { }
            @Override public void setA20(boolean enabled) { }
            @Override public long instructionCount() { return 0; }
            @Override public void guestError(String what) { guestErrors.add(what); }
        }));
    }

    private int read(int reg) {
        rtc.out(0x70, 1, reg);
        return rtc.in(0x71, 1);
    }

    private void write(int reg, int value) {
        rtc.out(0x70, 1, reg);
        rtc.out(0x71, 1, value);
    }

    @Test
    void anImpossibleDateIsIgnoredAndReportedAsAGuestError() {
        write(0x08, 0x13);                 // month 13
        assertEquals(0x02, read(0x08), "ignored");
        assertEquals(java.util.List.of("RTC: register 08 = 13 makes an impossible date, ignored"), guestErrors);
        write(0x08, 0x03);
        assertEquals(1, guestErrors.size(), "a valid date is no error");
    }

    @Test
    void timeIsBcdAnd24HourByDefault() {
        assertEquals(0x09, read(0x00));
        assertEquals(0x05, read(0x02));
        assertEquals(0x21, read(0x04));
        assertEquals(0x05, read(0x06), "Thursday is day 5 (Sunday = 1)");
        assertEquals(0x29, read(0x07));
        assertEquals(0x02, read(0x08));
        assertEquals(0x24, read(0x09));
        assertEquals(0x20, read(0x32));
    }

    @Test
    void binaryAnd12HourModesFollowRegisterB() {
        write(0x0B, 0x04);                 // DM=1 (binary), 12-hour
        assertEquals(9, read(0x00));
        assertEquals(0x80 | 9, read(0x04), "9 PM: bit 7 set");
        write(0x0B, 0x06);
        assertEquals(21, read(0x04));
    }

    @Test
    void timeAdvancesWithVirtualTime() {
        nowNs = 61_000_000_000L;
        assertEquals(0x10, read(0x00));
        assertEquals(0x06, read(0x02));
    }

    @Test
    void guestCanSetTheClockWhileSetBitIsOn() {
        write(0x0B, 0x82);                 // SET, 24-hour, BCD
        write(0x04, 0x07);
        write(0x02, 0x30);
        write(0x0B, 0x02);
        assertEquals(0x07, read(0x04));
        assertEquals(0x30, read(0x02));
    }

    @Test
    void statusRegistersAfterPowerOn() {
        assertEquals(0x26, read(0x0A) & 0x7F);
        assertEquals(0x02, read(0x0B));
        assertEquals(0x80, read(0x0D), "VRT: valid RAM and time");
    }

    @Test
    void indexBit7IsTheNmiMaskAndNotPartOfTheIndex() {
        rtc.out(0x70, 1, 0x80 | 0x0D);
        assertTrue(rtc.nmiMasked());
        assertEquals(0x80, rtc.in(0x71, 1));
        rtc.out(0x70, 1, 0x0D);
        assertFalse(rtc.nmiMasked());
    }

    @Test
    void cmosRamKeepsWhatIsWritten() {
        write(0x40, 0x5A);
        assertEquals(0x5A, read(0x40));
    }

    @Test
    void memorySizeBytesForSixtyFourMiB() {
        rtc.setMemorySize(64L << 20, 0);
        assertEquals(640, read(0x15) | read(0x16) << 8);
        assertEquals(63 * 1024, read(0x17) | read(0x18) << 8);
        assertEquals(63 * 1024, read(0x30) | read(0x31) << 8);
        assertEquals((48 << 20) / 65536, read(0x34) | read(0x35) << 8);
    }

    @Test
    void memorySizeBytesAboveThreeAndAHalfGiB() {
        rtc.setMemorySize(3L << 30, 512L << 20);      // QEMU's split of -m 3584
        assertEquals(65535, read(0x17) | read(0x18) << 8);
        assertEquals((3072 - 16) * 16, read(0x34) | read(0x35) << 8);
        assertEquals(0x2000, read(0x5B) | read(0x5C) << 8 | read(0x5D) << 16);
    }

    @Test
    void updateEndedInterruptSetsFlagsAndClearsOnRead() {
        write(0x0B, 0x12);                 // UIE
        nowNs = 1_000_000_000L;
        rtc.advance();
        assertTrue(irq8);
        int c = read(0x0C);
        assertEquals(0x90, c & 0x90, "IRQF and UF");
        assertFalse(irq8);
        assertEquals(0, read(0x0C));
    }

    @Test
    void updateInProgressIsSetJustBeforeTheSecondChanges() {
        nowNs = 999_900_000L;
        assertEquals(0x80, read(0x0A) & 0x80);
        nowNs = 500_000_000L;
        assertEquals(0, read(0x0A) & 0x80);
    }
}
