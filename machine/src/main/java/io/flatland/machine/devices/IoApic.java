package io.flatland.machine.devices;

import io.flatland.mmu.MmioBus;

/**
 * The I/O APIC at 0xFEC00000 (82093AA; QEMU's ioapic, version 0x20, 24 pins): IOREGSEL at
 * offset 0, IOWIN at 0x10, the EOI register at 0x40. Each pin has a redirection entry
 * (vector, delivery mode, destination, polarity, trigger mode, mask); an edge on an unmasked
 * edge-triggered pin, or a level on a level-triggered pin whose remote IRR is clear, sends the
 * entry's message to the local APIC. The local APIC's EOI of a level-triggered vector clears
 * remote IRR ({@link #endOfInterrupt}) and a line still high is delivered again.
 *
 * <p>ISA interrupt lines reach the pins as QEMU wires them: line N to pin N, except line 0 (the
 * PIT) to pin 2, which the MADT's interrupt source override tells the guest.
 */
public final class IoApic implements Device, MmioBus.Region {
    public static final long BASE = 0xFEC0_0000L;
    public static final int PINS = 24;
    static final int VERSION = 0x20;
    static final long MASKED = 1L << 16, LEVEL = 1L << 15, REMOTE_IRR = 1L << 14, PENDING = 1L << 12;
    /** Bits of an entry the guest can write: all but delivery status and remote IRR. */
    static final long WRITABLE = 0xFF00_0000_0001_AFFFL;

    private final LocalApic lapic;
    private final long[] entry = new long[PINS];
    private int select;
    private int id;
    /** Input levels (bit per pin) and requests waiting for service. */
    private int levels, irr;
    private long delivered;

    public IoApic(LocalApic lapic) {
        this.lapic = lapic;
        lapic.onLevelEoi(this::endOfInterrupt);
        reset();
    }

    @Override
    public void attach(Wiring wiring) { }

    @Override
    public void reset() {
        java.util.Arrays.fill(entry, MASKED);
        select = 0;
        id = 0;
        irr = 0;
        // The input levels are the devices' and survive a reset of the I/O APIC.
    }

    /** The pin ISA line {@code line} drives (QEMU: line 0, the PIT, is pin 2). */
    public static int pinOf(int line) { return line == 0 ? 2 : line; }

    /** An ISA line changed level (devices drive the 8259 and the I/O APIC alike). */
    public void setIsaLine(int line, boolean level) {
        setPin(pinOf(line), level);
    }

    public void setPin(int pin, boolean level) {
        int bit = 1 << pin;
        boolean was = (levels & bit) != 0;
        if (level) levels |= bit; else levels &= ~bit;
        long e = entry[pin];
        if ((e & LEVEL) != 0) {
            if (level) {
                irr |= bit;
                service();
            } else {
                irr &= ~bit;
            }
        } else if (level && !was && (e & MASKED) == 0) {
            // Edge-triggered: a rising edge on an unmasked pin (edges on masked pins are lost, as the 82093AA documents).
            irr |= bit;
            service();
        }
    }

    /** Sends the message of every pin with a request that can go now. */
    private void service() {
        for (int pin = 0; pin < PINS; pin++) {
            int bit = 1 << pin;
            if ((irr & bit) == 0) continue;
            long e = entry[pin];
            if ((e & MASKED) != 0) continue;
            boolean level = (e & LEVEL) != 0;
            if (level) {
                if ((e & REMOTE_IRR) != 0) continue;
                entry[pin] = e | REMOTE_IRR;
            } else {
                irr &= ~bit;
            }
            delivered++;
            int mode = (int) (e >>> 8) & 7;
            // One CPU: every destination that names any CPU names it (physical ID 0, or a logical set).
            lapic.accept(mode, (int) e & 0xFF, level);
        }
    }

    /** The local APIC retired level-triggered {@code vector}: pins with that vector may fire again. */
    void endOfInterrupt(int vector) {
        boolean any = false;
        for (int pin = 0; pin < PINS; pin++) {
            long e = entry[pin];
            if ((e & 0xFF) == vector && (e & REMOTE_IRR) != 0) {
                entry[pin] = e & ~REMOTE_IRR;
                any = true;
            }
        }
        if (any) service();
    }

    /** Whether an interrupt on ISA {@code line} could still reach the CPU through this I/O APIC. */
    public boolean lineCanRaise(int line) {
        int pin = pinOf(line);
        long e = entry[pin];
        return (e & MASKED) == 0 && (e & REMOTE_IRR) == 0 && (irr & (1 << pin)) == 0;
    }

    @Override
    public int read(int pa, int size) {
        int off = (int) (pa & 0xFF);
        if (off == 0) return select;
        if (off != 0x10) return 0;
        return register(select);
    }

    private int register(int index) {
        if (index == 0) return id << 24;
        if (index == 1) return VERSION | (PINS - 1) << 16;
        if (index == 2) return id << 24;       // arbitration ID
        if (index >= 0x10 && index < 0x10 + 2 * PINS) {
            long e = entry[(index - 0x10) >> 1];
            return (index & 1) == 0 ? (int) e : (int) (e >>> 32);
        }
        return -1;
    }

    @Override
    public void write(int pa, int size, int value) {
        int off = (int) (pa & 0xFF);
        if (off == 0) {
            select = value & 0xFF;
        } else if (off == 0x10) {
            writeRegister(select, value);
        } else if (off == 0x40) {
            endOfInterrupt(value & 0xFF);      // the EOI register of version 0x20
        }
    }

    private void writeRegister(int index, int value) {
        if (index == 0) {
            id = (value >>> 24) & 0xF;
        } else if (index >= 0x10 && index < 0x10 + 2 * PINS) {
            int pin = (index - 0x10) >> 1;
            long e = entry[pin];
            long v = (index & 1) == 0
                    ? (e & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL)
                    : (e & 0xFFFF_FFFFL) | ((long) value << 32);
            entry[pin] = (v & WRITABLE) | (e & REMOTE_IRR);
            if ((entry[pin] & LEVEL) == 0) entry[pin] &= ~REMOTE_IRR;
            // A level still high on a pin just unmasked (or made level-triggered) is a request.
            if ((entry[pin] & LEVEL) != 0 && (levels & (1 << pin)) != 0) irr |= 1 << pin;
            service();
        }
    }

    /** Messages sent to the local APIC so far (--stats). */
    public long delivered() { return delivered; }
}
