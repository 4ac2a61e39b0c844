package io.flatland.machine.devices;

import io.flatland.cpu.LocalApicMsrs;
import io.flatland.cpu.Cpu;
import io.flatland.cpu.UnimplementedFeature;
import io.flatland.mmu.MmioBus;

/**
 * The local APIC of the one CPU, in xAPIC mode at 0xFEE00000 (SDM Vol. 3A chapter 11), as QEMU's
 * pc has it: ID 0, version 0x14 with six LVT entries, the task-priority and processor-priority
 * registers, EOI, the in-service, request and trigger-mode bitmaps, the LVT timer (one-shot and
 * periodic, counting virtual nanoseconds through the divide register), LINT0 in virtual-wire
 * mode so that the 8259's INTR reaches the CPU (QEMU sets LINT0 to ExtINT at reset, as a BIOS
 * would), LINT1, the error status register (always clear, as QEMU's) and the interrupt command register for IPIs to
 * itself (fixed and NMI) and to CPUs that do not exist.
 *
 * <p>Interrupts from the I/O APIC and from IPIs land in IRR ({@link #accept}); the CPU takes
 * the highest one whose priority class is above PPR ({@link #acknowledge}), which moves it to
 * ISR; EOI retires the highest in-service vector and, for a level-triggered one, tells the I/O
 * APIC ({@link #onLevelEoi}).
 */
public final class LocalApic implements Device, MmioBus.Region, LocalApicMsrs {
    public static final long DEFAULT_BASE = 0xFEE0_0000L;
    /** IA32_APIC_BASE bits: bootstrap processor, global enable. */
    static final long BSP = 1 << 8, EXTD = 1 << 10, ENABLE = 1 << 11;
    static final int VERSION = 0x14, LVT_COUNT = 6;

    // LVT indices (register 0x320 + 0x10 * i).
    public static final int LVT_TIMER = 0, LVT_THERMAL = 1, LVT_PERF = 2, LVT_LINT0 = 3, LVT_LINT1 = 4, LVT_ERROR = 5;
    static final int MASKED = 1 << 16, LEVEL = 1 << 15, PERIODIC = 1 << 17, TSC_DEADLINE_MODE = 2 << 17,
            TIMER_MODE = 3 << 17;
    // Delivery modes (bits 8-10 of an LVT entry or the ICR).
    static final int DM_FIXED = 0, DM_LOWEST = 1, DM_SMI = 2, DM_NMI = 4, DM_INIT = 5, DM_STARTUP = 6, DM_EXTINT = 7;
    static final int SVR_ENABLE = 1 << 8;

    private final Pit8254.Clock clock;
    private Cpu cpu;
    private long baseMsr;
    private int id;
    private int tpr;
    private int svr;
    private int ldr;
    private int dfr;
    private int icrLow, icrHigh;
    private final int[] lvt = new int[LVT_COUNT];
    private final int[] irr = new int[8], isr = new int[8], tmr = new int[8];
    private int divideConfig, countShift;
    private int initialCount;
    private long loadTimeNs;
    /** IA32_TSC_DEADLINE in TSC units (0: disarmed). */
    private long tscDeadline;
    /** The CPU model's x2APIC and TSC-deadline features (CPUID.1:ECX bits 21 and 24). */
    private boolean x2apicSupported, tscDeadlineSupported;
    private long timerDeadline = NO_DEADLINE;
    /** Where a level-triggered EOI goes (the I/O APIC); none by default. */
    private java.util.function.IntConsumer onLevelEoi = v -> { };
    private long timerInterrupts, ipis;
    /** {@link #deliverable()}, kept up to date by every change: the CPU asks before each block it runs. */
    private int deliverableVector = -1;

    /** {@code clock}: virtual nanoseconds, the machine's (the timer counts them, as QEMU's APIC bus at 1 GHz). */
    public LocalApic(Pit8254.Clock clock) {
        this.clock = clock;
        powerOn();
    }

