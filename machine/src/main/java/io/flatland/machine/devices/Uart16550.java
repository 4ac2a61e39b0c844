package io.flatland.machine.devices;

import io.flatland.cpu.IoBus;
import io.flatland.cpu.IoDevice;

import java.io.IOException;
import java.io.OutputStream;

/**
 * NS16550A UART (COM1 at 0x3F8, IRQ4 on the PC).
 *
 * <p>Transmission is instantaneous: a byte written to THR goes straight to the sink, so LSR
 * always shows THRE and TEMT and a THR-empty interrupt (if enabled in IER) is pending right
 * after each write, until IIR is read or THR written again (datasheet's reset conditions).
 * Received bytes come from a {@link SerialInput} that a host thread fills; the machine
 * calls {@link #pollInput()} from its service routine, so the port handlers never block.
 * In loopback (MCR bit 4) transmitted bytes are received and the modem inputs mirror the
 * modem outputs (CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2). As in QEMU, the interrupt line does
 * not depend on OUT2.
 */
public final class Uart16550 implements IoDevice {
    // LSR bits
    static final int LSR_DR = 0x01, LSR_OE = 0x02, LSR_BI = 0x10, LSR_THRE = 0x20, LSR_TEMT = 0x40;
    // IER bits
    static final int IER_RDI = 0x01, IER_THRI = 0x02, IER_RLSI = 0x04, IER_MSI = 0x08;
    // IIR interrupt identifications
    static final int IIR_NO_INT = 0x01, IIR_MSI = 0x00, IIR_THRI = 0x02, IIR_RDI = 0x04, IIR_RLSI = 0x06;

    private static final int FIFO_SIZE = 16;

    private InterruptLine irq;
    private final OutputStream sink;
    private final SerialInput input;

    int ier, iir = IIR_NO_INT, lcr, mcr, lsr = LSR_THRE | LSR_TEMT, msr = 0xB0, scr;
    int divisor = 12;  // 9600 baud after reset, as a BIOS would leave it
    boolean fifoEnabled;
    private boolean thrInterruptPending;
    // Receive FIFO (one byte deep when FIFOs are disabled).
    private final byte[] rx = new byte[FIFO_SIZE];
    private int rxHead, rxCount;
    private long transmitted;
    /** Bytes handed to the sink since it was last flushed. */
    private long unflushed;

    /**
     * @param sink  where transmitted bytes go, or null to drop them
     * @param input source of received bytes, or null when nothing can arrive
     */
    public Uart16550(InterruptLine irq, OutputStream sink, SerialInput input) {
        this.irq = irq;
        this.sink = sink;
        this.input = input;
    }

    public void attach(IoBus io, int base) {
        io.register(base, 8, this);
    }

    /** Attaches at {@code base} with its interrupt output on {@code irq} (the line of the COM port it serves). */
    public void attach(IoBus io, int base, InterruptLine irq) {
        this.irq = irq;
        attach(io, base);
    }

    private boolean dlab() { return (lcr & 0x80) != 0; }
    private boolean loopback() { return (mcr & 0x10) != 0; }

    @Override
    public int in(int port, int size) {
        switch (port & 7) {
            case 0:
                if (dlab()) return divisor & 0xFF;
                return readRbr();
            case 1:
                if (dlab()) return divisor >> 8 & 0xFF;
                return ier;
            case 2: {
                int v = iir;
                // Reading IIR while it reports THR empty clears that interrupt.
                if ((v & 0x0F) == IIR_THRI) {
                    thrInterruptPending = false;
                    updateIrq();
                }
                return v;
            }
            case 3: return lcr;
            case 4: return mcr;
            case 5: {
                int v = lsr;
                lsr &= ~(LSR_OE | LSR_BI);  // error bits clear on read
                if ((v & (LSR_OE | LSR_BI)) != 0) updateIrq();
                return v;
            }
            case 6: {
                int v;
                if (loopback()) {
                    v = (mcr & 0x02) << 3 | (mcr & 0x01) << 5 | (mcr & 0x04) << 4 | (mcr & 0x08) << 4;
                    v |= msr & 0x0F;
                } else {
                    v = msr;
                }
                msr &= 0xF0;                 // delta bits clear on read
                updateIrq();
                return v;
            }
            default: return scr;
        }
    }

