package io.flatland.machine.devices;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The PC's four ISA serial ports, numbered as QEMU numbers its {@code -serial} options:
 * COM1 0x3F8/IRQ4, COM2 0x2F8/IRQ3, COM3 0x3E8/IRQ4, COM4 0x2E8/IRQ3. A port that is not
 * configured has no UART at all (nothing answers at its addresses, reads give 0xFF), as with
 * QEMU's {@code -serial none}. Owns the host input threads of its ports.
 */
public final class SerialPorts implements Device {
    public static final int COUNT = 4;
    public static final int[] BASES = {0x3F8, 0x2F8, 0x3E8, 0x2E8};
    public static final int[] IRQS = {4, 3, 4, 3};

    /** One configured port: where its output goes (null: dropped) and where its input comes from (null: none). */
    public record Port(OutputStream out, InputStream in) { }

    private final List<Uart16550> uarts = new ArrayList<>();
    private final List<Integer> irqs = new ArrayList<>();
    /** The distinct IRQ lines of the ports that exist. */
    private final int[] lines;
    private final List<SerialInput> inputs = new ArrayList<>();
    private final int[] presentBases;

    /**
     * Output is flushed when the transmitter has been quiet this long (host time), so that a
     * prompt without a newline appears while the guest polls for input; and at the latest
     * after {@link #maxPendingNs}, for a guest that prints steadily without newlines.
     * {@code -Dflatland.serial.idleFlushMs=N} changes it (tests).
     */
    private final long idleNs = Long.getLong("flatland.serial.idleFlushMs", 3) * 1_000_000L;
    private final long maxPendingNs = Math.max(50_000_000L, 10 * idleNs);
    /** Per port: transmitted count when last looked at, host time it last changed, host time output became pending. */
    private long[] seenTransmitted, lastChangeNs, pendingSinceNs;

    /**
     * @param ports  COM1..COM4, null for an absent port (shorter lists leave the rest absent)
     * @param waiter the thread to wake when input arrives (the CPU's, sleeping in HLT)
     */
    public SerialPorts(List<Port> ports, Thread waiter) {
        List<Integer> bases = new ArrayList<>();
        for (int i = 0; i < Math.min(COUNT, ports.size()); i++) {
            Port p = ports.get(i);
            if (p == null) continue;
            SerialInput in = p.in() == null ? null : SerialInput.start(p.in());
            if (in != null) {
                in.setWaiter(waiter);
                inputs.add(in);
            }
            uarts.add(new Uart16550(InterruptLine.NONE, p.out(), in));   // wired at attach
            irqs.add(IRQS[i]);
            bases.add(BASES[i]);
        }
        presentBases = bases.stream().mapToInt(Integer::intValue).toArray();
        lines = irqs.stream().mapToInt(Integer::intValue).distinct().toArray();
        seenTransmitted = new long[uarts.size()];
        lastChangeNs = new long[uarts.size()];
        pendingSinceNs = new long[uarts.size()];
    }

    /** True if some port holds output that has not been flushed (the machine then comes back soon). */
    public boolean outputPending() {
        for (Uart16550 u : uarts) if (u.outputPending()) return true;
        return false;
    }

    /**
     * Called from the machine's periodic service: flushes a port whose output has been
     * pending while nothing more was transmitted for {@link #idleNs}, or pending too long.
     * Costs one clock read per call, and only while output is pending.
     */
    public void serviceOutput() {
        long now = 0;
        for (int i = 0; i < uarts.size(); i++) {
            Uart16550 u = uarts.get(i);
            if (!u.outputPending()) {
                pendingSinceNs[i] = 0;
                continue;
            }
            if (now == 0) now = System.nanoTime();
            long t = u.transmitted();
            if (pendingSinceNs[i] == 0) pendingSinceNs[i] = now;
            if (t != seenTransmitted[i]) {
                seenTransmitted[i] = t;
                lastChangeNs[i] = now;
            } else if (now - lastChangeNs[i] >= idleNs || now - pendingSinceNs[i] >= maxPendingNs) {
                u.flush();
                pendingSinceNs[i] = 0;
            }
        }
    }

    @Override
    public void attach(Wiring w) {
        for (int i = 0; i < uarts.size(); i++) uarts.get(i).attach(w.io(), presentBases[i], w.irq().apply(irqs.get(i)));
    }

    @Override
    public int[] irqLines() { return lines; }

    /** A byte may still arrive on a port whose line can reach the CPU (the ports keep no timers). */
    @Override
    public boolean canWake(IntPredicate lineCanRaise) {
        return inputCanWake(lineCanRaise);
    }

    /** I/O bases of the ports that exist, in COM order (what the firmware lists at 0x400). */
    public int[] presentBases() { return presentBases.clone(); }

    public List<Uart16550> uarts() { return uarts; }

    public void pollInput() {
        for (Uart16550 u : uarts) u.pollInput();
    }

    /** True if a byte might still arrive on some port. */
    public boolean inputPossible() {
        for (Uart16550 u : uarts) if (u.inputPossible()) return true;
        return false;
    }

    /** True if a byte might still arrive on a port whose IRQ line could reach the CPU ({@code canRaise}). */
    public boolean inputCanWake(IntPredicate canRaise) {
        for (int i = 0; i < uarts.size(); i++) {
            if (uarts.get(i).inputPossible() && canRaise.test(irqs.get(i))) return true;
        }
        return false;
    }

    public boolean inputAvailable() {
        for (Uart16550 u : uarts) if (u.inputAvailable()) return true;
        return false;
    }

    public void flush() {
        for (Uart16550 u : uarts) u.flush();
    }

    @Override
    public void reset() {
        for (Uart16550 u : uarts) u.reset();
    }

    /** Stops the input threads (standard input is released at once). */
    public void close() {
        for (SerialInput in : inputs) in.close();
    }
}