    /** The CPU the APIC belongs to (its NMI pin, and where IA32_APIC_BASE is forwarded from). */
    public void connect(Cpu cpu) {
        this.cpu = cpu;
        cpu.apicBase = this;
    }

    /** What the CPU model announces: x2APIC mode and the timer's TSC-deadline mode are there only then. */
    public void features(boolean x2apic, boolean tscDeadline) {
        x2apicSupported = x2apic;
        tscDeadlineSupported = tscDeadline;
    }

    /** The I/O APIC's end-of-interrupt input for level-triggered vectors. */
    public void onLevelEoi(java.util.function.IntConsumer c) { onLevelEoi = c; }

    @Override
    public void attach(Wiring wiring) { }

    @Override
    public void reset() { powerOn(); }

    private void powerOn() {
        baseMsr = DEFAULT_BASE | BSP | ENABLE;
        id = 0;
        stateReset();
    }

    /** The register state after reset or a global disable (SDM §11.4.7.1); the ID and base stay. */
    private void stateReset() {
        tpr = 0;
        svr = 0xFF;
        ldr = 0;
        dfr = 0xFFFF_FFFF;
        icrLow = icrHigh = 0;
        java.util.Arrays.fill(lvt, MASKED);
        // QEMU's reset sets the BSP's LINT0 to ExtINT (unmasked): PIC interrupts reach the CPU
        // as they would after a BIOS programmed virtual-wire mode.
        lvt[LVT_LINT0] = DM_EXTINT << 8;
        java.util.Arrays.fill(irr, 0);
        java.util.Arrays.fill(isr, 0);
        java.util.Arrays.fill(tmr, 0);
        divideConfig = 0;
        countShift = 1;
        initialCount = 0;
        loadTimeNs = 0;
        tscDeadline = 0;
        timerDeadline = NO_DEADLINE;
        deliverableVector = -1;
    }

    // ---- IA32_APIC_BASE ----

    @Override
    public long readBase() { return baseMsr; }

    @Override
    public void writeBase(long v) {
        // Bits 0-7, 9 and those above the 36-bit physical address width (QEMU's) are reserved;
        // bit 10 exists only with x2APIC.
        long reserved = 0xFFFF_FFF0_0000_02FFL | (x2apicSupported ? 0 : EXTD);
        if ((v & reserved) != 0) throw gp();
        boolean en = (v & ENABLE) != 0, extd = (v & EXTD) != 0;
        // SDM §11.12.5: x2APIC needs the global enable, and x2APIC goes back to xAPIC only through disabled.
        if (extd && !en) throw gp();
        if (x2apic() && en && !extd) throw gp();
        if (!enabled() && en && extd) throw gp();
        if ((v & 0xFFFF_F000L) != (baseMsr & 0xFFFF_F000L) && en) {
            throw new UnimplementedFeature("moving the local APIC away from 0xFEE00000 (IA32_APIC_BASE = 0x"
                    + Long.toHexString(v) + ")");
        }
        boolean wasEnabled = enabled();
        baseMsr = (baseMsr & BSP) | (v & (ENABLE | EXTD | 0xFFFF_F000L));
        if (wasEnabled && !en) {
            // A global disable loses the APIC's state (SDM §11.4.3); re-enabling later finds it as after reset.
            stateReset();
        }
        changed();
    }

    /** #GP(0) for the WRMSR/RDMSR under way (a unit test without a CPU gets a fault of its own). */
    private io.flatland.mmu.GuestFault gp() {
        return cpu != null ? cpu.fault(13, 0) : new io.flatland.mmu.GuestFault().set(13, 0, 0);
    }

    /** In x2APIC mode: the registers are MSRs, the ID is 32 bits, the logical ID derives from it. */
    public boolean x2apic() { return (baseMsr & EXTD) != 0; }

    /** IA32_APIC_BASE's global enable: when clear, the CPU behaves as one without an APIC (INTR straight from the 8259). */
    public boolean enabled() { return (baseMsr & ENABLE) != 0; }

