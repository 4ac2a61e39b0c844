package io.flatland.machine.devices;

import io.flatland.cpu.IoDevice;

/**
 * Intel 8254 programmable interval timer at 0x40-0x43, clocked at 1.193182 MHz.
 *
 * <p>Counters are not stepped: each channel remembers when its count was loaded (in
 * input-clock ticks of virtual time) and its current value and OUT level are computed from
 * the ticks elapsed since, the way QEMU's i8254 does. That makes reads exact at any
 * instant and lets the machine ask for the time of the next OUT rising edge, which is what
 * raises IRQ0 (channel 0, edge-triggered at the 8259).
 *
 * <p>Modes 0 (interrupt on terminal count), 2 (rate generator) and 3 (square wave) are
 * exact; 1, 4 and 5 are modelled as one-shots like mode 0 (best effort). Channel 1 (DRAM
 * refresh on the AT) is present but drives nothing. Channel 2's GATE and OUT are reached
 * through port 0x61 ({@link SystemControlPortB}).
 */
public final class Pit8254 implements IoDevice, Device {
    public static final long FREQUENCY_HZ = 1_193_182;
    /** Channel 0's OUT drives ISA IRQ 0. */
    public static final int IRQ = 0;
    private static final int[] LINES = {IRQ};
    private static final long NS_PER_S = 1_000_000_000L;

    public interface Clock {
        /** Current virtual time in nanoseconds. */
        long nowNs();
    }

    /** Access modes of the control word's RW field. */
    static final int LATCH = 0, LSB = 1, MSB = 2, LSB_MSB = 3;

    static final class Channel {
        int mode;
        int accessMode = LSB_MSB;
        boolean bcd;
        /** Reload value; 0 is written as 0x10000. */
        int count = 0x10000;
        long loadTick;
        boolean gate = true;
        boolean counting;          // a count has been written since the control word
        boolean nullCount = true;
        // Write side of LSB_MSB: the low byte has been written, the high byte is awaited.
        boolean writeHigh;
        int writeLow;
        // Read side: LSB_MSB flip-flop, count latch and status latch.
        boolean readHigh;
        boolean latched;
        int latchValue;
        int latchAccess;          // LSB_MSB sequencing of the latched value
        boolean statusLatched;
        int status;
    }

    final Channel[] ch = {new Channel(), new Channel(), new Channel()};
    private final Clock clock;
    private InterruptLine irq0 = InterruptLine.NONE;
    /** Tick up to which channel 0's OUT edges have been delivered to IRQ0. */
    private long irqDeliveredTick;
    /** Told when channel 0 is reprogrammed, so the machine can move its next deadline. */
    private Runnable reprogrammed = () -> { };

    public Pit8254(Clock clock) {
        this.clock = clock;
        ch[0].gate = true;
        ch[1].gate = true;
        reset();
    }

    @Override
    public void attach(Wiring w) {
        w.io().register(0x40, 4, this);
        irq0 = w.irq().apply(IRQ);
    }

    @Override
    public int[] irqLines() { return LINES; }

    public void onReprogram(Runnable r) {
        reprogrammed = r;
    }

    // ---- time conversion (exact, no overflow for any long ns) ----

    static long ticksAt(long ns) {
        return (ns / NS_PER_S) * FREQUENCY_HZ + (ns % NS_PER_S) * FREQUENCY_HZ / NS_PER_S;
    }

    /** First nanosecond at which {@code ticksAt(ns) >= tick}. */
    static long nsOfTick(long tick) {
        long whole = tick / FREQUENCY_HZ, rest = tick % FREQUENCY_HZ;
        return whole * NS_PER_S + (rest * NS_PER_S + FREQUENCY_HZ - 1) / FREQUENCY_HZ;
    }

    private long nowTick() { return ticksAt(clock.nowNs()); }

    // ---- counter model ----

