package io.flatland.machine.devices;

import io.flatland.cpu.IoDevice;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Motorola MC146818 real-time clock and its 128 bytes of CMOS RAM at 0x70 (index; bit 7
 * masks NMI) and 0x71 (data).
 *
 * <p>Time registers 0x00-0x09 and the century byte 0x32 are computed from virtual time when
 * read: {@code baseEpochSeconds} (the host clock at power-on, or a fixed date for repeatable
 * runs) plus elapsed virtual seconds plus whatever the guest set. They are BCD unless
 * register B's DM bit (2) selects binary, and 12-hour with bit 7 = PM unless B's 24/12 bit
 * (1) is set. While B's SET bit (7) is set the clock is frozen for writing.
 *
 * <p>Register A: UIP (bit 7) is set during the last 244 µs of each second; the divider and
 * rate bits are kept. Register C's flags (IRQF, PF, UF) clear on read; periodic (PIE) and
 * update-ended (UIE) interrupts raise IRQ8. Alarm interrupts are not modelled. Register D
 * reports valid RAM and time (VRT).
 */
public final class CmosRtc implements IoDevice, Device {
    /** The RTC's interrupt output drives ISA IRQ 8. */
    public static final int IRQ = 8;
    private static final int[] LINES = {IRQ};
    public static final int REG_A = 0x0A, REG_B = 0x0B, REG_C = 0x0C, REG_D = 0x0D, CENTURY = 0x32;
    /** IBM PS/2's copy of the century, kept equal to 0x32 as QEMU does. */
    static final int PS2_CENTURY = 0x37;
    static final int B_SET = 0x80, B_PIE = 0x40, B_AIE = 0x20, B_UIE = 0x10, B_DM = 0x04, B_24H = 0x02;
    static final int C_IRQF = 0x80, C_PF = 0x40, C_UF = 0x10;
    private static final long NS_PER_S = 1_000_000_000L;
    private static final long UIP_NS = 244_000;

    private final Pit8254.Clock clock;
    private InterruptLine irq8 = InterruptLine.NONE;
    private MachineControl control = MachineControl.NONE;
    private final byte[] cmos = new byte[128];
    private final long baseEpochSeconds;
    /** Seconds added by guest writes to the time registers. */
    private long adjustSeconds;
    /** While SET is on: the frozen time the guest is editing. */
    private long frozenEpochSeconds;
    private int index;
    private boolean nmiMasked;
    // Interrupt bookkeeping (virtual ns of the last processed periodic tick and second).
    private long lastPeriodicNs, lastSecond;
    private Runnable reprogrammed = () -> { };

    public CmosRtc(Pit8254.Clock clock, long baseEpochSeconds) {
        this.clock = clock;
        this.baseEpochSeconds = baseEpochSeconds;
        powerOn();
    }

    private void powerOn() {
        cmos[REG_A] = 0x26;             // 32.768 kHz time base, 1024 Hz periodic rate
        cmos[REG_B] = B_24H;            // BCD, 24-hour
        cmos[REG_C] = 0;
        cmos[REG_D] = (byte) 0x80;      // VRT
    }

    @Override
    public void attach(Wiring w) {
        w.io().register(0x70, 2, this);
        irq8 = w.irq().apply(IRQ);
        control = w.control();
    }

    @Override
    public int[] irqLines() { return LINES; }

    /** Told when interrupt-related registers change, so the machine can move its next deadline. */
    public void onReprogram(Runnable r) {
        reprogrammed = r;
    }

    /**
     * Memory-size bytes as QEMU's pc_cmos_init writes them: base memory in KiB (0x15-0x16),
     * extended memory above 1 MiB in KiB capped at 65535 (0x17-0x18 and 0x30-0x31), memory
     * above 16 MiB in 64 KiB units (0x34-0x35), memory above 4 GiB in 64 KiB units (0x5B-0x5D).
     */
    public void setMemorySize(long below4g, long above4g) {
        long v = Math.min(below4g / 1024, 640);
        set16(0x15, v);
        v = below4g > (1 << 20) ? Math.min((below4g - (1 << 20)) / 1024, 65535) : 0;
        set16(0x17, v);
        set16(0x30, v);
        v = below4g > (16 << 20) ? Math.min((below4g - (16 << 20)) / 65536, 65535) : 0;
        set16(0x34, v);
        v = above4g / 65536;
        cmos[0x5B] = (byte) v;
        cmos[0x5C] = (byte) (v >> 8);
        cmos[0x5D] = (byte) (v >> 16);
    }

