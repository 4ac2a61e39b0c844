package io.flatland.machine.devices;

import io.flatland.cpu.IoDevice;

/**
 * The PC/AT pair of 8259As: the master at 0x20/0x21, the slave at 0xA0/0xA1 with its INT
 * output wired to the master's IRQ2. ISA lines 0-7 go to the master, 8-15 to the slave.
 * The INTR line the CPU samples is kept in a field so that checking it is one read.
 */
public final class DualPic implements IoDevice, Device {
    public final Pic8259 master;
    public final Pic8259 slave;
    private boolean intr;
    private long spurious;
    /** Brings the timers up to now before the guest reads a register (see {@link #beforeRead}). */
    private Runnable beforeRead = () -> { };

    public DualPic() {
        master = new Pic8259(true, this::update);
        slave = new Pic8259(false, this::update);
    }

    /**
     * Called before every guest read of the PICs: the machine delivers the timer edges that
     * have happened by now, so IRR (and the poll command) show them even when the periodic
     * service has not run yet, as on hardware where the edge latches when it happens.
     */
    public void beforeRead(Runnable r) {
        beforeRead = r;
    }

    /** The PICs receive the lines; they drive only INTR, which the CPU samples through the platform. */
    @Override
    public void attach(Wiring w) {
        w.io().register(0x20, 2, this);
        w.io().register(0xA0, 2, this);
    }

    private void update() {
        // The slave's INT output is the level on the master's IRQ2 input.
        if (slave != null) master.setInput(2, slave.intAsserted());
        intr = master.intAsserted();
    }

    /** Drives ISA IRQ line 0-15. */
    public void setIrq(int line, boolean level) {
        if (line < 8) master.setInput(line, level); else slave.setInput(line - 8, level);
    }

    /** An edge-triggered pulse on a line (a device that only signals events, like the PIT's OUT edge). */
    public void pulse(int line) {
        setIrq(line, true);
        setIrq(line, false);
    }

    public InterruptLine line(int line) {
        return level -> setIrq(line, level);
    }

    /** INTR as seen by the CPU. */
    public boolean intr() { return intr; }

    /**
     * The two INTA cycles: returns the vector of the highest-priority request. When the
     * request that raised INTR has gone away, the 8259A answers with IRQ7 of the chip
     * concerned (a spurious interrupt) and sets no ISR bit.
     */
    public int acknowledge() {
        int irq = master.pendingIrq();
        int vector;
        if (irq < 0) {
            spurious++;
            return master.vectorBase() + 7;
        }
        if (irq == 2) {
            int irq2 = slave.pendingIrq();
            if (irq2 >= 0) {
                slave.acknowledge(irq2);
                vector = slave.vectorBase() + irq2;
            } else {
                spurious++;
                vector = slave.vectorBase() + 7;
            }
        } else {
            vector = master.vectorBase() + irq;
        }
        master.acknowledge(irq);
        return vector;
    }

    /**
     * Acknowledged interrupts per ISA line 0-15. Every slave interrupt also passes through the
     * master's IRQ2, so line 2 counts only the cascade cycles that found no slave request
     * (spurious IRQ15s).
     */
    public long[] acknowledgedByLine() {
        long[] r = new long[16];
        for (int i = 0; i < 8; i++) {
            r[i] = master.acknowledged[i];
            r[8 + i] = slave.acknowledged[i];
        }
        r[2] -= sum(slave.acknowledged);
        if (r[2] < 0) r[2] = 0;
        return r;
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) s += v;
        return s;
    }

    public long spurious() { return spurious; }

    @Override
    public int in(int port, int size) {
        beforeRead.run();
        Pic8259 pic = (port & 0x80) != 0 ? slave : master;
        return pic.read(port & 1);
    }

    @Override
    public void out(int port, int size, int value) {
        Pic8259 pic = (port & 0x80) != 0 ? slave : master;
        pic.write(port & 1, value);
    }

    @Override
    public void reset() {
        master.reset();
        slave.reset();
        intr = false;
    }
}
