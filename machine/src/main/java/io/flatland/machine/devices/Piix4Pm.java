package io.flatland.machine.devices;

import io.flatland.cpu.ExitReason;
import io.flatland.cpu.IoDevice;

/**
 * The ACPI registers of QEMU's PIIX4 power-management function (00:01.3) where SeaBIOS puts
 * them on pc and the FADT points: PM1a event block 0x600 (status 0x600, enable 0x602), PM1a
 * control 0x604, the PM timer 0x608, the GPE0 block 0xAFE0, and the APM control/status ports
 * 0xB2/0xB3 that the FADT names as SMI_CMD (writing ACPI_ENABLE 0xF1 there sets SCI_EN,
 * ACPI_DISABLE 0xF0 clears it, as QEMU's piix4 does instead of a real SMI).
 *
 * <p>Writing SLP_EN with SLP_TYP 0 (the DSDT's \_S5) or 2 (QEMU's S4 value, also a
 * shutdown there) powers the machine off: the run ends like QEMU's, with status 0. SLP_TYP 1
 * (S3) is QEMU's suspend, which Flatland does not have: the write is ignored with a
 * guest_errors line.
 *
 * <p>The PM timer is the 24-bit counter at 3.579545 MHz of the ACPI spec, computed from the
 * virtual clock (the PIT's), so that it is exact under --icount. TMR_STS follows QEMU: set
 * once the counter's bit 23 has toggled since the last time the guest cleared it (set at
 * power-on). No SCI is raised (no enable bit has an effect beyond reading back).
 */
public final class Piix4Pm implements IoDevice, Device {
    public static final int PM_BASE = 0x600, PM_SIZE = 0x40, GPE0 = 0xAFE0, APM_CNT = 0xB2, APM_STS = 0xB3;
    public static final int ACPI_ENABLE = 0xF1, ACPI_DISABLE = 0xF0;
    public static final long TIMER_HZ = 3_579_545;
    static final int TMR_STS = 1, SCI_EN = 1, SLP_EN = 1 << 13;
    /** PM1_STS bits QEMU keeps (timer, bus master, power button, sleep button, RTC, wake). */
    private static final int STS_BITS = 0x8D31;

    private final Pit8254.Clock clock;
    private MachineControl control = MachineControl.NONE;
    private int sts, en, cnt, gpeSts, gpeEn, apmCommand, apmStatus;
    /** PM timer ticks at which TMR_STS is set next (QEMU's overflow_time; 0 after reset). */
    private long overflowAt;
    private boolean poweredOff;

    public Piix4Pm(Pit8254.Clock clock) {
        this.clock = clock;
    }

    @Override
    public void attach(Wiring w) {
        w.io().register(PM_BASE, PM_SIZE, this);
        w.io().register(GPE0, 4, this);
        w.io().register(APM_CNT, 2, this);
        control = w.control();
    }

    @Override
    public void reset() {
        sts = en = cnt = gpeSts = gpeEn = apmCommand = apmStatus = 0;
        overflowAt = 0;
        poweredOff = false;
    }

    /** Whether the guest asked for S5 (soft off) since power-on: the run ends with status 0. */
    public boolean poweredOff() { return poweredOff; }

    /** The PM timer's full count: virtual ns scaled to 3.579545 MHz without overflowing a long. */
    long ticks() {
        long ns = clock.nowNs();
        return ns / 1_000_000_000L * TIMER_HZ + ns % 1_000_000_000L * TIMER_HZ / 1_000_000_000L;
    }

    @Override
    public int in(int port, int size) {
        int v;
        if (port >= PM_BASE + 8 && port < PM_BASE + 12) {
            v = (int) (ticks() & 0xFFFFFF) >>> (8 * (port - PM_BASE - 8));
        } else {
            // Word registers: a byte read of the odd port is the high byte, a dword read spans two.
            v = read(port & ~1);
            if (size == 4) v |= read((port & ~1) + 2) << 16;
            else if ((port & 1) != 0) v >>>= 8;
        }
        return size == 4 ? v : v & ((1 << (8 * size)) - 1);
    }

    private int read(int port) {
        return switch (port) {
            case PM_BASE -> {
                if (ticks() >= overflowAt) sts |= TMR_STS;
                yield sts;
            }
            case PM_BASE + 2 -> en;
            case PM_BASE + 4 -> cnt;
            case GPE0 -> gpeSts;
            case GPE0 + 2 -> gpeEn;
            case APM_CNT -> apmCommand | apmStatus << 8;
            default -> 0;
        };
    }

    @Override
    public void out(int port, int size, int value) {
        if (size == 4) {
            out(port, 2, value & 0xFFFF);
            out(port + 2, 2, value >>> 16);
            return;
        }
        if (port == APM_STS) {
            apmStatus = value & 0xFF;
            return;
        }
        if (size == 1) {
            // A byte of a word register: the other byte keeps its value (write-1-to-clear status: writes 0 there).
            int even = port & ~1;
            boolean w1c = even == PM_BASE || even == GPE0;
            int other = w1c ? 0 : read(even);
            value = (port & 1) != 0 ? (other & 0xFF) | (value & 0xFF) << 8 : (other & 0xFF00) | (value & 0xFF);
            port = even;
        }
        switch (port) {
            case PM_BASE -> {
                // Write 1 to clear; clearing TMR_STS arms it for the next toggle of bit 23.
                if ((value & TMR_STS) != 0) overflowAt = (ticks() + 0x800000L) & ~0x7FFFFFL;
                sts &= ~(value & STS_BITS);
            }
            case PM_BASE + 2 -> en = value & 0xFFFF;
            case PM_BASE + 4 -> control(value & 0xFFFF);
            case GPE0 -> gpeSts &= ~value;
            case GPE0 + 2 -> gpeEn = value & 0xFFFF;
            case APM_CNT -> {
                apmCommand = value & 0xFF;
                if ((value & 0xFF) == ACPI_ENABLE) cnt |= SCI_EN;
                else if ((value & 0xFF) == ACPI_DISABLE) cnt &= ~SCI_EN;
                if (size == 2) apmStatus = (value >>> 8) & 0xFF;
            }
            default -> { }
        }
    }

    private void control(int value) {
        cnt = value & ~SLP_EN;
        if ((value & SLP_EN) == 0) return;
        int type = (value >> 10) & 7;
        if (type == 0 || type == 2) {
            poweredOff = true;
            control.requestExit(ExitReason.DEVICE_EXIT);
        } else {
            control.guestError(String.format("PIIX4 PM: sleep type %d (suspend) is not supported, PM1_CNT write %04x ignored",
                    type, value));
        }
    }
}
