package io.flatland.machine.devices;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 8254 modes 0, 2, 3, latching and read-back, per the Intel 8254 datasheet. */
class Pit8254Test {
    private long nowNs;
    private int edges;
    private Pit8254 pit;
    private SystemControlPortB port61;

    @BeforeEach
    void setUp() {
        nowNs = 0;
        edges = 0;
        boolean[] level = {false};
        pit = new Pit8254(() -> nowNs);
        // The PIT takes the line it declares, ISA IRQ 0, from the wiring.
        pit.attach(new Wiring(new io.flatland.cpu.IoBus(), line -> {
            assertEquals(0, line, "channel 0 drives IRQ 0");
            return l -> {
                if (l && !level[0]) edges++;
                level[0] = l;
            };
        }, MachineControl.NONE));
        port61 = new SystemControlPortB(pit);
    }

    private void at(long tick) { nowNs = Pit8254.nsOfTick(tick); }

    private void program(int channel, int mode, int count) {
        pit.out(0x43, 1, channel << 6 | 3 << 4 | mode << 1);   // LSB then MSB
        pit.out(0x40 + channel, 1, count & 0xFF);
        pit.out(0x40 + channel, 1, count >> 8);
    }

    private int read16(int channel) {
        int lo = pit.in(0x40 + channel, 1);
        return lo | pit.in(0x40 + channel, 1) << 8;
    }

    @Test
    void inputClockIs1193182Hz() {
        assertEquals(1_193_182, Pit8254.ticksAt(1_000_000_000L));
        assertEquals(1_000_000_000L, Pit8254.nsOfTick(1_193_182));
    }

    @Test
    void mode2CountsDownAndReloadsRaisingIrq0OncePerPeriod() {
        program(0, 2, 1000);
        at(1);
        assertEquals(999, read16(0));
        at(999);
        assertEquals(1, read16(0));
        pit.advance();
        assertEquals(0, edges);
        assertEquals(Pit8254.nsOfTick(1000), pit.nextDeadlineNs());
        at(1000);
        assertEquals(1000, read16(0));     // reloaded
        pit.advance();
        assertEquals(1, edges);
        at(2000);
        pit.advance();
        assertEquals(2, edges);
    }

    @Test
    void mode3IsASquareWaveDecrementingByTwo() {
        program(2, 3, 100);
        port61.out(0x61, 1, 1);            // GATE2 on
        at(10);
        assertEquals(80, read16(2));
        at(49);
        assertEquals(0x20, port61.in(0x61, 1) & 0x20, "OUT high during the first half");
        at(50);
        assertEquals(0, port61.in(0x61, 1) & 0x20, "OUT low during the second half");
        at(100);
        assertEquals(0x20, port61.in(0x61, 1) & 0x20);
    }

    @Test
    void mode0OutputRisesAtTerminalCountAndStaysHigh() {
        program(2, 0, 10);
        port61.out(0x61, 1, 1);
        at(5);
        assertEquals(0, port61.in(0x61, 1) & 0x20);
        assertEquals(5, read16(2));
        at(10);
        assertEquals(0x20, port61.in(0x61, 1) & 0x20);
        at(500);
        assertEquals(0x20, port61.in(0x61, 1) & 0x20);
    }

    @Test
    void port61ReadsBackGateAndSpeakerBitsAndTogglesRefresh() {
        port61.out(0x61, 1, 3);
        int a = port61.in(0x61, 1), b = port61.in(0x61, 1);
        assertEquals(3, a & 3);
        assertEquals(0x10, (a ^ b) & 0x10);
    }

    @Test
    void counterLatchFreezesTheValueUntilRead() {
        program(0, 2, 1000);
        at(100);
        pit.out(0x43, 1, 0x00);            // latch channel 0
        at(300);
        assertEquals(900, read16(0));
        assertEquals(700, read16(0));      // latch released after both bytes
    }

    @Test
    void lsbOnlyAndMsbOnlyAccess() {
        pit.out(0x43, 1, 0 << 6 | 1 << 4 | 2 << 1);   // LSB only, mode 2
        pit.out(0x40, 1, 200);
        at(50);
        assertEquals(150, pit.in(0x40, 1));
        pit.out(0x43, 1, 0 << 6 | 2 << 4 | 2 << 1);   // MSB only, mode 2
        pit.out(0x40, 1, 0x02);                      // count 0x200
        at(50 + 0x100);
        assertEquals(0x01, pit.in(0x40, 1));
    }

    @Test
    void readBackReturnsStatusThenCount() {
        program(0, 2, 1000);
        at(10);
        pit.out(0x43, 1, 0xC2);            // read-back: count and status of channel 0
        int status = pit.in(0x40, 1);
        assertEquals(0x80, status & 0x80, "OUT is high in mode 2 except when the count is 1");
        assertEquals(0, status & 0x40, "count loaded, so NULL COUNT is 0");
        assertEquals(3 << 4 | 2 << 1, status & 0x3F);
        at(20);
        assertEquals(990, read16(0));
    }

    @Test
    void aZeroCountMeans65536() {
        program(0, 2, 0);
        at(1);
        assertEquals(0xFFFF, read16(0));
        assertTrue(pit.nextDeadlineNs() == Pit8254.nsOfTick(65536));
    }
}