    // ---- interrupt flow ----

    /** Whether fixed interrupts (from the I/O APIC, IPIs, the timer) can reach the CPU at all: globally and software-enabled. */
    public boolean accepting() { return enabled() && (svr & SVR_ENABLE) != 0; }

    /** Whether the 8259's INTR reaches the CPU: the APIC is globally disabled or LINT0 is not masked (QEMU's rule). */
    public boolean acceptsPicInterrupts() {
        return !enabled() || (lvt[LVT_LINT0] & MASKED) == 0;
    }

    /** The highest vector requested in IRR whose class is above PPR, or -1. */
    public int deliverable() { return deliverableVector; }

    private int computeDeliverable() {
        if (!accepting()) return -1;
        int v = highest(irr);
        if (v < 0) return -1;
        int ppr = ppr();
        if (ppr != 0 && (v & 0xF0) <= (ppr & 0xF0)) return -1;
        return v;
    }

    /** INTA from the CPU: moves the deliverable vector from IRR to ISR and returns it. */
    public int acknowledge() {
        int v = deliverable();
        if (v < 0) return svr & 0xFF;     // the request went away: the spurious vector
        clear(irr, v);
        set(isr, v);
        deliverableVector = computeDeliverable();
        return v;
    }

    /**
     * An interrupt message for this APIC (an IPI to itself, the I/O APIC, a local LVT): fixed
     * and lowest-priority vectors go to IRR with their trigger mode, NMI to the CPU's NMI pin.
     */
    public void accept(int deliveryMode, int vector, boolean level) {
        switch (deliveryMode) {
            case DM_FIXED, DM_LOWEST -> {
                // The SDM has the APIC reject vectors 0-15 ("received illegal vector" in ESR);
                // QEMU 7.2 accepts and delivers them, and Flatland does as the reference machine.
                set(irr, vector);
                if (level) set(tmr, vector); else clear(tmr, vector);
                changed();
            }
            case DM_NMI -> cpu.raiseNmi();
            case DM_EXTINT -> changed();      // the 8259 answers the INTA
            default -> { }                    // SMI, INIT, SIPI: not modelled for this CPU (no SMM, one CPU)
        }
    }

    /**
     * A local source fired (the timer; LINT0/LINT1 keep their trigger mode): its LVT entry's
     * message, unless masked. ExtINT needs nothing here: the 8259's INTR reaches the CPU
     * through {@link #acceptsPicInterrupts}.
     */
    private void localDeliver(int index) {
        int e = lvt[index];
        if ((e & MASKED) != 0) return;
        int mode = (e >>> 8) & 7;
        if (mode == DM_EXTINT) return;
        accept(mode, e & 0xFF, index == LVT_LINT0 || index == LVT_LINT1 ? (e & LEVEL) != 0 : false);
    }

    /** The interrupt state changed under the running CPU: it must look again before its next instruction. */
    private void changed() {
        deliverableVector = computeDeliverable();
        if (cpu != null) cpu.interruptStateChanged();
    }

    private int ppr() {
        int isrv = highest(isr);
        if (isrv < 0) isrv = 0;
        return (tpr >> 4) >= (isrv >> 4) ? tpr : isrv & 0xF0;
    }

    private void eoi() {
        int v = highest(isr);
        if (v < 0) return;
        clear(isr, v);
        if (get(tmr, v)) onLevelEoi.accept(v);
        changed();
    }

    // ---- the timer ----

    @Override
    public long nextDeadlineNs() { return timerDeadline; }

    @Override
    public void advance() {
        if (timerDeadline == NO_DEADLINE) return;
        long now = clock.nowNs();
        if (now < timerDeadline) return;
        timerInterrupts++;
        localDeliver(LVT_TIMER);
        if (deadlineMode()) tscDeadline = 0;          // the deadline has passed: the MSR reads 0 again
        armTimer(now);
    }

