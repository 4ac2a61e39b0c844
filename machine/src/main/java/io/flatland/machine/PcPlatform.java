package io.flatland.machine;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Platform;
import io.flatland.machine.devices.Device;
import io.flatland.machine.devices.DualPic;
import io.flatland.machine.devices.IoApic;
import io.flatland.machine.devices.LocalApic;
import io.flatland.machine.devices.SerialPorts;

import java.util.function.IntPredicate;
import java.util.concurrent.locks.LockSupport;

/**
 * What the CPU sees of the PC around it: INTR and INTA from the 8259 pair, and time.
 * {@link #service} brings the machine's devices (the timers among them: the PIT, the RTC) and
 * serial input and output up to the current virtual time
 * and says when to come back ({@code cpu.nextEventAt}): at the next timer deadline under
 * --icount, or after {@link #RECHECK_INSTRUCTIONS} instructions in real-time mode (where
 * instructions and time are unrelated), while host input may arrive, or while serial output
 * waits to be flushed. None of that changes what the guest sees under --icount: the extra
 * visits find no timer event due.
 */
public final class PcPlatform implements Platform {
    /** How often (in instructions) real-time mode and serial input are re-checked. */
    public static final long RECHECK_INSTRUCTIONS = 50_000;

    private final VirtualClock clock;
    private final DualPic pic;
    /** The local APIC and I/O APIC of a pc machine; null on isapc (INTR then comes from the 8259 alone). */
    private final LocalApic lapic;
    private final IoApic ioapic;
    /** Every device of the machine, in attach order (an array: the service loop over it must not allocate). */
    private final Device[] devices;
    /** The serial ports' host side (input threads, output flushing), which keeps host time rather than virtual time. */
    private final SerialPorts serial;
    private final IntPredicate lineCanRaise = this::canRaise;
    private long idleNs;

    public PcPlatform(VirtualClock clock, DualPic pic, Device[] devices, SerialPorts serial) {
        this(clock, pic, null, null, devices, serial);
    }

    public PcPlatform(VirtualClock clock, DualPic pic, LocalApic lapic, IoApic ioapic, Device[] devices, SerialPorts serial) {
        this.clock = clock;
        this.pic = pic;
        this.lapic = lapic;
        this.ioapic = ioapic;
        this.devices = devices.clone();
        this.serial = serial;
    }

    /**
     * INTR as the CPU sees it: on isapc the 8259's; on pc a vector the local APIC would deliver
     * (its IRR above PPR), or the 8259's INTR through LINT0 in virtual-wire mode.
     */
    @Override
    public boolean interruptPending() {
        LocalApic a = lapic;
        if (a == null) return pic.intr();
        return a.deliverable() >= 0 || pic.intr() && a.acceptsPicInterrupts();
    }

    /** INTA: the local APIC's vector first, then the 8259's (QEMU's order). */
    @Override
    public int acknowledgeInterrupt() {
        LocalApic a = lapic;
        if (a != null && a.deliverable() >= 0) return a.acknowledge();
        return pic.acknowledge();
    }

    @Override
    public void service(Cpu cpu) {
        advanceDevices();
        schedule(cpu);
    }

    private void advanceDevices() {
        advanceTimers();
        serial.pollInput();
        serial.serviceOutput();
    }

    /**
     * Brings every device up to the current virtual time (timer edges that passed latch their
     * interrupts); also before the guest reads the PICs ({@link DualPic#beforeRead}).
     */
    public void advanceTimers() {
        for (Device d : devices) d.advance();
    }

    /** Earliest timer deadline of the devices in virtual ns, or -1 when no timer is armed. */
    private long nextDeadline() {
        long best = Device.NO_DEADLINE;
        for (Device d : devices) {
            long t = d.nextDeadlineNs();
            if (t != Device.NO_DEADLINE && (best == Device.NO_DEADLINE || t < best)) best = t;
        }
        return best;
    }

    /** Whether some device could still raise an interrupt that wakes a halted CPU. */
    private boolean anyCanWake() {
        for (Device d : devices) if (d.canWake(lineCanRaise)) return true;
        return false;
    }

    /** Sets {@code cpu.nextEventAt} for the next visit. */
    public void schedule(Cpu cpu) {
        long next;
        if (clock.icountMode()) {
            long deadline = nextDeadline();
            next = deadline < 0 ? Long.MAX_VALUE : cpu.icount + clock.instructionsUntil(deadline);
            // Host input may arrive, or output waits for the transmitter to go quiet: look again soon.
            if (serial.inputPossible() || serial.outputPending()) next = Math.min(next, cpu.icount + RECHECK_INSTRUCTIONS);
        } else {
            next = cpu.icount + RECHECK_INSTRUCTIONS;
        }
        cpu.nextEventAt = next;
    }

    /** Makes the CPU call {@link #service} before its next instruction (a timer was reprogrammed). */
    public static void serviceSoon(Cpu cpu) {
        cpu.nextEventAt = cpu.icount;
    }

    /** The virtual clock's time: what the TSC counts. */
    @Override
    public long nowNs(Cpu cpu) {
        return clock.nowNs();
    }

    /**
     * HLT with IF=1: wait (real time) or skip (icount) to the next event that raises an
     * interrupt. Returns false when nothing that is armed and unmasked can ever wake the CPU.
     */
    @Override
    public boolean idle(Cpu cpu) {
        serial.flush();
        for (;;) {
            advanceDevices();
            if (interruptPending() || cpu.nmiPending && !cpu.nmiBlocked
                    || cpu.exitRequest != io.flatland.cpu.ExitReason.NONE) {
                schedule(cpu);
                return true;
            }
            long deadline = nextDeadline();
            if (!anyCanWake()) return false;
            long now = clock.nowNs();
            if (clock.icountMode() && deadline >= 0) {
                idleNs += Math.max(0, deadline - now);
                clock.skipTo(deadline);
            } else {
                // Sleep on the host until the deadline, or until input wakes us (SerialInput unparks).
                long wait = deadline >= 0 ? deadline - now : 10_000_000L;
                if (wait > 0 && !serial.inputAvailable()) {
                    long t0 = System.nanoTime();
                    LockSupport.parkNanos(wait);
                    idleNs += System.nanoTime() - t0;
                }
            }
        }
    }

    /**
     * True if an edge on ISA {@code line} could still reach the CPU: the line is unmasked and
     * its request is not already latched (a latched request that does not raise INTR is held
     * back by an interrupt in service, and further edges change nothing).
     */
    private boolean canRaise(int line) {
        if (ioapic != null && lapic.accepting() && ioapic.lineCanRaise(line)) return true;
        if (lapic != null && !lapic.acceptsPicInterrupts()) return false;
        if (!lineUnmasked(line)) return false;
        if (line < 8) return (pic.master.irr() & (1 << line)) == 0;
        return (pic.slave.irr() & (1 << (line - 8))) == 0;
    }

    private boolean lineUnmasked(int line) {
        if (line < 8) return (pic.master.imr() & (1 << line)) == 0;
        return (pic.master.imr() & 4) == 0 && (pic.slave.imr() & (1 << (line - 8))) == 0;
    }

    /** Virtual (icount) or host (real-time) nanoseconds spent halted. */
    public long idleNs() { return idleNs; }
}