    /**
     * The configuration bytes QEMU's PC writes besides memory sizes (read back from QEMU 7.2
     * with no disks): floppy types 0x10 = 0x50, equipment byte 0x14 = 0x07 (FPU, display
     * adapter bits), boot order 0x38 = 0x30 and 0x3D = 0x12.
     */
    public void setPcConfiguration() {
        cmos[0x10] = 0x50;
        cmos[0x14] = 0x07;
        cmos[0x38] = 0x30;
        cmos[0x3D] = 0x12;
    }

    private void set16(int reg, long v) {
        cmos[reg] = (byte) v;
        cmos[reg + 1] = (byte) (v >> 8);
    }

    public boolean nmiMasked() { return nmiMasked; }

    public int cmosByte(int reg) { return cmos[reg & 0x7F] & 0xFF; }

    private long nowEpochSeconds() {
        if ((cmos[REG_B] & B_SET) != 0) return frozenEpochSeconds;
        return baseEpochSeconds + adjustSeconds + Math.floorDiv(clock.nowNs(), NS_PER_S);
    }

    @Override
    public int in(int port, int size) {
        if ((port & 1) == 0) return 0xFF;       // the index register is write-only
        return readRegister(index);
    }

    @Override
    public void out(int port, int size, int value) {
        if ((port & 1) == 0) {
            nmiMasked = (value & 0x80) != 0;
            index = value & 0x7F;
        } else {
            writeRegister(index, value & 0xFF);
        }
    }

    int readRegister(int reg) {
        if (reg <= 9 || reg == CENTURY || reg == PS2_CENTURY) return timeField(reg);
        switch (reg) {
            case REG_A: {
                int v = cmos[REG_A] & 0x7F;
                long ns = Math.floorMod(clock.nowNs(), NS_PER_S);
                if ((cmos[REG_B] & B_SET) == 0 && ns >= NS_PER_S - UIP_NS) v |= 0x80;
                return v;
            }
            case REG_C: {
                advance();
                int v = cmos[REG_C] & 0xFF;
                cmos[REG_C] = 0;
                irq8.set(false);
                reprogrammed.run();
                return v;
            }
            default:
                return cmos[reg] & 0xFF;
        }
    }

    void writeRegister(int reg, int value) {
        if (reg <= 9 || reg == CENTURY || reg == PS2_CENTURY) {
            if (reg == 1 || reg == 3 || reg == 5) { cmos[reg] = (byte) value; return; }  // alarms: stored only
            setTimeField(reg, value);
            return;
        }
        switch (reg) {
            case REG_A -> {
                cmos[REG_A] = (byte) (value & 0x7F);              // UIP is read-only
                reprogrammed.run();
            }
            case REG_B -> {
                boolean wasSet = (cmos[REG_B] & B_SET) != 0;
                boolean set = (value & B_SET) != 0;
                if (set && !wasSet) frozenEpochSeconds = nowEpochSeconds();
                if (!set && wasSet) {
                    adjustSeconds += frozenEpochSeconds - nowEpochSecondsUnfrozen();
                }
                if (set) value &= ~B_UIE;                // SET clears UIE (datasheet)
                cmos[REG_B] = (byte) value;
                lastPeriodicNs = clock.nowNs();
                reprogrammed.run();
            }
            case REG_C, REG_D -> { }                       // read-only
            default -> cmos[reg] = (byte) value;
        }
    }

    private long nowEpochSecondsUnfrozen() {
        return baseEpochSeconds + adjustSeconds + Math.floorDiv(clock.nowNs(), NS_PER_S);
    }

    private boolean binary() { return (cmos[REG_B] & B_DM) != 0; }

    private int encode(int v) {
        return binary() ? v : (v / 10) << 4 | v % 10;
    }

    private int decode(int v) {
        return binary() ? v : (v >> 4) * 10 + (v & 0x0F);
    }