    @Override
    public boolean canWake(java.util.function.IntPredicate lineCanRaise) {
        return timerDeadline != NO_DEADLINE && (lvt[LVT_TIMER] & MASKED) == 0;
    }

    /** Ticks of the timer since the initial count was written (the clock is virtual ns, QEMU's 1 GHz APIC bus). */
    private long ticks(long now) {
        return (now - loadTimeNs) >>> countShift;
    }

    private int currentCount() {
        if (initialCount == 0 || deadlineMode()) return 0;
        long d = ticks(clock.nowNs());
        long init = initialCount & 0xFFFF_FFFFL;
        if ((lvt[LVT_TIMER] & PERIODIC) != 0) return (int) (init - d % (init + 1));
        return d >= init ? 0 : (int) (init - d);
    }

    private boolean deadlineMode() { return (lvt[LVT_TIMER] & TIMER_MODE) == TSC_DEADLINE_MODE; }

    /** The next expiry after {@code now}, counted from the load time as QEMU counts it. */
    private void armTimer(long now) {
        if (deadlineMode()) {
            // The TSC is virtual ns plus the offset a WRMSR to it gave (as the CPU's RDTSC): the deadline in ns.
            timerDeadline = tscDeadline == 0 ? NO_DEADLINE : Math.max(now, tscDeadline - (cpu == null ? 0 : cpu.tscOffset));
            return;
        }
        long init = initialCount & 0xFFFF_FFFFL;
        long d = ticks(now);
        long next;
        if ((lvt[LVT_TIMER] & PERIODIC) != 0) {
            if (init == 0) { timerDeadline = NO_DEADLINE; return; }
            next = (d / (init + 1) + 1) * (init + 1);
        } else {
            if (init == 0 || d >= init) { timerDeadline = NO_DEADLINE; return; }
            next = init;
        }
        timerDeadline = loadTimeNs + (next << countShift);
    }

    // ---- registers ----

    @Override
    public int read(int pa, int size) {
        // The registers are 32 bits wide at 16-byte strides; QEMU answers narrower reads with 0.
        if (size < 4) return 0;
        return register(pa & 0xFF0);
    }

    private int register(int reg) {
        return switch (reg) {
            case 0x20 -> x2apic() ? id : id << 24;
            case 0x30 -> VERSION | (LVT_COUNT - 1) << 16;
            case 0x80 -> tpr;
            case 0x90 -> 0;                               // arbitration priority: QEMU reads 0
            case 0xA0 -> ppr();
            case 0xD0 -> x2apic() ? (id >>> 4) << 16 | 1 << (id & 0xF) : ldr;
            case 0xE0 -> dfr;
            case 0xF0 -> svr;
            case 0x280 -> 0;                              // error status: no error is detected (as QEMU)
            case 0x300 -> icrLow;
            case 0x310 -> icrHigh;
            case 0x320, 0x330, 0x340, 0x350, 0x360, 0x370 -> lvt[(reg - 0x320) >> 4];
            case 0x380 -> initialCount;
            case 0x390 -> currentCount();
            case 0x3E0 -> divideConfig;
            default -> {
                if (reg >= 0x100 && reg < 0x180) yield isr[(reg - 0x100) >> 4];
                if (reg >= 0x180 && reg < 0x200) yield tmr[(reg - 0x180) >> 4];
                if (reg >= 0x200 && reg < 0x280) yield irr[(reg - 0x200) >> 4];
                yield 0;
            }
        };
    }

