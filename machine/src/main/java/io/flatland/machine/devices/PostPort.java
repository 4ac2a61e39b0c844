package io.flatland.machine.devices;

import io.flatland.cpu.ExitReason;
import io.flatland.cpu.IoDevice;

import java.util.ArrayList;
import java.util.List;

/**
 * Port 0x80, the POST diagnostic port: every byte written is recorded as a milestone
 * with the retired-instruction count and the host time at which it happened. The kernel
 * model writes it a handful of times per boot, but Linux writes it as an I/O delay
 * ({@code outb_p}, e.g. on every read of the PIT clocksource), so only the first
 * {@link #MAX_RECORDED} writes are kept and the rest are counted: a guest running for days
 * does not grow the host's heap.
 */
public final class PostPort implements IoDevice, Device {
    /** One POST write. */
    public record Milestone(int code, long icount, long hostNanos) { }

    private MachineControl control = MachineControl.NONE;
    private final List<Milestone> milestones = new ArrayList<>();
    public static final int MAX_RECORDED = 10_000;
    private long unrecorded;
    private int stopAt = -1;
    private boolean stopHit;
    /** Told of each write (null: nobody asked; the machine's listeners). */
    public java.util.function.Consumer<Milestone> onWrite;

    @Override
    public void attach(Wiring w) {
        w.io().register(0x80, 1, this);
        control = w.control();
    }

    /** Nothing: the milestones record the whole run, across resets, and the stop code is the run's setting. */
    @Override
    public void reset() { }

    /** Makes the run loop return (with {@link ExitReason#DEVICE_EXIT}) when {@code code} is written; -1 for never. */
    public void stopAt(int code) {
        stopAt = code;
        stopHit = false;
    }

    /** True once the {@link #stopAt} code has been written (cleared by {@link #stopAt}). */
    public boolean stopHit() { return stopHit; }

    public List<Milestone> milestones() { return milestones; }

    /** Writes past the first {@link #MAX_RECORDED}, not in {@link #milestones}. */
    public long unrecorded() { return unrecorded; }

    @Override
    public int in(int port, int size) {
        return 0xFF;   // QEMU decodes port 0x80 for writes only: reads are open bus
    }

    @Override
    public void out(int port, int size, int value) {
        int code = value & 0xFF;
        // Linux writes port 0x80 as an I/O delay, endlessly: past the record and with nobody
        // listening, a write only counts (no milestone object).
        boolean record = milestones.size() < MAX_RECORDED;
        if (!record) unrecorded++;
        if (record || onWrite != null) {
            Milestone m = new Milestone(code, control.instructionCount(), System.nanoTime());
            if (record) milestones.add(m);
            if (onWrite != null) onWrite.accept(m);
        }
        if (code == stopAt) {
            stopHit = true;
            control.requestExit(ExitReason.DEVICE_EXIT);
        }
    }
}
