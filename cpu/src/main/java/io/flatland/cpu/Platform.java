package io.flatland.cpu;

/**
 * What the CPU needs from the machine around it, without knowing any device:
 * the INTR line of the interrupt controller, virtual time, and reset.
 */
public interface Platform {
    /** True while the interrupt controller asserts INTR (a maskable interrupt is pending). */
    boolean interruptPending();

    /** INTA cycle: the vector of the highest-priority pending interrupt (the PIC marks it in service). */
    int acknowledgeInterrupt();

    /**
     * Called when {@link Cpu#icount} reaches {@link Cpu#nextEventAt}: advance devices to the
     * current virtual time, raise interrupts, and set a new {@code nextEventAt}.
     */
    void service(Cpu cpu);

    /**
     * The CPU executed HLT with IF=1 and nothing is pending: skip virtual time forward to the
     * next timer event (and service it). Returns false if no event can ever wake the CPU.
     */
    boolean idle(Cpu cpu);

    /**
     * Virtual time in nanoseconds, the time the timers count. The time-stamp counter ticks
     * with it (at 1 GHz), as QEMU's TSC follows its virtual clock: a TSC counting retired
     * instructions would run at the emulator's speed, and a kernel calibrating it against the
     * PIT would see a CPU of a few MHz whose clock drifts as the speed changes.
     */
    default long nowNs(Cpu cpu) {
        return cpu.icount;
    }
}