    @Override
    public void write(int pa, int size, int value) {
        if (size < 4) return;                 // as QEMU: only 32-bit writes reach the registers
        int reg = pa & 0xFF0;
        switch (reg) {
            case 0x20 -> id = value >>> 24;
            case 0x80 -> { tpr = value & 0xFF; changed(); }
            case 0xB0 -> eoi();
            case 0xD0 -> ldr = value & 0xFF00_0000;
            case 0xE0 -> dfr = value | 0x0FFF_FFFF;
            case 0xF0 -> {
                svr = value & 0x1FF;
                if ((svr & SVR_ENABLE) == 0) {
                    for (int i = 0; i < LVT_COUNT; i++) lvt[i] |= MASKED;
                }
                changed();
            }
            case 0x300 -> {
                icrLow = value & ~(1 << 12);   // delivery status always reads idle: the message is sent at once
                sendIpi();
            }
            case 0x310 -> icrHigh = value & 0xFF00_0000;   // xAPIC only (the x2APIC ICR is one 64-bit MSR)
            case 0x320, 0x330, 0x340, 0x350, 0x360, 0x370 -> writeLvt((reg - 0x320) >> 4, value);
            case 0x380 -> {
                if (deadlineMode()) return;           // the count registers are unused in TSC-deadline mode
                initialCount = value;
                loadTimeNs = clock.nowNs();
                armTimer(loadTimeNs);
                changed();
            }
            case 0x3E0 -> {
                divideConfig = value & 0xB;
                int v = (divideConfig & 3) | ((divideConfig >> 1) & 4);
                countShift = (v + 1) & 7;
                armTimer(clock.nowNs());
                changed();
            }
            default -> { }                    // read-only or reserved: ignored
        }
    }

    private void writeLvt(int index, int value) {
        int mask = switch (index) {
            case LVT_TIMER -> 0x1_00FF | (tscDeadlineSupported ? TIMER_MODE : PERIODIC);   // vector, mask, mode
            case LVT_LINT0, LVT_LINT1 -> 0x1_A7FF;          // vector, delivery mode, polarity, trigger, mask
            case LVT_ERROR -> 0x1_00FF;
            default -> 0x1_07FF;
        };
        int v = value & mask;
        if ((svr & SVR_ENABLE) == 0) v |= MASKED;           // a software-disabled APIC keeps its LVTs masked
        if (index == LVT_TIMER && (v & TIMER_MODE) == TIMER_MODE) v &= ~TIMER_MODE;   // reserved mode 3
        boolean timerModeChanged = index == LVT_TIMER && ((lvt[index] ^ v) & TIMER_MODE) != 0;
        lvt[index] = v;
        if (timerModeChanged) {
            // Switching between the count and the deadline disarms the timer (SDM §11.5.4.1).
            initialCount = 0;
            tscDeadline = 0;
            armTimer(clock.nowNs());
        }
        changed();
    }

    /** The ICR was written: deliver the message to the destinations that exist (this CPU or nobody). */
    private void sendIpi() {
        ipis++;
        int mode = (icrLow >>> 8) & 7;
        int vector = icrLow & 0xFF;
        boolean level = (icrLow & LEVEL) != 0;
        boolean toSelf = switch ((icrLow >>> 18) & 3) {
            case 1, 2 -> true;                  // self, all including self
            case 3 -> false;                    // all excluding self: no other CPU exists
            default -> matchesDestination(x2apic() ? icrHigh : icrHigh >>> 24, (icrLow & (1 << 11)) != 0);
        };
        if (!toSelf) return;
        if (mode == DM_INIT || mode == DM_STARTUP) {
            // INIT or SIPI to itself: resetting the running CPU from an IPI is not modelled.
            if (mode == DM_INIT && !level) return;   // INIT level de-assert: no effect on current CPUs
            throw new UnimplementedFeature("INIT/SIPI IPI to the CPU that sends it");
        }
        accept(mode, vector, false);            // IPIs are edge-triggered
    }

    private boolean matchesDestination(int dest, boolean logical) {
        if (x2apic()) {
            // 32-bit destinations; logical: cluster in bits 16-31, member bitmap in bits 0-15.
            if (dest == 0xFFFF_FFFF) return true;
            if (!logical) return dest == id;
            return (dest >>> 16) == (id >>> 4) && (dest & (1 << (id & 0xF))) != 0;
        }
        if (!logical) return dest == 0xFF || dest == id;
        if (dest == 0xFF) return true;
        int logicalId = ldr >>> 24;
        if ((dfr >>> 28) == 0xF) return (logicalId & dest) != 0;          // flat model
        // Cluster model: cluster in the high nibble, member bits in the low nibble.
        return (dest >>> 4) == (logicalId >>> 4) && (dest & logicalId & 0xF) != 0;
    }