    @Override
    public void out(int port, int size, int value) {
        value &= 0xFF;
        switch (port & 7) {
            case 0:
                if (dlab()) { divisor = divisor & 0xFF00 | value; return; }
                transmit(value);
                return;
            case 1:
                if (dlab()) { divisor = divisor & 0x00FF | value << 8; return; }
                int changed = (ier ^ value) & 0x0F;
                ier = value & 0x0F;
                if ((changed & IER_THRI) != 0) {
                    // Enabling the THRE interrupt while THR is empty makes it pending at once.
                    thrInterruptPending = (ier & IER_THRI) != 0 && (lsr & LSR_THRE) != 0;
                }
                if (changed != 0) updateIrq();
                return;
            case 2:
                fcr(value);
                return;
            case 3: lcr = value; return;
            case 4: {
                int old = mcr;
                mcr = value & 0x1F;
                if (((old ^ mcr) & 0x10) != 0) updateIrq();
                return;
            }
            case 5: return;                    // LSR is read-only (factory test only)
            case 6: return;                    // MSR is read-only
            default: scr = value;
        }
    }

    private void fcr(int value) {
        boolean enable = (value & 0x01) != 0;
        if (enable != fifoEnabled) {
            rxHead = rxCount = 0;               // changing the FIFO mode resets the FIFOs
        }
        fifoEnabled = enable;
        if ((value & 0x02) != 0) {
            rxHead = rxCount = 0;
            lsr &= ~LSR_DR;
        }
        iir = (iir & 0x0F) | (fifoEnabled ? 0xC0 : 0);
        updateIrq();
    }

    private void transmit(int value) {
        transmitted++;
        if (loopback()) {
            receive(value);
        } else if (sink != null) {
            try {
                sink.write(value);
                unflushed++;
                if (value == '\n') flush();
            } catch (IOException e) {
                // A closed sink loses output the way a disconnected cable would.
            }
        }
        lsr |= LSR_THRE | LSR_TEMT;
        thrInterruptPending = (ier & IER_THRI) != 0;
        updateIrq();
    }

    private int readRbr() {
        if (rxCount == 0) return 0;
        int v = rx[rxHead] & 0xFF;
        rxHead = (rxHead + 1) % FIFO_SIZE;
        rxCount--;
        if (rxCount == 0) lsr &= ~LSR_DR;
        updateIrq();
        return v;
    }

    private void receive(int value) {
        int capacity = fifoEnabled ? FIFO_SIZE : 1;
        if (rxCount >= capacity) {
            lsr |= LSR_OE;
            if (!fifoEnabled) rx[rxHead] = (byte) value;   // the holding register is overwritten
        } else {
            rx[(rxHead + rxCount) % FIFO_SIZE] = (byte) value;
            rxCount++;
        }
        lsr |= LSR_DR;
        updateIrq();
    }

    /** Moves bytes that arrived from the host into the receiver while there is room. */
    public void pollInput() {
        if (input == null || loopback()) return;
        int capacity = fifoEnabled ? FIFO_SIZE : 1;
        boolean moved = false;
        while (rxCount < capacity) {
            int b = input.poll();
            if (b < 0) break;
            rx[(rxHead + rxCount) % FIFO_SIZE] = (byte) b;
            rxCount++;
            lsr |= LSR_DR;
            moved = true;
        }
        if (moved) updateIrq();
    }

    /** True if a byte might still arrive (the machine may then wait in HLT for it). */
    public boolean inputPossible() {
        return input != null && input.open();
    }

    public boolean inputAvailable() {
        return input != null && input.available();
    }

    private void updateIrq() {
        int id;
        if ((ier & IER_RLSI) != 0 && (lsr & (LSR_OE | LSR_BI)) != 0) id = IIR_RLSI;
        else if ((ier & IER_RDI) != 0 && (lsr & LSR_DR) != 0) id = IIR_RDI;
        else if ((ier & IER_THRI) != 0 && thrInterruptPending) id = IIR_THRI;
        else if ((ier & IER_MSI) != 0 && (msr & 0x0F) != 0) id = IIR_MSI;
        else id = IIR_NO_INT;
        iir = id | (iir & 0xF0);
        irq.set(id != IIR_NO_INT);
    }

    /**
     * Pushes buffered output to its destination. The UART does that at every newline; the
     * machine does it when the transmitter has gone quiet ({@link SerialPorts#serviceOutput}),
     * when the CPU halts and when the run ends.
     */
    public void flush() {
        if (sink == null) return;
        unflushed = 0;
        try {
            sink.flush();
        } catch (IOException e) {
            // nothing to do: the output is gone
        }
    }

    public long transmitted() { return transmitted; }

    /** True if bytes were written since the last flush (they may sit in the sink's buffer). */
    public boolean outputPending() { return unflushed != 0; }

    public void reset() {
        ier = lcr = mcr = scr = 0;
        iir = IIR_NO_INT;
        lsr = LSR_THRE | LSR_TEMT;
        msr = 0xB0;
        divisor = 12;
        fifoEnabled = false;
        thrInterruptPending = false;
        rxHead = rxCount = 0;
        irq.set(false);
    }
}