    /** Counter value at {@code tick}. */
    int countAt(Channel c, long tick) {
        if (!c.counting) return c.count & 0xFFFF;
        long d = tick - c.loadTick;
        return switch (c.mode) {
            case 2 -> (int) (c.count - d % c.count) & 0xFFFF;
            // Mode 3 decrements by two each clock (even counts; odd counts are approximated).
            case 3 -> (int) (c.count - (2 * d) % c.count) & 0xFFFF;
            default -> (int) (c.count - d) & 0xFFFF;
        };
    }

    /** OUT level at {@code tick}. */
    boolean outAt(Channel c, long tick) {
        if (!c.counting) return c.mode != 0;      // mode 0 OUT is low after the control word
        long d = tick - c.loadTick;
        return switch (c.mode) {
            case 0 -> d >= c.count;
            case 1 -> d >= c.count;               // one-shot: low while counting, high at terminal count
            case 2 -> d % c.count != c.count - 1; // low for the one clock when the count is 1
            case 3 -> d % c.count < (c.count + 1) / 2;
            case 4, 5 -> d != c.count;            // strobe: low for one clock at terminal count
            default -> true;
        };
    }

    /** The first tick &gt; {@code tick} at which OUT rises, or -1 if it never will. */
    long nextRisingEdge(Channel c, long tick) {
        if (!c.counting || !c.gate && c.mode != 0) return -1;
        long d = tick - c.loadTick;
        switch (c.mode) {
            case 0, 1 -> { return d < c.count ? c.loadTick + c.count : -1; }
            case 2, 3 -> {
                // Both rise when the counter reloads: at d = k * count, k >= 1.
                long k = d / c.count + 1;
                return c.loadTick + k * c.count;
            }
            case 4, 5 -> { return d < c.count + 1 ? c.loadTick + c.count + 1 : -1; }
            default -> { return -1; }
        }
    }

    // ---- the machine's view ----

    /**
     * Delivers channel 0's OUT rising edges up to now to IRQ0 (several edges since the last
     * call merge into one request, as the 8259 latches one per line). Called by the
     * machine's periodic service, before every access to the PIT, and before the guest reads
     * the PIC, so a latched request is there whenever the guest can look for it, in either
     * time mode. (Under --icount the service runs at every edge, so the extra calls find
     * nothing to deliver.)
     */
    @Override
    public void advance() {
        long now = nowTick();
        Channel c = ch[0];
        long edge = nextRisingEdge(c, irqDeliveredTick);
        if (edge >= 0 && edge <= now) {
            irq0.set(true);
            irq0.set(false);
        }
        irqDeliveredTick = now;
    }

    /** Virtual time (ns) of channel 0's next OUT rising edge after now, or -1. */
    @Override
    public long nextDeadlineNs() {
        long edge = nextRisingEdge(ch[0], irqDeliveredTick);
        return edge < 0 ? -1 : nsOfTick(edge);
    }

    // ---- port 0x61 ----

    public void setGate2(boolean gate) {
        Channel c = ch[2];
        if (gate && !c.gate && (c.mode == 1 || c.mode == 2 || c.mode == 3 || c.mode == 5)) {
            // A rising GATE (re)triggers modes 1 and 5 and restarts 2 and 3 from the reload value.
            c.loadTick = nowTick();
        }
        c.gate = gate;
    }

    public boolean gate2() { return ch[2].gate; }

    public boolean out2() { return outAt(ch[2], nowTick()); }

    // ---- I/O ----