    // ---- x2APIC and TSC-deadline MSRs ----

    @Override
    public boolean handles(int msr) {
        if (msr == IA32_TSC_DEADLINE) return tscDeadlineSupported;
        return x2apicSupported && msr >= X2APIC_FIRST && msr <= X2APIC_LAST;
    }

    @Override
    public long rdmsr(int msr) {
        if (msr == IA32_TSC_DEADLINE) return tscDeadline;
        if (!x2apic()) throw gp();
        int reg = (msr - X2APIC_FIRST) << 4;
        return switch (reg) {
            case 0x300 -> (long) icrHigh << 32 | (icrLow & 0xFFFF_FFFFL);
            case 0xB0, 0x3F0, 0xE0, 0x310, 0x90, 0xC0 -> throw gp();   // EOI and SELF IPI are write-only; no DFR, ICR2, APR, RRD
            default -> {
                if (!x2apicRegister(reg)) throw gp();
                yield register(reg) & 0xFFFF_FFFFL;
            }
        };
    }

    @Override
    public void wrmsr(int msr, long value) {
        if (msr == IA32_TSC_DEADLINE) {
            tscDeadline = value;
            if (deadlineMode()) armTimer(clock.nowNs());
            changed();
            return;
        }
        if (!x2apic()) throw gp();
        int reg = (msr - X2APIC_FIRST) << 4;
        int v = (int) value;
        switch (reg) {
            case 0x300 -> {
                icrHigh = (int) (value >>> 32);
                icrLow = v & ~(1 << 12);
                sendIpi();
            }
            case 0x3F0 -> {                               // SELF IPI: a fixed, edge-triggered vector to itself
                if ((value & ~0xFFL) != 0) throw gp();
                ipis++;
                accept(DM_FIXED, v & 0xFF, false);
            }
            case 0xB0 -> {
                if (value != 0) throw gp();
                eoi();
            }
            case 0x80, 0xF0, 0x280, 0x320, 0x330, 0x340, 0x350, 0x360, 0x370, 0x380, 0x3E0 -> {
                if ((value >>> 32) != 0) throw gp();
                write((int) LocalApic.DEFAULT_BASE + reg, 4, v);
            }
            default -> throw gp();                        // read-only (ID, version, LDR, PPR, ISR, TMR, IRR, count) or absent
        }
    }

    /** The registers an x2APIC reads through MSRs (SDM Table 11-6). */
    private static boolean x2apicRegister(int reg) {
        return reg == 0x20 || reg == 0x30 || reg == 0x80 || reg == 0xA0 || reg == 0xD0 || reg == 0xF0
                || reg >= 0x100 && reg < 0x280 || reg == 0x280 || reg >= 0x320 && reg <= 0x390 || reg == 0x3E0;
    }

    // ---- 256-bit registers ----

    private static int highest(int[] bits) {
        for (int i = 7; i >= 0; i--) {
            if (bits[i] != 0) return i * 32 + 31 - Integer.numberOfLeadingZeros(bits[i]);
        }
        return -1;
    }

    private static void set(int[] bits, int v) { bits[v >>> 5] |= 1 << (v & 31); }

    private static void clear(int[] bits, int v) { bits[v >>> 5] &= ~(1 << (v & 31)); }

    private static boolean get(int[] bits, int v) { return (bits[v >>> 5] & (1 << (v & 31))) != 0; }

    /** Timer expiries and IPIs sent so far (--stats). */
    public long timerInterrupts() { return timerInterrupts; }

    public long ipis() { return ipis; }
}