    private int timeField(int reg) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(nowEpochSeconds(), 0, ZoneOffset.UTC);
        switch (reg) {
            case 0: return encode(t.getSecond());
            case 2: return encode(t.getMinute());
            case 4: {
                int h = t.getHour();
                if ((cmos[REG_B] & B_24H) != 0) return encode(h);
                int h12 = h % 12 == 0 ? 12 : h % 12;
                return encode(h12) | (h >= 12 ? 0x80 : 0);
            }
            case 6: return encode(t.getDayOfWeek().getValue() % 7 + 1);   // 1 = Sunday
            case 7: return encode(t.getDayOfMonth());
            case 8: return encode(t.getMonthValue());
            case 9: return encode(t.getYear() % 100);
            case CENTURY, PS2_CENTURY: return encode(t.getYear() / 100);
            default: return cmos[reg] & 0xFF;                             // alarm registers
        }
    }

    private void setTimeField(int reg, int value) {
        long now = nowEpochSeconds();
        LocalDateTime t = LocalDateTime.ofEpochSecond(now, 0, ZoneOffset.UTC);
        try {
            switch (reg) {
                case 0 -> t = t.withSecond(decode(value));
                case 2 -> t = t.withMinute(decode(value));
                case 4 -> {
                    int h;
                    if ((cmos[REG_B] & B_24H) != 0) h = decode(value);
                    else h = decode(value & 0x7F) % 12 + ((value & 0x80) != 0 ? 12 : 0);
                    t = t.withHour(h);
                }
                case 6 -> { return; }                 // the day of week follows from the date
                case 7 -> t = t.withDayOfMonth(decode(value));
                case 8 -> t = t.withMonth(decode(value));
                case 9 -> t = t.withYear(t.getYear() / 100 * 100 + decode(value));
                case CENTURY, PS2_CENTURY -> t = t.withYear(decode(value) * 100 + t.getYear() % 100);
                default -> { return; }
            }
        } catch (java.time.DateTimeException e) {
            // an impossible date is ignored
            control.guestError(String.format("RTC: register %02x = %02x makes an impossible date, ignored", reg, value));
            return;
        }
        long changed = t.toEpochSecond(ZoneOffset.UTC) - now;
        if ((cmos[REG_B] & B_SET) != 0) frozenEpochSeconds += changed;
        else adjustSeconds += changed;
    }

    /** Periodic interrupt period from register A's rate bits, in ns, or 0 when off. */
    private long periodicNs() {
        int rate = cmos[REG_A] & 0x0F;
        if (rate == 0) return 0;
        if (rate <= 2) rate += 7;                     // rates 1 and 2 alias 8 and 9
        return NS_PER_S * (1L << (rate - 1)) / 32768;
    }

    /** Raises the flags (and IRQ8 when enabled) for periodic ticks and seconds that passed. */
    @Override
    public void advance() {
        long now = clock.nowNs();
        long period = periodicNs();
        if (period > 0 && now - lastPeriodicNs >= period) {
            lastPeriodicNs += (now - lastPeriodicNs) / period * period;
            cmos[REG_C] |= C_PF;
        }
        long second = Math.floorDiv(now, NS_PER_S);
        if (second != lastSecond && (cmos[REG_B] & B_SET) == 0) {
            lastSecond = second;
            cmos[REG_C] |= C_UF;
        }
        int enabled = cmos[REG_C] & cmos[REG_B] & (C_PF | C_UF);
        if (enabled != 0 && (cmos[REG_C] & C_IRQF) == 0) {
            cmos[REG_C] |= (byte) C_IRQF;
            irq8.set(true);
        }
    }

    /** Next virtual time at which an enabled RTC interrupt fires, or -1. */
    @Override
    public long nextDeadlineNs() {
        long best = -1;
        if ((cmos[REG_C] & C_IRQF) != 0) return -1;   // nothing new until the guest reads C
        if ((cmos[REG_B] & B_PIE) != 0 && periodicNs() > 0) best = lastPeriodicNs + periodicNs();
        if ((cmos[REG_B] & B_UIE) != 0) {
            long next = (lastSecond + 1) * NS_PER_S;
            if (best < 0 || next < best) best = next;
        }
        return best;
    }

    @Override
    public void reset() {
        powerOn();
        irq8.set(false);
    }
}