    @Override
    public int in(int port, int size) {
        // Edges that happened since the machine last serviced the timer reach the PIC before
        // the guest sees the counter: in real-time mode that can be many wraps ago.
        advance();
        int i = port & 3;
        if (i == 3) return 0xFF;                 // the control register cannot be read
        Channel c = ch[i];
        if (c.statusLatched) {
            c.statusLatched = false;
            return c.status;
        }
        if (c.latched) {
            int v = c.latchValue;
            switch (c.latchAccess) {
                case LSB -> { c.latched = false; return v & 0xFF; }
                case MSB -> { c.latched = false; return v >> 8 & 0xFF; }
                default -> {                      // LSB then MSB
                    c.latchAccess = MSB;
                    return v & 0xFF;
                }
            }
        }
        int v = countAt(c, nowTick());
        switch (c.accessMode) {
            case LSB: return v & 0xFF;
            case MSB: return v >> 8 & 0xFF;
            default:
                c.readHigh = !c.readHigh;
                return c.readHigh ? v & 0xFF : v >> 8 & 0xFF;
        }
    }

    @Override
    public void out(int port, int size, int value) {
        advance();                                // edges due under the old programming come first
        value &= 0xFF;
        int i = port & 3;
        if (i == 3) {
            control(value);
            return;
        }
        Channel c = ch[i];
        switch (c.accessMode) {
            case LSB -> load(c, value);
            case MSB -> load(c, value << 8);
            default -> {
                if (!c.writeHigh) {
                    c.writeLow = value;
                    c.writeHigh = true;
                    if (c.mode == 0) c.counting = false;  // mode 0: writing the LSB stops the count
                } else {
                    c.writeHigh = false;
                    load(c, c.writeLow | value << 8);
                }
            }
        }
    }

    private void control(int value) {
        int sc = value >> 6;
        if (sc == 3) {
            readBack(value);
            return;
        }
        Channel c = ch[sc];
        int rw = value >> 4 & 3;
        if (rw == LATCH) {
            latchCount(c);
            return;
        }
        c.accessMode = rw;
        int mode = value >> 1 & 7;
        c.mode = mode >= 6 ? mode - 4 : mode;     // 6 and 7 are aliases of 2 and 3
        c.bcd = (value & 1) != 0;
        c.counting = false;
        c.nullCount = true;
        c.writeHigh = false;
        c.readHigh = false;
        c.latched = false;
        if (c == ch[0]) {
            irqDeliveredTick = nowTick();
            reprogrammed.run();
        }
    }

    private void latchCount(Channel c) {
        if (c.latched) return;                   // a second latch before the read is ignored
        c.latched = true;
        c.latchValue = countAt(c, nowTick());
        c.latchAccess = c.accessMode;
    }

    private void readBack(int value) {
        long now = nowTick();
        for (int i = 0; i < 3; i++) {
            if ((value & (2 << i)) == 0) continue;
            Channel c = ch[i];
            if ((value & 0x20) == 0) latchCount(c);
            if ((value & 0x10) == 0 && !c.statusLatched) {
                c.statusLatched = true;
                c.status = (outAt(c, now) ? 0x80 : 0) | (c.nullCount ? 0x40 : 0)
                        | c.accessMode << 4 | c.mode << 1 | (c.bcd ? 1 : 0);
            }
        }
    }

    private void load(Channel c, int value) {
        c.count = value == 0 ? 0x10000 : value;
        long now = nowTick();
        c.loadTick = now;
        c.counting = true;
        c.nullCount = false;
        if (c == ch[0]) {
            irqDeliveredTick = now;
            reprogrammed.run();
        }
    }

    /**
     * Power-on state as QEMU's 8254 has it (the read-back status of a channel nobody programmed
     * shows it): every channel in mode 3 with the full count, counting, with the access field 0.
     * The firmware then programs channel 0 ({@code FirmwareHandoff}).
     */
    @Override
    public void reset() {
        long now = nowTick();
        for (Channel c : ch) {
            c.mode = 3;
            c.accessMode = LATCH;
            c.bcd = false;
            c.count = 0x10000;
            c.loadTick = now;
            c.counting = true;
            c.latched = c.statusLatched = c.writeHigh = c.readHigh = false;
            c.nullCount = false;
        }
        ch[2].gate = false;
        irqDeliveredTick = now;
    }
}
