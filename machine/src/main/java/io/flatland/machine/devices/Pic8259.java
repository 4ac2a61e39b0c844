package io.flatland.machine.devices;

/**
 * One Intel 8259A programmable interrupt controller, edge-triggered (the PC/AT wiring).
 *
 * <p>Registers and commands follow the 8259A datasheet: ICW1 (A0=0, D4=1) starts the
 * initialisation sequence and clears IMR/ISR/IRR; ICW2 gives the vector base (bits 7-3);
 * ICW3 follows unless ICW1 said "single"; ICW4 follows if ICW1 bit 0 asked for it
 * (bit 1 = automatic EOI, bit 4 = special fully nested). After that, A0=1 writes are OCW1
 * (the mask); A0=0 writes are OCW2 (D4:D3 = 00: EOI/rotation commands) or OCW3 (D4:D3 = 01:
 * read-register select, poll, special mask).
 *
 * <p>Priorities rotate: {@code priorityAdd} is the IRQ number that currently has the
 * highest priority (0 after initialisation, so IRQ0 is highest and IRQ7 lowest).
 */
public final class Pic8259 {
    private final boolean master;
    private final Runnable onChange;

    int irr, isr, imr;
    /** Last level seen on each input, for edge detection. */
    int lastLevel;
    int priorityAdd;
    int vectorBase;
    private int initStep;          // 0: operational; 1..3: expecting ICW2..ICW4
    private boolean icw4Needed, single;
    boolean autoEoi, rotateOnAutoEoi, specialFullyNested, specialMask;
    private boolean readIsr, poll;

    /** Number of INTA cycles per input line, for --stats. */
    final long[] acknowledged = new long[8];

    /**
     * @param master   true for the master (it resolves cascade requests on IRQ2)
     * @param onChange called whenever this chip's INT output may have changed
     */
    public Pic8259(boolean master, Runnable onChange) {
        this.master = master;
        this.onChange = onChange;
    }

    /** Drives input line {@code irq} (0-7): a low-to-high transition latches a request in IRR. */
    public void setInput(int irq, boolean level) {
        int mask = 1 << irq;
        if (level) {
            if ((lastLevel & mask) == 0) {
                irr |= mask;
                lastLevel |= mask;
                onChange.run();
            }
        } else if ((lastLevel & mask) != 0) {
            lastLevel &= ~mask;
            // Edge-triggered: a request already latched in IRR stays until acknowledged.
        }
    }

    /** Priority index (0 = highest) of the highest bit set in {@code mask}, or 8 if none. */
    private int priority(int mask) {
        if (mask == 0) return 8;
        int p = 0;
        while ((mask & (1 << ((p + priorityAdd) & 7))) == 0) p++;
        return p;
    }

    /** The IRQ (0-7) this chip would present on INTA now, or -1. */
    public int pendingIrq() {
        int p = priority(irr & ~imr);
        if (p == 8) return -1;
        // In special mask mode, masked in-service levels do not block lower priorities.
        int inService = specialMask ? isr & ~imr : isr;
        // Special fully nested mode: the master lets a slave's further requests through
        // while the cascade input is in service.
        if (master && specialFullyNested) inService &= ~(1 << 2);
        int current = priority(inService);
        return p < current ? (p + priorityAdd) & 7 : -1;
    }

    /** INT output: some unmasked request outranks everything in service. */
    public boolean intAsserted() { return pendingIrq() >= 0; }

    /** INTA for {@code irq}: moves the request from IRR to ISR (unless automatic EOI). */
    void acknowledge(int irq) {
        int mask = 1 << irq;
        acknowledged[irq]++;
        if (autoEoi) {
            if (rotateOnAutoEoi) priorityAdd = (irq + 1) & 7;
        } else {
            isr |= mask;
        }
        irr &= ~mask;
        onChange.run();
    }

    public int read(int a0) {
        if (poll) {
            // Poll command (OCW3 P=1): the next read acknowledges and returns 0x80|level.
            poll = false;
            int irq = pendingIrq();
            if (irq < 0) return 0;
            acknowledge(irq);
            return 0x80 | irq;
        }
        if (a0 == 0) return readIsr ? isr : irr;
        return imr;
    }

    public void write(int a0, int value) {
        value &= 0xFF;
        if (a0 == 0) {
            if ((value & 0x10) != 0) {
                icw1(value);
            } else if ((value & 0x08) != 0) {
                ocw3(value);
            } else {
                ocw2(value);
            }
            return;
        }
        switch (initStep) {
            case 0 -> {                                  // OCW1
                imr = value;
                onChange.run();
            }
            case 1 -> {                                  // ICW2
                vectorBase = value & 0xF8;
                initStep = single ? (icw4Needed ? 3 : 0) : 2;
            }
            case 2 -> initStep = icw4Needed ? 3 : 0;      // ICW3: the PC's cascade wiring is fixed
            default -> {                                 // ICW4
                specialFullyNested = (value & 0x10) != 0;
                autoEoi = (value & 0x02) != 0;
                initStep = 0;
            }
        }
    }

    private void icw1(int value) {
        irr = isr = imr = 0;
        lastLevel = 0;
        priorityAdd = 0;
        readIsr = poll = specialMask = false;
        autoEoi = rotateOnAutoEoi = specialFullyNested = false;
        icw4Needed = (value & 0x01) != 0;
        single = (value & 0x02) != 0;
        initStep = 1;
        onChange.run();
    }

    private void ocw2(int value) {
        int irq;
        switch (value >> 5) {
            case 0, 4 -> rotateOnAutoEoi = (value >> 7) != 0;      // (clear/set) rotate in auto-EOI mode
            case 1, 5 -> {                                          // non-specific EOI (5: and rotate)
                int p = priority(isr);
                if (p != 8) {
                    irq = (p + priorityAdd) & 7;
                    isr &= ~(1 << irq);
                    if (value >> 5 == 5) priorityAdd = (irq + 1) & 7;
                }
            }
            case 3 -> isr &= ~(1 << (value & 7));                  // specific EOI
            case 6 -> priorityAdd = ((value & 7) + 1) & 7;          // set priority: L2-L0 becomes lowest
            case 7 -> {                                             // rotate on specific EOI
                irq = value & 7;
                isr &= ~(1 << irq);
                priorityAdd = (irq + 1) & 7;
            }
            default -> { }                                          // 2: no operation
        }
        onChange.run();
    }

    private void ocw3(int value) {
        if ((value & 0x04) != 0) poll = true;
        if ((value & 0x02) != 0) readIsr = (value & 0x01) != 0;
        if ((value & 0x40) != 0) specialMask = (value & 0x20) != 0;
        onChange.run();
    }

    public int vectorBase() { return vectorBase; }
    public int imr() { return imr; }
    public int irr() { return irr; }
    public int isr() { return isr; }

    /** Power-on state: as after an ICW1 with nothing programmed. */
    public void reset() {
        irr = isr = imr = lastLevel = priorityAdd = vectorBase = 0;
        initStep = 0;
        icw4Needed = single = autoEoi = rotateOnAutoEoi = specialFullyNested = specialMask = false;
        readIsr = poll = false;
    }
}
