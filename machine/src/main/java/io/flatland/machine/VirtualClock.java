package io.flatland.machine;

import io.flatland.cpu.Cpu;
import io.flatland.machine.devices.Pit8254;

/**
 * The machine's notion of time, in nanoseconds since power-on.
 *
 * <ul>
 * <li>Real-time mode follows the host's monotonic clock ({@link System#nanoTime}).</li>
 * <li>Instruction-count mode ({@code --icount}) derives time from retired instructions:
 *     {@code now = (icount << SHIFT) + skipped}, with {@link #ICOUNT_SHIFT} = 0, i.e. one
 *     instruction is one nanosecond of virtual time (QEMU's {@code -icount shift=0}). Time
 *     skipped while the CPU sleeps in HLT is added separately, so {@code cpu.icount} keeps
 *     meaning "retired instructions" and a run is repeatable bit for bit.</li>
 * </ul>
 */
public final class VirtualClock implements Pit8254.Clock {
    /** log2 of the virtual nanoseconds one instruction takes under --icount. */
    public static final int ICOUNT_SHIFT = 0;

    private final Cpu cpu;
    private final boolean icount;
    private long hostStart = System.nanoTime();
    private long skipped;
    /** Host time when {@link #pause} stopped the clock, or -1 while it runs. */
    private long pausedAt = -1;

    public VirtualClock(Cpu cpu, boolean icount) {
        this.cpu = cpu;
        this.icount = icount;
    }

    public boolean icountMode() { return icount; }

    @Override
    public long nowNs() {
        if (icount) return (cpu.icount << ICOUNT_SHIFT) + skipped;
        return (pausedAt >= 0 ? pausedAt : System.nanoTime()) - hostStart;
    }

    /**
     * Stops real time while the machine is stopped in the debugger, so that timers do not all
     * come due at once when it continues (instruction-count time stands still by itself).
     */
    public void pause() {
        if (!icount && pausedAt < 0) pausedAt = System.nanoTime();
    }

    /** Lets real time run again from where {@link #pause} stopped it. */
    public void resume() {
        if (pausedAt < 0) return;
        hostStart += System.nanoTime() - pausedAt;
        pausedAt = -1;
    }

    /** Instructions to retire before virtual time reaches {@code ns} (icount mode; at least 1). */
    public long instructionsUntil(long ns) {
        long delta = ns - nowNs();
        if (delta <= 0) return 1;
        return Math.max(1, (delta + (1L << ICOUNT_SHIFT) - 1) >> ICOUNT_SHIFT);
    }

    /** Icount mode: jumps virtual time forward to {@code ns} (the CPU is idle until then). */
    public void skipTo(long ns) {
        long now = nowNs();
        if (ns > now) skipped += ns - now;
    }

    /** Virtual nanoseconds skipped while halted (icount mode). */
    public long skippedNs() { return skipped; }
}
